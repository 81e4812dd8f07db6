package dev.tcpstate.flow;

import dev.tcpstate.decode.IpAddresses;
import dev.tcpstate.decode.TcpSegment;

/**
 * A connection's endpoints, originator first: 128-bit addresses (IPv4-mapped for IPv4) and
 * ports. Which side a segment comes from, text forms, and the key for a {@link FlowTable}.
 */
public record FourTuple(long originatorHigh, long originatorLow, int originatorPort, long responderHigh,
        long responderLow, int responderPort) {

    /** The tuple of {@code segment}, its source as the originator unless {@code sourceResponds}. */
    static FourTuple of(TcpSegment segment, boolean sourceResponds) {
        FourTuple tuple = new FourTuple(segment.sourceHigh(), segment.sourceLow(), segment.sourcePort(),
                segment.destinationHigh(), segment.destinationLow(), segment.destinationPort());
        return sourceResponds ? tuple.swapped() : tuple;
    }

    /** The same endpoints with the roles exchanged (Zeek's flip). */
    FourTuple swapped() {
        return new FourTuple(responderHigh, responderLow, responderPort, originatorHigh, originatorLow, originatorPort);
    }

    /** Whether {@code segment} was sent by the originator (a tuple from one host to itself: by ports). */
    boolean fromOriginator(TcpSegment segment) {
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

    /** Removes this tuple's entry from {@code table}. */
    <V> V removeFrom(FlowTable<V> table) {
        return table.remove(originatorHigh, originatorLow, originatorPort, responderHigh, responderLow, responderPort);
    }

    /** Stores {@code value} for this tuple in {@code table}. */
    <V> void putInto(FlowTable<V> table, V value) {
        table.put(originatorHigh, originatorLow, originatorPort, responderHigh, responderLow, responderPort, value);
    }

    @Override
    public String toString() {
        return originatorAddress() + ":" + originatorPort + " > " + responderAddress() + ":" + responderPort;
    }
}
