package dev.tcpstate.flow;

import dev.tcpstate.decode.IpAddresses;
import dev.tcpstate.decode.TunnelUid;
import dev.tcpstate.state.ConnectionMachine;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.Side;
import dev.tcpstate.state.TcpState;
import dev.tcpstate.state.ZeekConnection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One finished connection record, immutable: Zeek's conn.log fields (names as in
 * docs/connections.md), tcpstate's RFC 793 view, and the facts the detectors need. Durations and sizes are
 * absent when Zeek leaves them unset (a record whose duration is zero).
 *
 * <p>A flood makes millions of these (the shell and the HTML table keep them all), so they are
 * small: the uid, the addresses and the optional values are made when asked for, the endpoints
 * are kept as numbers, and everything but the endpoints, number and times sits in details that
 * records alike share (a flood's records differ only in those).
 */
public final class ConnectionRecord {
    private static final long ABSENT = Long.MIN_VALUE;
    private static final int TIME_WAIT_AT_END = 1;
    private static final int REUSED_TIME_WAIT = 2;
    private static final int MIDSTREAM = 4;
    private static final int CONTINUED_LATER = 8;
    private static final int SYN_ACK_WITH_WRONG_ACK = 16;
    private static final Side[] RESET_BY = {null, Side.ORIGINATOR, Side.RESPONDER};
    /** A capture's millions of records have a few hundred distinct histories. */
    private static final Interner<String> HISTORIES = new Interner<>(16_384);

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
    /** Everything else; records that differ only in the fields above (a flood's) share one. */
    private final Details details;
    /** Zeek's tunnel_parents as {@link TunnelUid} numbers (0: none). */
    private final long tunnelParent;
    private final long otherTunnelParent;

    /**
     * What a record holds besides its endpoints, number and times. Records of a flood have the
     * same details (one SYN, one SYN-ACK, no answer), so details without times of their own are
     * shared through a bounded table.
     */
    private record Details(long originatorBytes, long responderBytes, long missedBytes, long originatorPackets,
            long originatorIpBytes, long responderPackets, long responderIpBytes, long handshakeRttNanos,
            long retransmits, long continuesId, long continuedInId, long originatorTimeWaitNanos,
            long responderTimeWaitNanos, long timeWaitEndNanos,
            String connState, String history, Outcome outcome, TcpState originatorState, TcpState responderState,
            int synRetries, int synAckRetries, int originatorUnansweredRetransmits,
            int responderUnansweredRetransmits, int dataAfterPeerReset, byte flags, byte resetBy) {

        private static final Interner<Details> SHARED = new Interner<>(16_384);

        /** The shared copy when there is one (or this becomes it); this when it holds times of its own. */
        Details shared() {
            if (handshakeRttNanos != ABSENT || continuesId != 0 || continuedInId != 0 || originatorTimeWaitNanos != ABSENT
                    || responderTimeWaitNanos != ABSENT || timeWaitEndNanos != ABSENT) {
                return this; // unique to its record: sharing would only fill the table
            }
            return SHARED.intern(this);
        }

        Details with(TcpState originator, TcpState responder, int newFlags, long newContinuedInId, long newTimeWaitEnd,
                Outcome newOutcome) {
            return new Details(originatorBytes, responderBytes, missedBytes, originatorPackets, originatorIpBytes,
                    responderPackets, responderIpBytes, handshakeRttNanos, retransmits, continuesId, newContinuedInId,
                    originatorTimeWaitNanos, responderTimeWaitNanos, newTimeWaitEnd, connState, history, newOutcome,
                    originator, responder, synRetries, synAckRetries, originatorUnansweredRetransmits,
                    responderUnansweredRetransmits, dataAfterPeerReset, (byte) newFlags, resetBy);
        }

        /** Zeek's fields as they are, tcpstate's RFC 793 fields from {@code machine} (sides {@code o}, {@code r}). */
        Details endpoints(ConnectionMachine machine, Side o, Side r, boolean midstream, int keptFlags) {
            return fromMachine(originatorBytes, responderBytes, missedBytes, originatorPackets, originatorIpBytes,
                    responderPackets, responderIpBytes, continuesId, continuedInId, connState, history, synRetries,
                    machine, o, r, midstream, keptFlags);
        }

        static Details fromMachine(long originatorBytes, long responderBytes, long missedBytes,
                long originatorPackets, long originatorIpBytes, long responderPackets, long responderIpBytes,
                long continuesId, long continuedInId, String connState, String history, int synRetries,
                ConnectionMachine machine, Side o, Side r, boolean midstream, int keptFlags) {
            boolean timeWait = machine.timeWaitSince(o).isPresent() || machine.timeWaitSince(r).isPresent();
            int flags = keptFlags & ~(TIME_WAIT_AT_END | SYN_ACK_WITH_WRONG_ACK) | (timeWait ? TIME_WAIT_AT_END : 0)
                    | (machine.synAckWithWrongAck() ? SYN_ACK_WITH_WRONG_ACK : 0);
            byte resetBy = machine.resetBy().isEmpty() ? 0 : machine.resetBy().get() == o ? (byte) 1 : (byte) 2;
            Outcome outcome = (keptFlags & CONTINUED_LATER) != 0 ? Outcome.CONTINUED
                    : Outcome.classify(machine, midstream, o);
            return new Details(originatorBytes, responderBytes, missedBytes, originatorPackets, originatorIpBytes,
                    responderPackets, responderIpBytes, machine.handshakeRttNanos().orElse(ABSENT),
                    machine.retransmits(o) + machine.retransmits(r), continuesId, continuedInId,
                    machine.timeWaitEntered(o).orElse(ABSENT), machine.timeWaitEntered(r).orElse(ABSENT),
                    machine.timeWaitEndedEarly().orElse(ABSENT), connState, history, outcome, machine.state(o),
                    machine.state(r), synRetries, machine.synRetransmits(r), machine.unansweredRetransmits(o),
                    machine.unansweredRetransmits(r), machine.dataAfterPeerReset(o) + machine.dataAfterPeerReset(r),
                    (byte) flags, resetBy);
        }
    }

    private ConnectionRecord(Connection record, boolean continuedLater, long attemptStartNanos) {
        ZeekConnection zeek = record.zeek();
        this.originatorHigh = record.originatorHigh();
        this.originatorLow = record.originatorLow();
        this.responderHigh = record.responderHigh();
        this.responderLow = record.responderLow();
        this.ports = record.originatorPort() << 16 | record.responderPort();
        this.id = record.id();
        this.tsNanos = zeek.startNanos();
        this.endNanos = zeek.lastNanos();
        this.attemptStartNanos = attemptStartNanos;
        this.tunnelParent = record.tunnelParent();
        this.otherTunnelParent = record.otherTunnelParent();
        int flags = (record.reusedInTimeWait() ? REUSED_TIME_WAIT : 0) | (record.midstream() ? MIDSTREAM : 0)
                | (continuedLater ? CONTINUED_LATER : 0);
        this.details = Details.fromMachine(zeek.size(true), zeek.size(false), zeek.missedBytes(), zeek.packets(true),
                zeek.ipBytes(true), zeek.packets(false), zeek.ipBytes(false), record.continuesId().orElse(0), 0,
                zeek.connState(), HISTORIES.intern(zeek.history()), record.synRetries(), record.machine(),
                record.machineSide(Side.ORIGINATOR), record.machineSide(Side.RESPONDER), record.midstream(), flags);
    }

    /** A copy with other details. */
    private ConnectionRecord(ConnectionRecord from, Details details) {
        this.originatorHigh = from.originatorHigh;
        this.originatorLow = from.originatorLow;
        this.responderHigh = from.responderHigh;
        this.responderLow = from.responderLow;
        this.ports = from.ports;
        this.id = from.id;
        this.tsNanos = from.tsNanos;
        this.endNanos = from.endNanos;
        this.attemptStartNanos = from.attemptStartNanos;
        this.details = details;
        this.tunnelParent = from.tunnelParent;
        this.otherTunnelParent = from.otherTunnelParent;
    }

    private ConnectionRecord(long originatorHigh, long originatorLow, long responderHigh, long responderLow, int ports,
            long id, long tsNanos, long endNanos, long attemptStartNanos, Details details, long tunnelParent,
            long otherTunnelParent) {
        this.originatorHigh = originatorHigh;
        this.originatorLow = originatorLow;
        this.responderHigh = responderHigh;
        this.responderLow = responderLow;
        this.ports = ports;
        this.id = id;
        this.tsNanos = tsNanos;
        this.endNanos = endNanos;
        this.attemptStartNanos = attemptStartNanos;
        this.details = details;
        this.tunnelParent = tunnelParent;
        this.otherTunnelParent = otherTunnelParent;
    }

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final TcpState[] STATES = TcpState.values();

    /**
     * Writes every field of the record, for {@link #readFrom} to make an equal record elsewhere:
     * the Flink job sends final records from its connection stage to its detector stage.
     */
    public void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeLong(originatorHigh);
        out.writeLong(originatorLow);
        out.writeLong(responderHigh);
        out.writeLong(responderLow);
        out.writeInt(ports);
        out.writeLong(id);
        out.writeLong(tsNanos);
        out.writeLong(endNanos);
        out.writeLong(attemptStartNanos);
        out.writeLong(tunnelParent);
        out.writeLong(otherTunnelParent);
        Details d = details;
        for (long value : new long[] {d.originatorBytes(), d.responderBytes(), d.missedBytes(), d.originatorPackets(),
                d.originatorIpBytes(), d.responderPackets(), d.responderIpBytes(), d.handshakeRttNanos(),
                d.retransmits(), d.continuesId(), d.continuedInId(), d.originatorTimeWaitNanos(),
                d.responderTimeWaitNanos(), d.timeWaitEndNanos()}) {
            out.writeLong(value);
        }
        out.writeUTF(d.connState());
        out.writeUTF(d.history());
        out.writeByte(d.outcome().ordinal());
        out.writeByte(d.originatorState().ordinal());
        out.writeByte(d.responderState().ordinal());
        out.writeInt(d.synRetries());
        out.writeInt(d.synAckRetries());
        out.writeInt(d.originatorUnansweredRetransmits());
        out.writeInt(d.responderUnansweredRetransmits());
        out.writeInt(d.dataAfterPeerReset());
        out.writeByte(d.flags());
        out.writeByte(d.resetBy());
    }

    /** A record as {@link #writeTo} wrote it. */
    public static ConnectionRecord readFrom(java.io.DataInput in) throws java.io.IOException {
        long originatorHigh = in.readLong();
        long originatorLow = in.readLong();
        long responderHigh = in.readLong();
        long responderLow = in.readLong();
        int ports = in.readInt();
        long id = in.readLong();
        long tsNanos = in.readLong();
        long endNanos = in.readLong();
        long attemptStartNanos = in.readLong();
        long tunnelParent = in.readLong();
        long otherTunnelParent = in.readLong();
        long[] v = new long[14];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readLong();
        }
        String connState = in.readUTF();
        String history = HISTORIES.intern(in.readUTF());
        Outcome outcome = OUTCOMES[in.readByte()];
        TcpState originatorState = STATES[in.readByte()];
        TcpState responderState = STATES[in.readByte()];
        Details details = new Details(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                v[13], connState, history, outcome, originatorState, responderState, in.readInt(), in.readInt(),
                in.readInt(), in.readInt(), in.readInt(), in.readByte(), in.readByte());
        return new ConnectionRecord(originatorHigh, originatorLow, responderHigh, responderLow, ports, id, tsNanos,
                endNanos, attemptStartNanos, details, tunnelParent, otherTunnelParent);
    }

    /**
     * The finished record of {@code record}, whose machine has been finished at the end of the
     * capture or when Zeek logged it.
     */
    public static ConnectionRecord of(Connection record, boolean continuedLater, long attemptStartNanos) {
        return new ConnectionRecord(record, continuedLater, attemptStartNanos);
    }

    /**
     * The record as it stands at the end of the capture ({@code endNanos}): a TIME-WAIT that has
     * run its {@code timeWaitNanos} by then has closed, and whether a later record continues it.
     * Records are frozen when Zeek logs them, so this is all the end changes.
     */
    public ConnectionRecord atEnd(long endNanos, long timeWaitNanos, boolean continued) {
        return atEnd(endNanos, timeWaitNanos, continued ? details.continuedInId() : 0, ABSENT);
    }

    /**
     * This record with its RFC 793 fields taken from {@code machine} (its endpoints, which lived
     * on after Zeek logged it), whose originator is {@code originator}; Zeek's fields stay.
     */
    ConnectionRecord withEndpoints(ConnectionMachine machine, Side originator) {
        return new ConnectionRecord(this, details.endpoints(machine, originator, originator.peer(), midstream(),
                details.flags()));
    }

    /**
     * {@link #atEnd(long, long, boolean)} for a record whose four-tuple a new connection took over
     * at {@code timeWaitEndedNanos} (MIN_VALUE: none did): the kernel keeps no TIME-WAIT for the
     * old one past that moment, so its TIME-WAIT ends there. {@code continuedIn}: the number of the
     * record that continues this one's endpoints (0: none), which makes its outcome
     * {@link Outcome#CONTINUED}.
     */
    public ConnectionRecord atEnd(long endNanos, long timeWaitNanos, long continuedIn, long timeWaitEndedNanos) {
        boolean continued = continuedIn != 0;
        long cut = details.timeWaitEndNanos() == ABSENT ? timeWaitEndedNanos
                : timeWaitEndedNanos == ABSENT ? details.timeWaitEndNanos()
                : Math.min(timeWaitEndedNanos, details.timeWaitEndNanos());
        boolean cutByEnd = cut != ABSENT && cut <= endNanos;
        TcpState a = expired(details.originatorState(), details.originatorTimeWaitNanos(), endNanos, timeWaitNanos,
                cutByEnd);
        TcpState b = expired(details.responderState(), details.responderTimeWaitNanos(), endNanos, timeWaitNanos,
                cutByEnd);
        boolean timeWait = a == TcpState.TIME_WAIT || b == TcpState.TIME_WAIT;
        if (a == details.originatorState() && b == details.responderState() && timeWait == timeWaitAtEnd()
                && continuedIn == details.continuedInId() && continued == continuedLater() && cut == details.timeWaitEndNanos()) {
            return this; // nothing the end of the capture changes
        }
        int changed = details.flags() & ~(TIME_WAIT_AT_END | CONTINUED_LATER) | (timeWait ? TIME_WAIT_AT_END : 0)
                | (continued ? CONTINUED_LATER : 0);
        return new ConnectionRecord(this, details.with(a, b, changed, continuedIn, cut,
                continued ? Outcome.CONTINUED : details.outcome()));
    }

    /**
     * When a TIME-WAIT this record's endpoint entered at {@code enteredNanos} ended: 2×MSL
     * ({@code timeWaitNanos}) later, or earlier when a RST (RFC 1337) or a new connection on the
     * four-tuple ended it.
     */
    public long timeWaitEnd(long enteredNanos, long timeWaitNanos) {
        long full = enteredNanos + timeWaitNanos;
        return details.timeWaitEndNanos() == ABSENT ? full : Math.max(enteredNanos, Math.min(full,
                details.timeWaitEndNanos()));
    }

    /**
     * The same record sharing its details with records alike, for a command that keeps millions
     * of records (a flood's differ only in their endpoints and times); records that stream through
     * are not worth the lookup.
     */
    public ConnectionRecord compact() {
        Details shared = details.shared();
        return shared == details ? this : new ConnectionRecord(this, shared);
    }

    /** The machine's rule: TIME-WAIT ends once 2×MSL has passed since it began, or when it was cut short. */
    private static TcpState expired(TcpState state, long since, long endNanos, long timeWaitNanos, boolean cut) {
        return state == TcpState.TIME_WAIT && (cut || since != ABSENT && endNanos - since >= timeWaitNanos)
                ? TcpState.CLOSED : state;
    }

    /** The uid of the record with this id, under this run's key ({@link Uids}). */
    public static String uid(long id) {
        return Uids.uid(id);
    }

    /**
     * The record number in {@code uid}, whichever run's key made it.
     *
     * @throws IllegalArgumentException if it is not a tcpstate connection uid
     */
    public static long id(String uid) {
        return Uids.decode(uid).id();
    }

    /** The record's number: the number of the TCP packet that made it (from 1), so its uid does not depend on threads. */
    public long id() {
        return id;
    }

    /** Zeek-style uid: {@code C} and 17 base-62 digits, the record's number under this run's key. */
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
        return timed() ? OptionalLong.of(details.originatorBytes()) : OptionalLong.empty();
    }

    public OptionalLong responderBytes() {
        return timed() ? OptionalLong.of(details.responderBytes()) : OptionalLong.empty();
    }

    private boolean timed() {
        return endNanos > tsNanos;
    }

    public String connState() {
        return details.connState();
    }

    public long missedBytes() {
        return details.missedBytes();
    }

    public String history() {
        return details.history();
    }

    public long originatorPackets() {
        return details.originatorPackets();
    }

    public long originatorIpBytes() {
        return details.originatorIpBytes();
    }

    public long responderPackets() {
        return details.responderPackets();
    }

    public long responderIpBytes() {
        return details.responderIpBytes();
    }

    public Outcome outcome() {
        return details.outcome();
    }

    public TcpState originatorState() {
        return details.originatorState();
    }

    public TcpState responderState() {
        return details.responderState();
    }

    public int synRetries() {
        return details.synRetries();
    }

    public OptionalLong handshakeRttNanos() {
        return present(details.handshakeRttNanos());
    }

    public long retransmits() {
        return details.retransmits();
    }

    public boolean timeWaitAtEnd() {
        return (details.flags() & TIME_WAIT_AT_END) != 0;
    }

    public boolean reusedTimeWait() {
        return (details.flags() & REUSED_TIME_WAIT) != 0;
    }

    public boolean midstream() {
        return (details.flags() & MIDSTREAM) != 0;
    }

    /** The record whose unanswered SYN this one repeats (Zeek's attempt timer split the attempt). */
    public Optional<String> continuesUid() {
        return details.continuesId() == 0 ? Optional.empty() : Optional.of(uid(details.continuesId()));
    }

    /**
     * A later record continues this one's endpoints (it repeats this one's unanswered SYN, or
     * Zeek split a simultaneous open): the connection went on there.
     */
    public boolean continuedLater() {
        return (details.flags() & CONTINUED_LATER) != 0;
    }

    /** The record that continues this one's endpoints, when one does. */
    public Optional<String> continuedInUid() {
        return details.continuedInId() == 0 ? Optional.empty() : Optional.of(uid(details.continuedInId()));
    }

    /** When the attempt began: {@code tsNanos}, or the first record's when it continues one. */
    public long attemptStartNanos() {
        return attemptStartNanos;
    }

    /** Zeek's tunnel_parents: the uids of the tunnels that carried the connection; empty when none did. */
    public List<String> tunnelParents() {
        if (tunnelParent == 0) {
            return List.of();
        }
        return otherTunnelParent == 0 ? List.of(TunnelUid.format(tunnelParent))
                : List.of(TunnelUid.format(tunnelParent), TunnelUid.format(otherTunnelParent));
    }

    /** Last packet time. */
    public long endNanos() {
        return endNanos;
    }

    public int synAckRetries() {
        return details.synAckRetries();
    }

    public boolean synAckWithWrongAck() {
        return (details.flags() & SYN_ACK_WITH_WRONG_ACK) != 0;
    }

    public Optional<Side> resetBy() {
        return Optional.ofNullable(RESET_BY[details.resetBy()]);
    }

    /** Retransmissions the originator sent since the responder last spoke, at the end. */
    public int originatorUnansweredRetransmits() {
        return details.originatorUnansweredRetransmits();
    }

    public int responderUnansweredRetransmits() {
        return details.responderUnansweredRetransmits();
    }

    /** Segments with data sent by the side that had been reset. */
    public int dataAfterPeerReset() {
        return details.dataAfterPeerReset();
    }

    /** When the originator entered TIME-WAIT, if it did. */
    public OptionalLong originatorTimeWaitNanos() {
        return present(details.originatorTimeWaitNanos());
    }

    public OptionalLong responderTimeWaitNanos() {
        return present(details.responderTimeWaitNanos());
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
        return uid() + " " + tuple() + " " + connState() + " " + history() + " " + outcome();
    }
}
