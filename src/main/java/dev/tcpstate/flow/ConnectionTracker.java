package dev.tcpstate.flow;

import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.state.ZeekConnection;
import dev.tcpstate.state.ZeekState;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * Tracks the connections of a packet stream: finds each segment's {@link Connection} in the flow
 * table, feeds it both views (Zeek's and the RFC 793 endpoints), and ends connections where
 * {@link ZeekRules} ends them (a SYN that reuses the four-tuple, a timer), so that each connection
 * is one conn.log record. Packets with a bad TCP checksum still create, reuse and mark a
 * connection. Timers fire at the first packet at or after their due time, as Zeek's do; at most
 * {@code --max-flows} connections are tracked at once (the oldest half-open evicted first).
 *
 * <p>Records leave as they become final (docs/architecture.md, "The engine is a stream"): when
 * the connection ends, or later for the two things the end of a record still waits on: an endpoint's
 * TIME-WAIT running out, and a later copy of an unanswered SYN continuing the attempt. Those wait
 * in a queue bounded like the memories of ended four-tuples. Final records are handed out in
 * packet-time order, those of one moment by record number, so that sharded trackers merge into
 * the same stream one tracker gives.
 */
public final class ConnectionTracker {
    private static final long SECOND = 1_000_000_000L;
    /**
     * How long an attempt the attempt timer ended is remembered, so that a later copy of its SYN
     * is known for a retry: Linux gives up on a SYN after 127 s (tcp_syn_retries = 6).
     */
    private static final long SYN_RETRY_SPAN = 130 * SECOND;
    /** How often (packet time) memories of ended records are dropped once they are no longer needed. */
    private static final long FORGET_INTERVAL = 10 * SECOND;

    /**
     * What a four-tuple's last record leaves behind once it is logged: when an endpoint's
     * TIME-WAIT ends, and the unanswered SYN of an attempt the attempt timer ended; and the record
     * itself until it is final (its TIME-WAIT, or a retry of its SYN, may still change it). One
     * object with the tuple inline: a busy server holds one per connection for 2×MSL.
     */
    private static final class Ended implements Comparable<Ended> {
        // the four-tuple, originator first (the table's key)
        long originatorHigh;
        long originatorLow;
        long responderHigh;
        long responderLow;
        int originatorPort;
        int responderPort;
        /** No longer in the table. */
        boolean gone;
        long timeWaitEnds = Long.MIN_VALUE;
        boolean attempt;
        int attemptIsn;
        long attemptId;
        int attemptSynRetries;
        long attemptStart;
        long forgetAt;
        /** The ended record while it waits in {@link #held} to be final; null once it went out. */
        ConnectionRecord record;
        /** The record that continued its attempt (0: none yet). */
        long continuedIn;
        /** When a new connection took the four-tuple over during its TIME-WAIT; MIN_VALUE: none did. */
        long timeWaitTakenOver = Long.MIN_VALUE;
        // links of the oldest-first queue of memories, while one is kept
        Ended older;
        Ended newer;

        @Override
        public int compareTo(Ended other) {
            return Long.compare(forgetAt, other.forgetAt);
        }

        boolean fromOriginator(TcpSegment segment) {
            return FourTuple.fromOriginator(originatorHigh, originatorLow, originatorPort, segment);
        }
    }

    /** Four-tuples to the places of their open connections in {@link #slab}. */
    private final TupleIndex table;
    /**
     * Every connection object by place; the table, timers and age queues hold places, not
     * references. A place is free again once its connection ended; with {@link #reuse} its object
     * is made into the next connection there, else a new one is.
     */
    private Connection[] slab;
    /** Places whose connection began, changed or ended, for a caller that asked ({@link #trackChanges}); else null. */
    private ChangedPlaces changed;
    private int slabUsed;
    private int[] freePlaces;
    private int freeCount;
    /** Free places that keep their ended connection's object for the next one. */
    private int spareObjects;
    /** Spare objects kept at most: creations and removals come in turns, and after a burst the rest go. */
    private static final int MAX_SPARES = 4096;
    /** Per four-tuple whose last record left something to remember. */
    private final FlowTable<Ended> ended;
    private final TimerHeap timers;
    private final ZeekRules rules;
    private final long timeWaitNanos;
    private static final Comparator<ConnectionRecord> BY_NUMBER = (a, b) -> Long.compare(a.id(), b.id());
    private final ObjLongConsumer<ConnectionRecord> finals;
    private Consumer<Connection> logged = record -> { };
    /**
     * TCP packets seen, this tracker's and (when sharded) the ones other trackers own: a record is
     * numbered by the packet that made it, so every way of sharding numbers it alike.
     */
    private long packets;
    /** Packet time, never going back: the moment records become final at. */
    private long clock = Long.MIN_VALUE;
    /** Records that became final at {@link #clock}, handed out in number order once time moves on. */
    private final java.util.ArrayList<ConnectionRecord> finalNow = new java.util.ArrayList<>();
    /** Logged records waiting to be final (their memories), the one due first at the head. */
    private final java.util.PriorityQueue<Ended> held = new java.util.PriorityQueue<>();
    private long nextForget = Long.MIN_VALUE;
    private boolean recordTransitions;
    private int maxFlows = Integer.MAX_VALUE;
    private long evictions;
    // memories of ended four-tuples in the order they were made, while {@link #limit} bounds them too
    private Ended oldestMemory;
    private Ended newestMemory;
    private long forgottenEarly;
    /** Records in creation order: the ones still in their handshake, and all, while {@link #limit} bounds them. */
    private final AgeQueue attempts;
    private final AgeQueue byAge;
    private long tappedId;
    private PacketTap tap;
    /** Whether ended connections' objects are reused ({@link #reuseConnections}). */
    private boolean reuse;
    /** Whether records are numbered by their first packet's frame number ({@link #numberByFrame}). */
    private boolean numberByFrame;

    /** Sees every packet of one record, after the record has taken it in (a ladder diagram draws them). */
    public interface PacketTap {
        void packet(Connection record, TcpSegment segment, boolean checksumBad);
    }

    private Consumer<Connection> created = record -> { };
    private Consumer<Connection> touched = record -> { };

    /** Told of the record each packet went to, after it was taken in. */
    public void onPacket(Consumer<Connection> listener) {
        this.touched = listener;
    }

    /** Told of each record when Zeek logs it, before it may be final (live monitoring's "closed"). */
    public void onLogged(Consumer<Connection> listener) {
        this.logged = listener;
    }

    /** Told of each new record after its first packet (live monitoring's "connection opened"). */
    public void onCreated(Consumer<Connection> listener) {
        this.created = listener;
    }

    /**
     * Moves time on without a packet: timers due by {@code now} fire. Live capture calls it when
     * traffic stops, so idle connections still end.
     */
    public void advance(long now) {
        tick(now);
        fireTimers(now);
    }

    /** The records open now, oldest first (a copy). */
    public List<Connection> open() {
        List<Connection> open = openConnections();
        open.sort(Comparator.comparingLong(Connection::id));
        return open;
    }

    /**
     * The connections tracked now, in no order: for a caller that sorts elsewhere (the live
     * picture, on its own thread; a million tracked connections take seconds to sort here).
     */
    public List<Connection> openInAnyOrder() {
        return openConnections();
    }

    /**
     * From now on, marks the place of every connection that begins, changes or ends (call it
     * before the first packet): a caller that keeps a view per open connection updates just those.
     */
    public ChangedPlaces trackChanges() {
        if (changed == null) {
            changed = new ChangedPlaces();
        }
        return changed;
    }

    /** The connection open at slab place {@code place}, or null when none is. */
    public Connection openAt(int place) {
        Connection record = place < slab.length ? slab[place] : null;
        return record == null || record.removed ? null : record;
    }

    /** Hands every packet of record {@code id} to {@code tap}; ids are given in order, from 1. */
    public void tap(long id, PacketTap tap) {
        this.tappedId = id;
        this.tap = tap;
        this.recordTransitions = true;
    }

    /**
     * Tracks at most {@code flows} connections at once: a new one beyond that first evicts the
     * oldest whose handshake never completed (a SYN flood's spoofed attempts), else the oldest of all. An
     * evicted record is logged as it stands, like one a timer ended, and counted.
     */
    public void limit(int flows) {
        this.maxFlows = flows;
    }

    /** Records evicted by {@link #limit}. */
    public long evictions() {
        return evictions;
    }

    /**
     * Memories of ended four-tuples that {@link #limit} made room for: a new connection on one of
     * them was not checked for reuse in TIME-WAIT or for repeating the ended attempt's SYN.
     */
    public long forgottenEarly() {
        return forgottenEarly;
    }

    /**
     * Reuse the objects of ended connections for new ones (a flood's millions of attempts then
     * allocate little): only for callers that hold no {@link Connection} past the listener call
     * that hands it to them. Never while transitions are kept (a ladder, the live view).
     */
    public void reuseConnections() {
        this.reuse = true;
    }

    /** Keep every record's state changes with their causes (the live detail view shows them). */
    public void recordTransitions() {
        this.recordTransitions = true;
    }

    /**
     * @param finals told of each record once it is final, with the packet time it became final at;
     *     in that time's order, records of one moment by number
     */
    public ConnectionTracker(Set<Integer> likelyServerPorts, long timeWaitNanos, ZeekRules.Timeouts timeouts,
            ObjLongConsumer<ConnectionRecord> finals) {
        this(likelyServerPorts, timeWaitNanos, timeouts, finals, DEFAULT_EXPECTED_FLOWS);
    }

    /** Connections a tracker's tables are first sized for; they grow as needed. */
    public static final int DEFAULT_EXPECTED_FLOWS = 1024;

    /**
     * As above, with tables first sized for {@code expectedFlows} connections at once (they grow
     * past it as usual). A tracker per four-tuple (the Flink job keeps one per key) passes 1: a
     * few kilobytes instead of about 200 KiB, the same answers.
     */
    public ConnectionTracker(Set<Integer> likelyServerPorts, long timeWaitNanos, ZeekRules.Timeouts timeouts,
            ObjLongConsumer<ConnectionRecord> finals, int expectedFlows) {
        this(new ZeekRules(likelyServerPorts, timeouts), timeWaitNanos, finals, expectedFlows);
    }

    /** As above, with Zeek's rules made once for many trackers. */
    public ConnectionTracker(ZeekRules rules, long timeWaitNanos, ObjLongConsumer<ConnectionRecord> finals,
            int expectedFlows) {
        if (expectedFlows < 1) {
            throw new IllegalArgumentException("expected flows: " + expectedFlows + " (expected: at least 1)");
        }
        this.rules = rules;
        this.timeWaitNanos = timeWaitNanos;
        this.finals = finals;
        int slots = Math.max(4, expectedFlows);
        this.table = new TupleIndex(expectedFlows);
        this.slab = new Connection[slots];
        this.freePlaces = new int[slots];
        this.ended = new FlowTable<>(expectedFlows);
        this.timers = new TimerHeap(slots);
        this.attempts = new AgeQueue(slots);
        this.byAge = new AgeQueue(slots);
    }

    /**
     * Numbers each record by the {@link TcpSegment#frameNumber()} of the packet that made it
     * instead of by counting packets: for a tracker that sees only some of the packets (one per
     * four-tuple, as in the Flink job), whose caller makes frame numbers unique across its input,
     * so that uids stay unique and do not depend on how the work was shared out.
     */
    public void numberByFrame() {
        this.numberByFrame = true;
    }

    /**
     * Hands out the records final at the current packet time now, instead of when time next moves
     * on: for a driver that knows no packet of this moment is still to come (an event-time
     * watermark has passed it).
     */
    public void flush() {
        flushFinal();
    }

    /**
     * When something happens next without a packet: the first timer due, or the first held
     * record due to be final ({@link #advance} at that time does it); MAX_VALUE when nothing will.
     */
    public long nextDue() {
        long due = timers.firstDue();
        return held.isEmpty() ? due : Math.min(due, held.peek().forgetAt);
    }

    /**
     * Until when an ended four-tuple's memory can still change a later connection on it (a reuse
     * in TIME-WAIT, a retried SYN); MIN_VALUE when nothing is remembered. Once that has passed and
     * nothing is open, the tracker holds nothing a later packet depends on but its record numbers.
     */
    public long rememberedUntil() {
        long until = Long.MIN_VALUE;
        for (Ended memory : ended.values()) {
            until = Math.max(until, memory.forgetAt);
        }
        return until;
    }

    /** Packet time so far (the latest seen); MIN_VALUE before the first packet. */
    public long clock() {
        return clock;
    }

    /**
     * Time moves to {@code now}: what became final before it goes out, and held records due by
     * then are final now (only a later clock can make them due, so this is the one place to look).
     */
    private void tick(long now) {
        if (now > clock) {
            flushFinal();
            clock = now;
            releaseHeld();
        }
    }

    private void flushFinal() {
        if (finalNow.isEmpty()) {
            return;
        }
        if (finalNow.size() > 1) {
            finalNow.sort(BY_NUMBER);
        }
        for (ConnectionRecord record : finalNow) {
            finals.accept(record, clock);
        }
        finalNow.clear();
    }

    /** Held records whose time has come. */
    private void releaseHeld() {
        while (!held.isEmpty() && held.peek().forgetAt <= clock) {
            release(held.poll());
        }
    }

    private void release(Ended entry) {
        if (entry.record != null) {
            finalNow.add(entry.record.atEnd(clock, timeWaitNanos, entry.continuedIn, entry.timeWaitTakenOver));
            entry.record = null;
        }
    }

    /**
     * One decoded TCP packet; {@code checksumBad} when its TCP checksum failed validation (it then
     * only creates or reuses a record and adds {@code C}/{@code c}).
     */
    public void packet(TcpSegment segment, boolean checksumBad) {
        long now = segment.timestampNanos();
        packets = numberByFrame ? segment.frameNumber() : packets + 1;
        tick(now);
        fireTimers(now);
        if (now >= nextForget) {
            for (Ended memory : ended.removeIf(memory -> memory.forgetAt <= now)) {
                forget(memory);
            }
            nextForget = now + FORGET_INTERVAL;
        }
        int place = table.get(segment);
        Connection record = place < 0 ? null : slab[place];
        Connection previous = null;
        if (record != null && ZeekRules.isReuse(record, segment)) {
            previous = record;
            record = null;
        }
        boolean fresh = record == null;
        if (previous == null) {
            if (fresh) {
                record = create(segment);
            }
        } else if (checksumBad) {
            remove(previous);
            record = create(segment);
        } else {
            record = split(previous, segment);
        }
        if (checksumBad) {
            record.badChecksum(segment);
            if (record.id() == tappedId) {
                tap.packet(record, segment, true);
            }
            if (fresh) {
                created.accept(record);
            }
            return;
        }
        boolean wasClosedOrig = record.zeek().closed(true);
        boolean wasClosedResp = record.zeek().closed(false);
        boolean fromOriginatorBefore = record.fromOriginator(segment);
        ZeekState originatorBefore = record.zeek().state(true);
        record.packet(segment);
        if (record.previousRecord() != null && previousDone(record, segment)) {
            settlePrevious(record);
        }
        if (record.id() == tappedId) {
            tap.packet(record, segment, false);
        }
        rules.armAfterPacket(record, segment, fromOriginatorBefore, originatorBefore, wasClosedOrig, wasClosedResp,
                now);
        schedule(record);
        if (fresh) {
            created.accept(record);
        }
        touched.accept(record);
    }

    /**
     * Zeek ends {@code previous} at {@code syn} (its reuse rule) and starts a new record with it.
     * The endpoints do not always end there too (docs/state-model.md, "Records and sockets"):
     * <ul>
     * <li>the SYN is a copy of an unanswered SYN, or the second SYN of a simultaneous open: the
     *     same sockets go on, and the new record takes over the machine (the earlier record's
     *     outcome is {@code continued});</li>
     * <li>the SYN has a new ISN from an endpoint of a synchronized connection: that endpoint's
     *     socket is gone (RFC 793 figure 10), while its peer still holds the connection until
     *     the new record's packets end it (the RST that answers its challenge ACK); the earlier
     *     record follows them until then;</li>
     * <li>otherwise both are new sockets.</li>
     * </ul>
     */
    private Connection split(Connection previous, TcpSegment syn) {
        boolean fromOriginator = previous.fromOriginator(syn);
        dev.tcpstate.state.Side sender = previous.machineSide(fromOriginator
                ? dev.tcpstate.state.Side.ORIGINATOR : dev.tcpstate.state.Side.RESPONDER);
        dev.tcpstate.state.ConnectionMachine machine = previous.machine();
        if (machine.continuedBy(sender, syn.flags(), syn.sequence())) {
            long previousId = previous.id();
            long attemptStart = previous.attemptStartNanos();
            remove(previous, packets, false);
            dev.tcpstate.state.ConnectionMachine carried = previous.detachMachine();
            Connection record = create(syn);
            // a pure SYN: the new record's originator is its sender
            record.continueEndpoints(carried, sender == dev.tcpstate.state.Side.RESPONDER);
            record.continueAttempt(previousId, 0, attemptStart);
            return record;
        }
        if (machine.lostBy(sender, syn.flags(), syn.sequence())) {
            machine.lose(sender, syn.timestampNanos(), syn.frameNumber());
            boolean machineOriginatorIsRecords = previous.machineSide(dev.tcpstate.state.Side.ORIGINATOR)
                    == dev.tcpstate.state.Side.ORIGINATOR;
            long high = machineOriginatorIsRecords ? previous.originatorHigh() : previous.responderHigh();
            long low = machineOriginatorIsRecords ? previous.originatorLow() : previous.responderLow();
            int port = machineOriginatorIsRecords ? previous.originatorPort() : previous.responderPort();
            ConnectionRecord frozen = remove(previous, 0, true);
            dev.tcpstate.state.ConnectionMachine followed = previous.detachMachine();
            Connection record = create(syn);
            record.followPrevious(followed, frozen, high, low, port,
                    machineOriginatorIsRecords ? dev.tcpstate.state.Side.ORIGINATOR : dev.tcpstate.state.Side.RESPONDER);
            return record;
        }
        remove(previous);
        return create(syn);
    }

    /**
     * Whether the earlier record that {@code record} follows is over: its surviving endpoint no
     * longer holds the connection (a RST it believed), or it answered the new SYN with a SYN-ACK,
     * which it does only once its old socket is gone.
     */
    private static boolean previousDone(Connection record, TcpSegment segment) {
        dev.tcpstate.state.ConnectionMachine machine = record.previousMachine();
        dev.tcpstate.state.Side survivor = machine.lost().orElseThrow().peer();
        if (!machine.holds(survivor)) {
            return true;
        }
        if ((segment.flags() & (TcpFlags.SYN | TcpFlags.ACK)) == (TcpFlags.SYN | TcpFlags.ACK)
                && record.previousSentBy(segment) == survivor) {
            machine.gone(survivor, segment.timestampNanos(), segment.frameNumber(),
                    "answered a new SYN on its four-tuple with a SYN-ACK: its socket of this connection was gone");
            return true;
        }
        return false;
    }

    /** The earlier record {@code record} followed is final now, its endpoints as they are. */
    private void settlePrevious(Connection record) {
        ConnectionRecord previous = record.previousRecord();
        if (previous == null) {
            return;
        }
        finalNow.add(previous.withEndpoints(record.previousMachine(), record.previousOriginatorSide())
                .atEnd(clock, timeWaitNanos, false));
        record.dropPrevious();
    }

    /**
     * A TCP packet at {@code now} that another tracker owns: timers fire at it, as Zeek's fire at
     * the next packet of any connection. What a record holds does not depend on when its timer
     * fires, so this is not needed for the results, but it ends records as soon as one tracker
     * would, which keeps each tracker's table and eviction order close to one tracker's.
     */
    public void skip(long now) {
        packets++;
        tick(now);
        fireTimers(now);
    }

    /** Records open now. */
    public int size() {
        return table.size();
    }

    /** Four-tuples whose logged record is still remembered (TIME-WAIT, or an attempt that may be retried). */
    public int remembered() {
        return ended.size();
    }

    /**
     * End of the capture, whose last packet (of any kind) was at {@code endNanos}: every record
     * still open is logged as it is, and every record still waiting is final as it stands then.
     */
    public void finish(long endNanos) {
        tick(endNanos);
        List<Connection> open;
        if (maxFlows != Integer.MAX_VALUE) {
            // the age queue already holds them in the order they were made: no sort of a million records
            open = new java.util.ArrayList<>(table.size());
            for (int place = byAge.oldest(); place >= 0; place = byAge.newer(place)) {
                open.add(slab[place]);
            }
        } else {
            open = openConnections();
            open.sort(Comparator.comparingLong(Connection::id));
        }
        for (Connection record : open) {
            record.removed = true;
            if (changed != null) {
                changed.mark(record.place);
            }
            logged.accept(record);
            settlePrevious(record);
            finalNow.add(ConnectionRecord.of(record, false, record.attemptStartNanos()).atEnd(clock, timeWaitNanos,
                    false));
        }
        table.clear();
        timers.clear();
        while (!held.isEmpty()) {
            release(held.poll());
        }
        ended.clear();
        oldestMemory = null;
        newestMemory = null;
        byAge.clear();
        attempts.clear();
        java.util.Arrays.fill(slab, null);
        slabUsed = 0;
        freeCount = 0;
        spareObjects = 0;
        flushFinal();
    }

    private void evictOne() {
        Connection victim = null;
        while (attempts.oldest() >= 0 && victim == null) {
            Connection oldest = slab[attempts.oldest()];
            attempts.remove(oldest.place);
            if (!oldest.machine().everEstablished()) {
                victim = oldest; // half-open: its handshake never completed
            }
        }
        if (victim == null && byAge.oldest() >= 0) {
            victim = slab[byAge.oldest()];
        }
        if (victim != null) {
            evictions++;
            remove(victim);
        }
    }

    private Connection create(TcpSegment segment) {
        if (table.size() >= maxFlows) {
            evictOne();
        }
        boolean pureSyn = (segment.flags() & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN;
        boolean flip = rules.flippedAtCreation(segment);
        Connection record;
        int place = freeCount > 0 ? freePlaces[--freeCount] : newPlace();
        if (slab[place] != null) {
            record = slab[place];
            spareObjects--;
            record.restart(packets, segment, flip);
        } else {
            record = new Connection(place, packets, segment, flip, timeWaitNanos, recordTransitions, changed);
            slab[place] = record;
        }
        Ended memory = ended.get(segment);
        if (memory != null) {
            // a memory past its time counts as forgotten, whenever the sweep would have got to it
            boolean current = memory.forgetAt > segment.timestampNanos();
            if (current && segment.timestampNanos() < memory.timeWaitEnds) {
                record.markReusedInTimeWait();
                if (memory.record != null) {
                    // the kernel keeps no TIME-WAIT for the old connection once a new one takes
                    // the four-tuple (it accepts the SYN in TIME-WAIT, or reuses the port): the
                    // old record is final now, its TIME-WAIT over
                    memory.timeWaitTakenOver = segment.timestampNanos();
                    release(memory);
                }
            }
            if (current && memory.attempt && pureSyn && memory.fromOriginator(segment)
                    && segment.sequence() == memory.attemptIsn) {
                // the same SYN again: the attempt goes on in this record, and this copy is a retry
                record.continueAttempt(memory.attemptId, memory.attemptSynRetries + 1, memory.attemptStart);
                if (memory.record != null) {
                    memory.continuedIn = record.id(); // nothing else can change the ended record now
                    release(memory);
                }
            }
            ended.remove(segment);
            forget(memory);
        }
        table.put(segment, place);
        if (maxFlows != Integer.MAX_VALUE) {
            byAge.add(place);
            if (pureSyn) {
                attempts.add(place);
            }
        }
        rules.armAtCreation(record, segment.timestampNanos());
        schedule(record);
        return record;
    }

    /**
     * Keeps each record in the queue once, at its earliest due time; a later due time (the record
     * saw traffic) is noticed when the entry fires, so most packets leave the queue alone.
     */
    private void schedule(Connection record) {
        long due = rules.nextDue(record);
        if (due < timers.due(record.place)) {
            timers.schedule(record.place, due);
        }
    }

    /** Runs every timer due by {@code now}; each sees {@code now} as its time, as in Zeek. */
    private void fireTimers(long now) {
        while (timers.firstDue() <= now) {
            Connection record = slab[timers.poll()];
            if (rules.nextDue(record) > now) {
                schedule(record); // traffic moved its timers on
            } else if (rules.expire(record, now)) {
                remove(record);
            } else {
                schedule(record);
            }
        }
    }

    private void remove(Connection record) {
        remove(record, 0, false);
    }

    /**
     * Logs {@code record}. {@code continuedIn}: the number of the record that takes its endpoints
     * over (0: none); {@code follow}: a later record follows its endpoints, so it is not final
     * yet and goes to that record instead. Returns it as frozen.
     */
    private ConnectionRecord remove(Connection record, long continuedIn, boolean follow) {
        record.removed = true;
        if (changed != null) {
            changed.mark(record.place);
        }
        // the table holds the record under its tuple, either order
        table.remove(record.originatorHigh(), record.originatorLow(), record.originatorPort(), record.responderHigh(),
                record.responderLow(), record.responderPort());
        logged.accept(record);
        settlePrevious(record);
        ConnectionRecord frozen = ConnectionRecord.of(record, continuedIn != 0, record.attemptStartNanos());
        Ended memory = continuedIn != 0 || follow ? null : remember(record);
        byAge.remove(record.place);
        attempts.remove(record.place);
        if (continuedIn != 0) {
            finalNow.add(frozen.atEnd(clock, timeWaitNanos, continuedIn, Long.MIN_VALUE));
        } else if (follow) {
            // final once the record that follows it says so
        } else if (memory == null || memory.forgetAt <= clock) {
            finalNow.add(frozen.atEnd(clock, timeWaitNanos, false));
        } else {
            memory.record = frozen;
            held.add(memory);
            if (maxFlows != Integer.MAX_VALUE && held.size() > maxFlows) {
                // bounded like the memories: the one due first is final early, as it stands now
                release(held.poll());
                forgottenEarly++;
            }
        }
        timers.remove(record.place);
        if (!reuse || recordTransitions || spareObjects >= MAX_SPARES) {
            slab[record.place] = null; // someone may still hold it, or enough wait: the place gets a new object
        } else {
            spareObjects++;
        }
        if (freeCount == freePlaces.length) {
            freePlaces = java.util.Arrays.copyOf(freePlaces, freeCount * 2);
        }
        freePlaces[freeCount++] = record.place;
        return frozen;
    }

    private int newPlace() {
        if (slabUsed == slab.length) {
            slab = java.util.Arrays.copyOf(slab, slabUsed * 2);
        }
        return slabUsed++;
    }

    /** The connections open now, in no order. */
    private List<Connection> openConnections() {
        List<Connection> open = new java.util.ArrayList<>(table.size());
        table.forEach(place -> open.add(slab[place]));
        return open;
    }

    /**
     * The next record on this tuple needs to know until when this one's TIME-WAIT lasts, and
     * whether its SYN is a retry of this one's.
     */
    private Ended remember(Connection record) {
        java.util.OptionalLong timeWaitEnds = record.timeWaitEnds(timeWaitNanos);
        java.util.OptionalInt isn = record.machine().isn(dev.tcpstate.state.Side.ORIGINATOR);
        boolean attempt = record.endedByAttemptTimer && isn.isPresent();
        if (timeWaitEnds.isEmpty() && !attempt) {
            return null;
        }
        Ended memory = new Ended();
        memory.originatorHigh = record.originatorHigh();
        memory.originatorLow = record.originatorLow();
        memory.originatorPort = record.originatorPort();
        memory.responderHigh = record.responderHigh();
        memory.responderLow = record.responderLow();
        memory.responderPort = record.responderPort();
        if (timeWaitEnds.isPresent()) {
            memory.timeWaitEnds = timeWaitEnds.getAsLong();
            memory.forgetAt = memory.timeWaitEnds;
        }
        if (attempt) {
            memory.attempt = true;
            memory.attemptIsn = isn.getAsInt();
            memory.attemptId = record.id();
            memory.attemptSynRetries = record.synRetries();
            memory.attemptStart = record.attemptStartNanos();
            memory.forgetAt = Math.max(memory.forgetAt, record.zeek().lastNanos() + SYN_RETRY_SPAN);
        }
        if (maxFlows != Integer.MAX_VALUE) {
            boundMemories(memory);
        }
        ended.put(memory.originatorHigh, memory.originatorLow, memory.originatorPort, memory.responderHigh,
                memory.responderLow, memory.responderPort, memory);
        return memory;
    }

    /**
     * Memories count against {@link #limit} as well, each on its own: a flood of attempts the
     * attempt timer ends, or a busy server's TIME-WAITs, would otherwise grow them with the
     * traffic rate times 130 s. Past the limit the oldest is forgotten early, and counted.
     */
    private void boundMemories(Ended memory) {
        // the ended record's own memory, if one is still there, is replaced: not a new one
        Ended before = ended.get(memory.originatorHigh, memory.originatorLow, memory.originatorPort,
                memory.responderHigh, memory.responderLow, memory.responderPort);
        if (before != null) {
            forget(before);
        } else {
            while (ended.size() >= maxFlows && oldestMemory != null) {
                Ended oldest = oldestMemory;
                forget(oldest);
                ended.remove(oldest.originatorHigh, oldest.originatorLow, oldest.originatorPort,
                        oldest.responderHigh, oldest.responderLow, oldest.responderPort);
                forgottenEarly++;
            }
        }
        memory.older = newestMemory;
        if (newestMemory == null) {
            oldestMemory = memory;
        } else {
            newestMemory.newer = memory;
        }
        newestMemory = memory;
    }

    /** A memory leaves the table (or is about to): out of the oldest-first queue too. */
    private void forget(Ended memory) {
        memory.gone = true;
        if (memory.older == null && memory.newer == null && oldestMemory != memory) {
            return; // not queued
        }
        if (memory.older == null) {
            oldestMemory = memory.newer;
        } else {
            memory.older.newer = memory.newer;
        }
        if (memory.newer == null) {
            newestMemory = memory.older;
        } else {
            memory.newer.older = memory.older;
        }
        memory.older = null;
        memory.newer = null;
    }
}
