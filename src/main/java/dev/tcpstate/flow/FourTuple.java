package dev.tcpstate.flow;

import dev.tcpstate.decode.IpAddresses;
import dev.tcpstate.decode.TcpSegment;

/**
 * A connection's endpoints, originator first: 128-bit addresses (IPv4-mapped for IPv4) and
 * ports: which side a segment comes from, and text forms.
 */
public record FourTuple(long originatorHigh, long originatorLow, int originatorPort, long responderHigh,
        long responderLow, int responderPort) {

    /** Whether {@code segment} was sent by the originator (a tuple from one host to itself: by ports). */
    boolean fromOriginator(TcpSegment segment) {
        return fromOriginator(originatorHigh, originatorLow, originatorPort, segment);
    }

    /** Whether {@code segment} was sent by the originator given by its address and port. */
    static boolean fromOriginator(long originatorHigh, long originatorLow, int originatorPort, TcpSegment segment) {
        return segment.sourcePort() == originatorPort && segment.sourceLow() == originatorLow
                && segment.sourceHigh() == originatorHigh
                && (segment.destinationPort() != originatorPort || segment.destinationLow() != originatorLow
                        || segment.destinationHigh() != originatorHigh);
    }

    public String originatorAddress() {
        return IpAddresses.format(originatorHigh, originatorLow);
    }

    public String responderAddress() {
        return IpAddresses.format(responderHigh, responderLow);
    }

    @Override
    public String toString() {
        return originatorAddress() + ":" + originatorPort + " > " + responderAddress() + ":" + responderPort;
    }
}
