package dev.tcpstate.flow;

import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.state.ConnectionMachine;
import dev.tcpstate.state.Side;

/**
 * One instance of a four-tuple: who originated it, its endpoints' state machines, and what each
 * side sent. Created once per connection; updated per segment without allocating.
 */
public final class Connection {
    private final long id;
    private final int instance;
    private final boolean reusedInTimeWait;
    private final boolean midstream;
    private final int ipVersion;
    private final FourTuple tuple;
    private final ConnectionMachine machine;
    private long firstNanos;
    private long lastNanos;
    private long originatorPackets;
    private long responderPackets;
    private long originatorIpBytes;
    private long responderIpBytes;
    private long originatorPayload;
    private long responderPayload;

    /**
     * @param first the segment that opened the instance
     * @param firstIsFromOriginator whether that segment's source is the originator
     */
    Connection(long id, int instance, boolean reusedInTimeWait, TcpSegment first, boolean firstIsFromOriginator,
            boolean midstream, ConnectionMachine machine) {
        this.id = id;
        this.instance = instance;
        this.reusedInTimeWait = reusedInTimeWait;
        this.midstream = midstream;
        this.ipVersion = first.ipVersion();
        this.tuple = FourTuple.of(first, !firstIsFromOriginator);
        this.machine = machine;
        this.firstNanos = first.timestampNanos();
    }

    /** Which side sent {@code segment} (which must belong to this four-tuple). */
    public Side senderOf(TcpSegment segment) {
        return tuple.fromOriginator(segment) ? Side.ORIGINATOR : Side.RESPONDER;
    }

    /** Counts the segment and drives the state machines with it. */
    void add(TcpSegment segment) {
        Side side = senderOf(segment);
        if (side == Side.ORIGINATOR) {
            originatorPackets++;
            originatorIpBytes += segment.ipLength();
            originatorPayload += segment.payloadLength();
        } else {
            responderPackets++;
            responderIpBytes += segment.ipLength();
            responderPayload += segment.payloadLength();
        }
        lastNanos = segment.timestampNanos();
        machine.segment(side, segment);
    }

    /** 1-based, in the order connections were first seen. */
    public long id() {
        return id;
    }

    /** 1 for the first instance of its four-tuple in the capture, 2 for the next, ... */
    public int instance() {
        return instance;
    }

    /** It began while an endpoint of the tuple's previous instance was still in TIME-WAIT. */
    public boolean reusedInTimeWait() {
        return reusedInTimeWait;
    }

    /** The capture began after the connection did (its first segment was not a SYN or SYN-ACK). */
    public boolean midstream() {
        return midstream;
    }

    public int ipVersion() {
        return ipVersion;
    }

    /** Its endpoints, originator first. */
    public FourTuple tuple() {
        return tuple;
    }

    public ConnectionMachine machine() {
        return machine;
    }

    public long firstNanos() {
        return firstNanos;
    }

    public long lastNanos() {
        return lastNanos;
    }

    public long packets(Side side) {
        return side == Side.ORIGINATOR ? originatorPackets : responderPackets;
    }

    /** IP bytes (headers included, from the IP length) the side sent. */
    public long ipBytes(Side side) {
        return side == Side.ORIGINATOR ? originatorIpBytes : responderIpBytes;
    }

    /** TCP payload bytes the side sent, retransmissions included. */
    public long payloadBytes(Side side) {
        return side == Side.ORIGINATOR ? originatorPayload : responderPayload;
    }

    @Override
    public String toString() {
        return "#" + id + " " + tuple + " " + machine.state(Side.ORIGINATOR) + "/" + machine.state(Side.RESPONDER);
    }
}
