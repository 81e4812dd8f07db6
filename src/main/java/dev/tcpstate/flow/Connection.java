package dev.tcpstate.flow;

import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.state.ConnectionMachine;
import dev.tcpstate.state.Side;
import dev.tcpstate.state.ZeekConnection;
import dev.tcpstate.state.ZeekState;

/**
 * One connection as the tracker follows it: the packets Zeek would put in one conn.log record,
 * with Zeek's view ({@link ZeekConnection}) and tcpstate's RFC 793 view of both endpoints
 * ({@link ConnectionMachine}). Frozen into a {@link ConnectionRecord} when it ends.
 */
public final class Connection {
    private long id;
    // the four-tuple, originator first, kept as numbers: one object less per tracked connection
    private long originatorHigh;
    private long originatorLow;
    private long responderHigh;
    private long responderLow;
    private int originatorPort;
    private int responderPort;
    private final ZeekConnection zeek;
    /**
     * The RFC 793 view of the four-tuple's endpoints (socket instances): usually this record's
     * own, but when Zeek split a connection whose sockets went on (a SYN retried, a simultaneous
     * open), the record before this one hands it over, so the view spans Zeek's records.
     */
    private ConnectionMachine machine;
    /** The machine's originator is this record's responder: the record before handed it over the other way round. */
    private boolean machineSwapped;
    /**
     * The record before this one whose endpoint outlives it (its peer lost the connection and
     * sent a new SYN: RFC 793 figure 10): its machine follows this record's packets until that
     * endpoint is closed, then its record is final. Null when there is none.
     */
    private ConnectionMachine previousMachine;
    private ConnectionRecord previousRecord;
    private long previousOriginatorHigh;
    private long previousOriginatorLow;
    private int previousOriginatorPort;
    /** The side of {@link #previousMachine} that is the earlier record's originator. */
    private Side previousOriginatorSide;
    private final long timeWaitNanos;
    private final boolean recordTransitions;
    private boolean midstream;
    private int flipsSeen;
    private boolean reusedInTimeWait;
    /** The record whose unanswered SYN this one's first SYN repeats (0: none), and that SYN's retries before it. */
    private long continuesId;
    private int inheritedSynRetries;
    private long attemptStartNanos;
    boolean endedByAttemptTimer;
    // Zeek's timers for this record (docs/zeek-conn-semantics.md section 5.2); MAX_VALUE when unarmed
    long attemptDue;
    long deleteDue;
    long expireDue;
    boolean removed;
    /** Zeek's tunnel_parents: the uids of the tunnels that carried it, a set of at most two (0: none). */
    private long tunnelParent;
    private long otherTunnelParent;
    /** Its place in the tracker's slab: the number its table, timer heap and age queues know it by. */
    final int place;
    /**
     * Where its place is marked at every change: every packet and every change the tracker makes
     * to it. A view taken of it stays true until its place is marked again (the live picture keeps
     * its frozen records so, instead of freezing a flood's million open connections every time).
     * Null when nobody asked ({@link ConnectionTracker#trackChanges}).
     */
    private final ChangedPlaces changeLog;

    Connection(int place, long id, TcpSegment first, boolean flipped, long timeWaitNanos, boolean recordTransitions) {
        this(place, id, first, flipped, timeWaitNanos, recordTransitions, null);
    }

    Connection(int place, long id, TcpSegment first, boolean flipped, long timeWaitNanos, boolean recordTransitions,
            ChangedPlaces changeLog) {
        this.place = place;
        this.changeLog = changeLog;
        this.timeWaitNanos = timeWaitNanos;
        this.recordTransitions = recordTransitions;
        boolean startsMidstream = startsMidstream(first);
        this.zeek = new ZeekConnection(first.timestampNanos(), flipped);
        this.machine = new ConnectionMachine(timeWaitNanos, startsMidstream, recordTransitions);
        setUp(id, first, flipped);
    }

    private static boolean startsMidstream(TcpSegment first) {
        return (first.flags() & dev.tcpstate.decode.TcpFlags.SYN) == 0;
    }

    /**
     * Makes this ended connection a new one, as the constructor would (the tracker reuses the
     * objects of ended records, so a flood does not allocate them millions of times); nothing may
     * still hold it.
     */
    void restart(long id, TcpSegment first, boolean flipped) {
        zeek.start(first.timestampNanos(), flipped);
        machine.start(startsMidstream(first));
        setUp(id, first, flipped);
    }

    /**
     * Hands this ended record's machine out (for the record that follows it) and gives this
     * object a fresh one: the tracker may make this object into the next record.
     */
    ConnectionMachine detachMachine() {
        changed();
        ConnectionMachine detached = machine;
        machine = new ConnectionMachine(timeWaitNanos, false, recordTransitions);
        return detached;
    }

    /**
     * Takes over {@code previous}, the machine of the record Zeek ended at this record's first
     * packet although its sockets go on (a SYN retried, a simultaneous open): this record's
     * packets continue it, so the RFC 793 view spans Zeek's records. {@code swapped}: the
     * machine's originator is this record's responder.
     */
    void continueEndpoints(ConnectionMachine previous, boolean swapped) {
        changed();
        machine = previous;
        machineSwapped = swapped;
    }

    /**
     * Keeps {@code previous}, the machine of the record before (frozen as {@code record}),
     * following this record's packets: one of its endpoints still holds the old connection,
     * which a later packet may end (the RST after a challenge ACK). {@code originator*}: the
     * machine's originator endpoint.
     */
    void followPrevious(ConnectionMachine previous, ConnectionRecord record, long originatorHigh,
            long originatorLow, int originatorPort, Side recordsOriginator) {
        changed();
        previousOriginatorSide = recordsOriginator;
        previousMachine = previous;
        previousRecord = record;
        previousOriginatorHigh = originatorHigh;
        previousOriginatorLow = originatorLow;
        previousOriginatorPort = originatorPort;
    }

    /** The earlier record whose endpoint is still followed, or null. */
    ConnectionRecord previousRecord() {
        return previousRecord;
    }

    ConnectionMachine previousMachine() {
        return previousMachine;
    }

    Side previousOriginatorSide() {
        return previousOriginatorSide;
    }

    /** The side of {@link #previousMachine} that sent {@code segment}. */
    Side previousSentBy(TcpSegment segment) {
        return FourTuple.fromOriginator(previousOriginatorHigh, previousOriginatorLow, previousOriginatorPort, segment)
                ? Side.ORIGINATOR : Side.RESPONDER;
    }

    /** The earlier record's endpoint is done: stop following it. */
    void dropPrevious() {
        changed();
        previousMachine = null;
        previousRecord = null;
    }

    /** Every field of its own, for a new connection. */
    private void setUp(long id, TcpSegment first, boolean flipped) {
        changed(); // a new connection, as a new object would be
        this.id = id;
        this.originatorHigh = first.sourceHigh();
        this.originatorLow = first.sourceLow();
        this.originatorPort = first.sourcePort();
        this.responderHigh = first.destinationHigh();
        this.responderLow = first.destinationLow();
        this.responderPort = first.destinationPort();
        if (flipped) {
            swap();
        }
        midstream = startsMidstream(first);
        flipsSeen = 0;
        machineSwapped = false;
        previousMachine = null;
        previousRecord = null;
        reusedInTimeWait = false;
        continuesId = 0;
        inheritedSynRetries = 0;
        attemptStartNanos = Long.MIN_VALUE;
        endedByAttemptTimer = false;
        attemptDue = Long.MAX_VALUE;
        deleteDue = Long.MAX_VALUE;
        expireDue = 0;
        removed = false;
        tunnelParent = 0;
        otherTunnelParent = 0;
    }

    /** Whether Zeek's originator sent {@code segment}. */
    public boolean fromOriginator(TcpSegment segment) {
        return FourTuple.fromOriginator(originatorHigh, originatorLow, originatorPort, segment);
    }

    /** Zeek's role reversal: the responder becomes the originator. */
    private void swap() {
        long high = originatorHigh;
        long low = originatorLow;
        int port = originatorPort;
        originatorHigh = responderHigh;
        originatorLow = responderLow;
        originatorPort = responderPort;
        responderHigh = high;
        responderLow = low;
        responderPort = port;
    }

    /**
     * The machine's side that is Zeek's {@code side} now: they differ after Zeek swapped the roles
     * inside the record (its SYN/SYN-ACK reversal), since the machine keeps the sides it began with.
     */
    public Side machineSide(Side side) {
        return (flipsSeen % 2 == 0) != machineSwapped ? side : side.peer();
    }

    /** A packet Zeek accepts (right checksum, or checksums ignored). */
    void packet(TcpSegment segment) {
        changed();
        addTunnelParent(segment.tunnelParent());
        boolean fromOriginator = fromOriginator(segment);
        zeek.packet(fromOriginator, segment);
        machine.segment(machineSide(fromOriginator ? Side.ORIGINATOR : Side.RESPONDER), segment);
        if (previousMachine != null) {
            Side sender = previousSentBy(segment);
            // the lost endpoint's new socket speaks in another sequence space: only its RST
            // (answering the challenge ACK) reaches the old connection's survivor
            if (previousMachine.lost().orElse(null) != sender || (segment.flags() & dev.tcpstate.decode.TcpFlags.RST) != 0) {
                previousMachine.segment(sender, segment);
            }
        }
        if (zeek.flips() != flipsSeen) {
            // Zeek's SYN/SYN-ACK reversal swapped the roles inside the record
            flipsSeen = zeek.flips();
            swap();
        }
    }

    void badChecksum(TcpSegment segment) {
        changed();
        addTunnelParent(segment.tunnelParent());
        zeek.badChecksum(fromOriginator(segment));
    }

    /** Zeek adds the immediate parent of every packet's tunnel to the set; a third one is not kept. */
    private void addTunnelParent(long uid) {
        if (uid == 0 || uid == tunnelParent || uid == otherTunnelParent) {
            return;
        }
        if (tunnelParent == 0) {
            tunnelParent = uid;
        } else if (otherTunnelParent == 0) {
            otherTunnelParent = uid;
        }
    }

    /** The first tunnel that carried it, and a second one (0: none). */
    long tunnelParent() {
        return tunnelParent;
    }

    long otherTunnelParent() {
        return otherTunnelParent;
    }

    public long id() {
        return id;
    }

    public ZeekConnection zeek() {
        return zeek;
    }

    /** tcpstate's RFC 793 view of the same packets. */
    public ConnectionMachine machine() {
        return machine;
    }

    public boolean midstream() {
        return midstream;
    }

    private void changed() {
        if (changeLog != null) {
            changeLog.mark(place);
        }
    }

    /** Its place in the tracker's slab, from 0: dense, so a view kept per connection can be an array. */
    public int place() {
        return place;
    }

    /** It began while an endpoint of the tuple's previous connection was still in TIME-WAIT. */
    public boolean reusedInTimeWait() {
        return reusedInTimeWait;
    }

    void markReusedInTimeWait() {
        changed();
        reusedInTimeWait = true;
    }

    void continueAttempt(long previousId, int synRetriesSoFar, long attemptStart) {
        changed();
        continuesId = previousId;
        inheritedSynRetries = synRetriesSoFar;
        attemptStartNanos = attemptStart;
    }

    /** When the attempt began: this record's start, or the first record's when it continues one. */
    public long attemptStartNanos() {
        return attemptStartNanos == Long.MIN_VALUE ? zeek.startNanos() : attemptStartNanos;
    }

    /**
     * The id of the record this one continues: Zeek's attempt timer ended that record while its
     * SYN went unanswered, and this record began with another copy of the same SYN (same ISN).
     */
    public java.util.OptionalLong continuesId() {
        return continuesId == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(continuesId);
    }

    /**
     * How often the originator's SYN was sent again: in this record, plus (for a record that
     * continues an attempt) in the records before it, so the last record of an attempt holds the
     * count the kernel's SYN retry counter reached.
     */
    public int synRetries() {
        return inheritedSynRetries + machine.synRetransmits(machineSide(Side.ORIGINATOR));
    }

    /** When the TIME-WAIT of an endpoint of this connection ends (2×MSL after it began), if one is in it. */
    java.util.OptionalLong timeWaitEnds(long timeWaitNanos) {
        long end = Long.MIN_VALUE;
        for (Side side : Side.values()) {
            java.util.OptionalLong since = machine.timeWaitSince(side);
            if (since.isPresent()) {
                end = Math.max(end, since.getAsLong() + timeWaitNanos);
            }
        }
        return end == Long.MIN_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(end);
    }

    // its endpoints one by one, originator first, for the package (no object)
    long originatorHigh() {
        return originatorHigh;
    }

    long originatorLow() {
        return originatorLow;
    }

    int originatorPort() {
        return originatorPort;
    }

    long responderHigh() {
        return responderHigh;
    }

    long responderLow() {
        return responderLow;
    }

    int responderPort() {
        return responderPort;
    }

    /** Its endpoints, originator first (a new object each time). */
    public FourTuple tuple() {
        return new FourTuple(originatorHigh, originatorLow, originatorPort, responderHigh, responderLow, responderPort);
    }

    boolean handshakeOnly() {
        return handshake(zeek.state(true)) && handshake(zeek.state(false));
    }

    private static boolean handshake(ZeekState state) {
        return state == ZeekState.INACTIVE || state == ZeekState.SYN_SENT || state == ZeekState.SYN_ACK_SENT;
    }
}
