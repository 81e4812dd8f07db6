package dev.tcpstate.flow;

import dev.tcpstate.decode.IpAddresses;
import dev.tcpstate.state.ConnectionMachine;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.Side;
import dev.tcpstate.state.TcpState;
import dev.tcpstate.state.ZeekConnection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One finished connection record, immutable: Zeek's conn.log fields (names as in DESIGN.md
 * section 6), tcpstate's RFC 793 view, and the facts the detectors need. Durations and sizes are
 * absent when Zeek leaves them unset (a record whose duration is zero).
 *
 * <p>A flood leaves millions of these, all kept for the report, so the fields are primitives: the
 * uid, the addresses and the optional values are made when asked for, the history is shared
 * between records that have the same one, and the endpoints are kept as numbers.
 */
public final class ConnectionRecord {
    private static final long ABSENT = Long.MIN_VALUE;
    private static final int TIME_WAIT_AT_END = 1;
    private static final int REUSED_TIME_WAIT = 2;
    private static final int MIDSTREAM = 4;
    private static final int CONTINUED_LATER = 8;
    private static final int SYN_ACK_WITH_WRONG_ACK = 16;
    private static final Side[] RESET_BY = {null, Side.ORIGINATOR, Side.RESPONDER};

    private final long originatorHigh;
    private final long originatorLow;
    private final long responderHigh;
    private final long responderLow;
    /** Originator's port in the high 16 bits, responder's in the low. */
    private final int ports;
    private final long id;
    private final long tsNanos;
    private final long endNanos;
    private final long attemptStartNanos;
    private final long originatorBytes;
    private final long responderBytes;
    private final long missedBytes;
    private final long originatorPackets;
    private final long originatorIpBytes;
    private final long responderPackets;
    private final long responderIpBytes;
    private final long handshakeRttNanos;
    private final long retransmits;
    private final long continuesId;
    private final long originatorTimeWaitNanos;
    private final long responderTimeWaitNanos;
    private final String connState;
    private final String history;
    private final Outcome outcome;
    private final TcpState originatorState;
    private final TcpState responderState;
    private final List<String> findings;
    private final int synRetries;
    private final int synAckRetries;
    private final int originatorUnansweredRetransmits;
    private final int responderUnansweredRetransmits;
    private final int dataAfterPeerReset;
    private final byte flags;
    private final byte resetBy;

    private ConnectionRecord(ZeekRecord record, boolean continuedLater, long attemptStartNanos) {
        ZeekConnection zeek = record.zeek();
        ConnectionMachine machine = record.machine();
        Side o = record.machineSide(Side.ORIGINATOR);
        Side r = record.machineSide(Side.RESPONDER);
        FourTuple tuple = record.tuple();
        this.originatorHigh = tuple.originatorHigh();
        this.originatorLow = tuple.originatorLow();
        this.responderHigh = tuple.responderHigh();
        this.responderLow = tuple.responderLow();
        this.ports = tuple.originatorPort() << 16 | tuple.responderPort();
        this.id = record.id();
        this.tsNanos = zeek.startNanos();
        this.endNanos = zeek.lastNanos();
        this.attemptStartNanos = attemptStartNanos;
        this.originatorBytes = zeek.size(true);
        this.responderBytes = zeek.size(false);
        this.missedBytes = zeek.missedBytes();
        this.originatorPackets = zeek.packets(true);
        this.originatorIpBytes = zeek.ipBytes(true);
        this.responderPackets = zeek.packets(false);
        this.responderIpBytes = zeek.ipBytes(false);
        this.handshakeRttNanos = machine.handshakeRttNanos().orElse(ABSENT);
        this.retransmits = machine.retransmits(o) + machine.retransmits(r);
        this.continuesId = record.continuesId().orElse(0);
        this.originatorTimeWaitNanos = machine.timeWaitEntered(o).orElse(ABSENT);
        this.responderTimeWaitNanos = machine.timeWaitEntered(r).orElse(ABSENT);
        this.connState = zeek.connState();
        this.history = Histories.shared(zeek.history());
        this.outcome = Outcome.classify(machine, record.midstream());
        this.originatorState = machine.state(o);
        this.responderState = machine.state(r);
        this.findings = List.of();
        this.synRetries = record.synRetries();
        this.synAckRetries = machine.synRetransmits(r);
        this.originatorUnansweredRetransmits = machine.unansweredRetransmits(o);
        this.responderUnansweredRetransmits = machine.unansweredRetransmits(r);
        this.dataAfterPeerReset = machine.dataAfterPeerReset(o) + machine.dataAfterPeerReset(r);
        boolean timeWait = machine.timeWaitSince(o).isPresent() || machine.timeWaitSince(r).isPresent();
        this.flags = (byte) ((timeWait ? TIME_WAIT_AT_END : 0) | (record.reusedInTimeWait() ? REUSED_TIME_WAIT : 0)
                | (record.midstream() ? MIDSTREAM : 0) | (continuedLater ? CONTINUED_LATER : 0)
                | (machine.synAckWithWrongAck() ? SYN_ACK_WITH_WRONG_ACK : 0));
        this.resetBy = machine.resetBy().isEmpty() ? 0 : machine.resetBy().get() == o ? (byte) 1 : (byte) 2;
    }

    /** A copy with the end-of-capture states and flags, or the findings, replaced. */
    private ConnectionRecord(ConnectionRecord from, long id, long continuesId, TcpState originatorState,
            TcpState responderState, int flags, List<String> findings) {
        this.originatorHigh = from.originatorHigh;
        this.originatorLow = from.originatorLow;
        this.responderHigh = from.responderHigh;
        this.responderLow = from.responderLow;
        this.ports = from.ports;
        this.id = id;
        this.tsNanos = from.tsNanos;
        this.endNanos = from.endNanos;
        this.attemptStartNanos = from.attemptStartNanos;
        this.originatorBytes = from.originatorBytes;
        this.responderBytes = from.responderBytes;
        this.missedBytes = from.missedBytes;
        this.originatorPackets = from.originatorPackets;
        this.originatorIpBytes = from.originatorIpBytes;
        this.responderPackets = from.responderPackets;
        this.responderIpBytes = from.responderIpBytes;
        this.handshakeRttNanos = from.handshakeRttNanos;
        this.retransmits = from.retransmits;
        this.continuesId = continuesId;
        this.originatorTimeWaitNanos = from.originatorTimeWaitNanos;
        this.responderTimeWaitNanos = from.responderTimeWaitNanos;
        this.connState = from.connState;
        this.history = from.history;
        this.outcome = from.outcome;
        this.originatorState = originatorState;
        this.responderState = responderState;
        this.findings = List.copyOf(findings);
        this.synRetries = from.synRetries;
        this.synAckRetries = from.synAckRetries;
        this.originatorUnansweredRetransmits = from.originatorUnansweredRetransmits;
        this.responderUnansweredRetransmits = from.responderUnansweredRetransmits;
        this.dataAfterPeerReset = from.dataAfterPeerReset;
        this.flags = (byte) flags;
        this.resetBy = from.resetBy;
    }

    /**
     * The finished record of {@code record}, whose machine has been finished at the end of the
     * capture or when Zeek logged it.
     */
    public static ConnectionRecord of(ZeekRecord record, boolean continuedLater, long attemptStartNanos) {
        return new ConnectionRecord(record, continuedLater, attemptStartNanos);
    }

    /**
     * The record as it stands at the end of the capture ({@code endNanos}): a TIME-WAIT that has
     * run its {@code timeWaitNanos} by then has closed, and whether a later record continues it.
     * Records are frozen when Zeek logs them, so this is all the end changes.
     */
    public ConnectionRecord atEnd(long endNanos, long timeWaitNanos, boolean continued) {
        TcpState a = expired(originatorState, originatorTimeWaitNanos, endNanos, timeWaitNanos);
        TcpState b = expired(responderState, responderTimeWaitNanos, endNanos, timeWaitNanos);
        boolean timeWait = a == TcpState.TIME_WAIT || b == TcpState.TIME_WAIT;
        if (a == originatorState && b == responderState && timeWait == timeWaitAtEnd() && continued == continuedLater()) {
            return this; // nothing the end of the capture changes
        }
        int changed = flags & ~(TIME_WAIT_AT_END | CONTINUED_LATER) | (timeWait ? TIME_WAIT_AT_END : 0)
                | (continued ? CONTINUED_LATER : 0);
        return new ConnectionRecord(this, id, continuesId, a, b, changed, findings);
    }

    /** The machine's rule: TIME-WAIT ends once 2×MSL has passed since it began. */
    private static TcpState expired(TcpState state, long since, long endNanos, long timeWaitNanos) {
        return state == TcpState.TIME_WAIT && since != ABSENT && endNanos - since >= timeWaitNanos
                ? TcpState.CLOSED : state;
    }

    /** The same record, naming the ids of the findings it is part of. */
    public ConnectionRecord withFindings(List<String> ids) {
        return new ConnectionRecord(this, id, continuesId, originatorState, responderState, flags, ids);
    }

    /**
     * The same record under another number, continuing the record {@code continuesId} names now
     * (when several trackers numbered records by packet, they are numbered again from 1).
     */
    public ConnectionRecord renumbered(java.util.function.LongUnaryOperator number) {
        return new ConnectionRecord(this, number.applyAsLong(id),
                continuesId == 0 ? 0 : number.applyAsLong(continuesId), originatorState, responderState, flags, findings);
    }

    /** The uid of the record with this id. */
    public static String uid(long id) {
        return "C" + Long.toString(id, 36);
    }

    /**
     * The record number in {@code uid}.
     *
     * @throws IllegalArgumentException if it is not a uid ({@code C} and a base-36 number)
     */
    public static long id(String uid) {
        if (uid.length() < 2 || uid.charAt(0) != 'C') {
            throw new IllegalArgumentException("not a connection uid: " + uid);
        }
        return Long.parseLong(uid, 1, uid.length(), 36);
    }

    /** The record's number, from 1 in the order records were made: its uid is made from it. */
    public long id() {
        return id;
    }

    /** Zeek's uid: {@code C} and the record's number in base 36. */
    public String uid() {
        return uid(id);
    }

    /** The connection's endpoints, originator first (a new object each time). */
    public FourTuple tuple() {
        return new FourTuple(originatorHigh, originatorLow, originatorPort(), responderHigh, responderLow,
                responderPort());
    }

    /** The originator's 128-bit address, high half (IPv4 is IPv4-mapped). */
    public long originatorHigh() {
        return originatorHigh;
    }

    public long originatorLow() {
        return originatorLow;
    }

    public long responderHigh() {
        return responderHigh;
    }

    public long responderLow() {
        return responderLow;
    }

    public long tsNanos() {
        return tsNanos;
    }

    public String originatorAddress() {
        return IpAddresses.format(originatorHigh, originatorLow);
    }

    public int originatorPort() {
        return ports >>> 16;
    }

    public String responderAddress() {
        return IpAddresses.format(responderHigh, responderLow);
    }

    public int responderPort() {
        return ports & 0xFFFF;
    }

    /** Last packet time minus first; absent when zero, as Zeek leaves it unset. */
    public OptionalLong durationNanos() {
        return timed() ? OptionalLong.of(endNanos - tsNanos) : OptionalLong.empty();
    }

    public OptionalLong originatorBytes() {
        return timed() ? OptionalLong.of(originatorBytes) : OptionalLong.empty();
    }

    public OptionalLong responderBytes() {
        return timed() ? OptionalLong.of(responderBytes) : OptionalLong.empty();
    }

    private boolean timed() {
        return endNanos > tsNanos;
    }

    public String connState() {
        return connState;
    }

    public long missedBytes() {
        return missedBytes;
    }

    public String history() {
        return history;
    }

    public long originatorPackets() {
        return originatorPackets;
    }

    public long originatorIpBytes() {
        return originatorIpBytes;
    }

    public long responderPackets() {
        return responderPackets;
    }

    public long responderIpBytes() {
        return responderIpBytes;
    }

    public Outcome outcome() {
        return outcome;
    }

    public TcpState originatorState() {
        return originatorState;
    }

    public TcpState responderState() {
        return responderState;
    }

    public int synRetries() {
        return synRetries;
    }

    public OptionalLong handshakeRttNanos() {
        return present(handshakeRttNanos);
    }

    public long retransmits() {
        return retransmits;
    }

    public boolean timeWaitAtEnd() {
        return (flags & TIME_WAIT_AT_END) != 0;
    }

    public boolean reusedTimeWait() {
        return (flags & REUSED_TIME_WAIT) != 0;
    }

    public boolean midstream() {
        return (flags & MIDSTREAM) != 0;
    }

    /** The record whose unanswered SYN this one repeats (Zeek's attempt timer split the attempt). */
    public Optional<String> continuesUid() {
        return continuesId == 0 ? Optional.empty() : Optional.of(uid(continuesId));
    }

    /** A later record repeats this one's unanswered SYN: the attempt went on there. */
    public boolean continuedLater() {
        return (flags & CONTINUED_LATER) != 0;
    }

    /** When the attempt began: {@code tsNanos}, or the first record's when it continues one. */
    public long attemptStartNanos() {
        return attemptStartNanos;
    }

    /** Last packet time. */
    public long endNanos() {
        return endNanos;
    }

    public int synAckRetries() {
        return synAckRetries;
    }

    public boolean synAckWithWrongAck() {
        return (flags & SYN_ACK_WITH_WRONG_ACK) != 0;
    }

    public Optional<Side> resetBy() {
        return Optional.ofNullable(RESET_BY[resetBy]);
    }

    /** Retransmissions the originator sent since the responder last spoke, at the end. */
    public int originatorUnansweredRetransmits() {
        return originatorUnansweredRetransmits;
    }

    public int responderUnansweredRetransmits() {
        return responderUnansweredRetransmits;
    }

    /** Segments with data sent by the side that had been reset. */
    public int dataAfterPeerReset() {
        return dataAfterPeerReset;
    }

    /** When the originator entered TIME-WAIT, if it did. */
    public OptionalLong originatorTimeWaitNanos() {
        return present(originatorTimeWaitNanos);
    }

    public OptionalLong responderTimeWaitNanos() {
        return present(responderTimeWaitNanos);
    }

    /** Ids of the findings this connection is part of (empty until detection ran). */
    public List<String> findings() {
        return findings;
    }

    private static OptionalLong present(long value) {
        return value == ABSENT ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** The responder as {@code ip:port} ({@code [v6]:port}): the service a connection asked for. */
    public String service() {
        return endpoint(responderAddress(), responderPort());
    }

    /** {@code ip:port}, IPv6 in brackets. */
    public static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    @Override
    public String toString() {
        return uid() + " " + tuple() + " " + connState + " " + history + " " + outcome;
    }
}
