package dev.tcpstate.state;

/** The two endpoints of a connection: the originator sent the first SYN (Zeek's rules otherwise). */
public enum Side {
    ORIGINATOR, RESPONDER;

    public Side peer() {
        return this == ORIGINATOR ? RESPONDER : ORIGINATOR;
    }
}
