package dev.tcpstate.state;

/**
 * One change of one endpoint's state: when (packet time), which endpoint, from and to, the frame
 * that caused it, and why, in words a ladder diagram can print.
 */
public record Transition(long timestampNanos, Side side, TcpState from, TcpState to, long frameNumber,
        String cause) {
}
