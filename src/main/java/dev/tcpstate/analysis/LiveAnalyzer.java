package dev.tcpstate.analysis;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.detect.CaptureLoss;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Detectors;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.flow.ChangedPlaces;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.Connection;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.flow.ConnectionTracker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same engine as {@link Analyzer}, fed frame by frame: for live capture. Everything here runs
 * on one thread (the analysis thread), which owns all state; what others see are immutable
 * {@link LiveSnapshot}s and the events handed to the {@link Listener}. A picture is frozen on
 * that thread ({@link #sitting}) and may be drawn on another ({@link #picture}), which raises and
 * clears findings: a listener hears from both. Packet time drives the
 * engine; {@link #idle} moves it on when traffic stops.
 */
public final class LiveAnalyzer {
    /** What happened, as it happens. */
    public interface Listener {
        /** Listens to nothing. */
        Listener NONE = new Listener() {
            @Override
            public void opened(ConnectionRecord connection) {
            }

            @Override
            public void closed(ConnectionRecord connection) {
            }

            @Override
            public void raised(Finding finding) {
            }

            @Override
            public void cleared(Finding finding) {
            }
        };

        void opened(ConnectionRecord connection);

        void closed(ConnectionRecord connection);

        void raised(Finding finding);

        void cleared(Finding finding);

        /**
         * A record is final, as {@code connections} logs it (and Zeek writes conn.log): after its
         * close, a timer, or the end of the watch. Every connection is logged once.
         */
        default void logged(ConnectionRecord connection) {
        }

        /** Traffic paused: anything buffered should reach its reader now. */
        default void flush() {
        }
    }

    private final AnalysisConfig config;
    private final DetectorSettings settings;
    private final long windowNanos;
    private final Listener listener;
    private final CaptureStatistics statistics = new CaptureStatistics();
    private final FrameDecoder decoder;
    private final TcpSegment segment = new TcpSegment();
    private final ConnectionTracker tracker;
    /**
     * The report at the end: fed every final record as it ends (the same sinks {@code analyze}
     * feeds), so it counts every connection of a watch that runs for days without keeping them.
     */
    private final Diagnosis diagnosis;
    /** Records the detection window holds at most: four times {@code --max-flows}. */
    private final int keep;
    /** Records closed within the detection window, frozen when they closed, oldest first. */
    private final Deque<ConnectionRecord> recent = new ArrayDeque<>();
    /** Since the watch began: connections begun with a SYN, and logged records by verdict and outcome. */
    private long synAttempts;
    private final Map<LiveSnapshot.Ended, Long> ended = new java.util.HashMap<>();
    /** The findings raised and not yet cleared: the picture's own (see {@link #picture}). */
    private Map<String, Finding> active = new LinkedHashMap<>();
    private long firstNanos = Long.MIN_VALUE;
    private long lastNanos = Long.MIN_VALUE;
    private long closedCount;
    private boolean finishing;
    /** Records whose close was already told, until the tracker logs them. */
    private final java.util.Set<Long> announced = new java.util.HashSet<>();
    /**
     * The open connections frozen as of the last sitting, by slab place: at a sitting only the
     * places the tracker marked since (a connection began, changed or ended) are frozen again or
     * cleared, so a flood's million half-open connections that sit still cost nothing.
     */
    private ConnectionRecord[] frozenAt = new ConnectionRecord[1024];
    /** Per place: its frozen connection is still going (its endpoints are not done). */
    private final java.util.BitSet frozenLive = new java.util.BitSet();
    /** Places below this may hold a frozen connection. */
    private int frozenEnd;
    private int frozenOpen;
    private final ChangedPlaces changedPlaces;

    /** Endpoints in TIME-WAIT per host, kept as records are logged. */
    private final TimeWaitCounts timeWaits;
    /** TIME-WAIT count per host at each snapshot, the last {@link LiveSnapshot#HISTORY} of them. */
    private final Map<String, Deque<Integer>> timeWaitHistory = new LinkedHashMap<>();

    /**
     * @param windowNanos how far back (packet time) closed connections count for live findings;
     *     a finding is cleared once its evidence has aged out
     */
    public LiveAnalyzer(AnalysisConfig config, DetectorSettings settings, long windowNanos, Listener listener) {
        this.config = config;
        this.settings = settings.withTimeWaitNanos(config.timeWaitNanos());
        this.windowNanos = windowNanos;
        this.listener = listener;
        this.decoder = new FrameDecoder(config.checksums());
        this.diagnosis = new Diagnosis(this.settings, false);
        this.timeWaits = new TimeWaitCounts(this.settings.timeWaitNanos());
        this.tracker = new ConnectionTracker(config.likelyServerPorts(), config.timeWaitNanos(), config.timeouts(),
                (record, at) -> {
                    if (record.outcome() == Outcome.UNANSWERED || record.outcome() == Outcome.CONTINUED) {
                        count(record); // only now is it known whether a later record continued it
                    }
                    diagnosis.accept(record, at);
                    listener.logged(record); // what connections writes, in the same order
                });
        tracker.onLogged(this::ended);
        this.changedPlaces = tracker.trackChanges();
        tracker.recordTransitions();
        tracker.limit(config.maxFlows());
        this.keep = (int) Math.min(Integer.MAX_VALUE - 8, 4L * config.maxFlows());
        tracker.onCreated(record -> {
            if (!record.midstream()) {
                synAttempts++;
            }
            listener.opened(freeze(record));
        });
        tracker.onPacket(this::touched);
    }

    /** One captured frame. */
    public void frame(Frame frame) {
        statistics.frame(frame);
        DecodeResult result = decoder.decode(frame, segment);
        statistics.decoded(result, segment);
        if (firstNanos == Long.MIN_VALUE) {
            firstNanos = frame.timestampNanos();
            diagnosis.begin(firstNanos);
        }
        lastNanos = Math.max(lastNanos, frame.timestampNanos());
        if (result == DecodeResult.TCP || result == DecodeResult.BAD_TCP_CHECKSUM) {
            tracker.packet(segment, result == DecodeResult.BAD_TCP_CHECKSUM);
        }
    }

    /** No traffic: packet time is taken to be {@code nowNanos}, and timers due by then fire. */
    public void idle(long nowNanos) {
        if (lastNanos != Long.MIN_VALUE && nowNanos > lastNanos) {
            tracker.advance(nowNanos);
        }
        listener.flush();
    }

    /** Packet time of the last frame (MIN_VALUE before the first). */
    public long lastPacketNanos() {
        return lastNanos;
    }

    /** A connection is closed for the screen as soon as its endpoints say so (Zeek logs it later). */
    private void touched(Connection record) {
        if (record.machine().over() && announced.add(record.id())) {
            closedCount++;
            listener.closed(freeze(record));
        }
    }

    /** Zeek logged a record: the window's detectors see it from now on. */
    private void ended(Connection record) {
        ConnectionRecord frozen = freeze(record);
        timeWaits.logged(frozen);
        if (frozen.outcome() != Outcome.UNANSWERED) {
            count(frozen); // counted as Zeek logs it: its verdict and outcome do not change after
        }
        if (recent.size() >= keep) {
            recent.pollFirst(); // a flood inside the window: its newest records still tell it
        }
        recent.addLast(frozen);
        if (!announced.remove(record.id()) && !finishing) {
            closedCount++;
            listener.closed(frozen); // ended by a timer: an attempt nobody answered, an idle connection
        }
    }

    private void count(ConnectionRecord record) {
        ended.merge(new LiveSnapshot.Ended(record.connState(), record.outcome().label()), 1L, Long::sum);
    }

    /** Brings the frozen views up to date: the places marked since the last sitting, and only those. */
    private void refreeze() {
        changedPlaces.take(place -> {
            Connection record = tracker.openAt(place);
            if (place >= frozenAt.length) {
                frozenAt = java.util.Arrays.copyOf(frozenAt, Math.max(place + 1, frozenAt.length * 2));
            }
            if (frozenAt[place] != null) {
                frozenOpen--;
            }
            if (record == null) {
                frozenAt[place] = null; // its connection ended: let the record go
                frozenLive.clear(place);
            } else {
                frozenAt[place] = freeze(record);
                frozenLive.set(place, !record.machine().over());
                frozenOpen++;
                frozenEnd = Math.max(frozenEnd, place + 1);
            }
        });
    }

    /** Forgets the frozen views, so the next sitting freezes every open connection afresh (tests compare the two). */
    void forgetFrozen() {
        java.util.Arrays.fill(frozenAt, null);
        frozenLive.clear();
        frozenOpen = 0;
        frozenEnd = 0;
        for (Connection record : tracker.openInAnyOrder()) {
            changedPlaces.mark(record.place());
        }
    }

    private static ConnectionRecord freeze(Connection record) {
        return ConnectionRecord.of(record, false, record.attemptStartNanos());
    }

    /**
     * Where things stand now: runs the detectors over the window (raising and clearing findings
     * through the listener) and returns an immutable picture for the screen.
     */
    public LiveSnapshot snapshot(long nowNanos, LiveSnapshot.CaptureCounts counts) {
        return snapshot(nowNanos, counts, null);
    }

    /** As {@link #snapshot(long, LiveSnapshot.CaptureCounts)}, with the transitions of connection {@code selectedUid}. */
    public LiveSnapshot snapshot(long nowNanos, LiveSnapshot.CaptureCounts counts, String selectedUid) {
        return picture(sitting(nowNanos, counts, selectedUid));
    }

    /**
     * What a picture is drawn from, frozen: the window's records, the open connections as they are
     * now, the counters. Immutable, so the picture can be drawn on another thread while this one
     * goes on with the frames.
     */
    public record Sitting(long now, LiveSnapshot.CaptureCounts counts, List<ConnectionRecord> recent,
            List<ConnectionRecord> open, long live, TimeWaitCounts.Logged timeWait, CaptureSummary summary, long closed,
            java.util.Optional<LiveSnapshot.Selected> selected, LiveSnapshot.Totals totals, long firstNanos) {
        // firstNanos: the first frame's time, MIN_VALUE before any
    }

    /**
     * Freezes what the next picture needs (on the analysis thread: it reads the tracker). Costs a
     * copy of the window's and the open connections' references, and a freeze per connection that
     * began or changed since the last sitting; the detectors run in {@link #picture}.
     */
    public Sitting sitting(long nowNanos, LiveSnapshot.CaptureCounts counts, String selectedUid) {
        long now = Math.max(nowNanos, lastNanos);
        while (!recent.isEmpty() && recent.peekFirst().endNanos() < now - windowNanos) {
            recent.removeFirst();
        }
        refreeze();
        // in place order: the picture sorts them on its own thread (sorting a flood's million open
        // connections here took seconds, while frames waited)
        ConnectionRecord[] open = new ConnectionRecord[frozenOpen];
        int n = 0;
        java.util.Optional<LiveSnapshot.Selected> selected = java.util.Optional.empty();
        for (int place = 0; place < frozenEnd; place++) {
            ConnectionRecord frozen = frozenAt[place];
            if (frozen != null) {
                open[n++] = frozen;
                if (selectedUid != null && frozen.uid().equals(selectedUid)) {
                    selected = java.util.Optional.of(new LiveSnapshot.Selected(frozen,
                            tracker.openAt(place).machine().transitions()));
                }
            }
        }
        while (frozenEnd > 0 && frozenAt[frozenEnd - 1] == null) {
            frozenEnd--;
        }
        long live = frozenLive.cardinality();
        return new Sitting(now, counts, List.copyOf(recent),
                java.util.Collections.unmodifiableList(java.util.Arrays.asList(open)), live, timeWaits.at(now),
                statistics.summary(config.checksums()),
                closedCount, selected, new LiveSnapshot.Totals(synAttempts, ended), firstNanos);
    }

    /**
     * Draws the picture: the detectors over the window, findings raised and cleared through the
     * listener, TIME-WAIT per host and its history. Reads only the sitting and its own state, so
     * it may run on another thread than the frames, one picture at a time.
     */
    public LiveSnapshot picture(Sitting sitting) {
        long now = sitting.now();
        List<ConnectionRecord> open = new ArrayList<>(sitting.open());
        open.sort(java.util.Comparator.comparingLong(ConnectionRecord::id)); // oldest first, as the tracker made them
        List<ConnectionRecord> window = new ArrayList<>(sitting.recent().size() + sitting.open().size());
        window.addAll(sitting.recent());
        window.addAll(open);
        window.sort(java.util.Comparator.comparingLong(ConnectionRecord::tsNanos));
        boolean started = sitting.firstNanos() != Long.MIN_VALUE;
        long windowStart = Math.max(sitting.firstNanos(), now - windowNanos);
        List<Finding> findings = !started ? List.of()
                : new Detectors(settings).detect(window, windowStart, now).findings();
        if (started) {
            // loss over the window (the snapshot length's cuts counted over the whole capture)
            ConnectionTally windowTally = ConnectionTally.of(window);
            LiveSnapshot.CaptureCounts counts = sitting.counts();
            findings = CaptureLoss.apply(findings, windowTally.missedBytes(), sitting.summary().truncatedPayloadBytes(),
                    windowTally.payloadBytes(), counts.dropped(), counts.received(), counts.droppedSinceNanos(),
                    windowStart, now);
        }
        Map<String, Finding> next = new LinkedHashMap<>();
        for (Finding finding : findings) {
            String key = key(finding);
            next.put(key, finding);
            if (!active.containsKey(key)) {
                listener.raised(finding);
            }
        }
        for (Map.Entry<String, Finding> entry : active.entrySet()) {
            if (!next.containsKey(entry.getKey())) {
                listener.cleared(entry.getValue());
            }
        }
        active = next;
        Map<String, Integer> timeWait = sitting.timeWait().withOpen(sitting.open()); // the open ones counted here, off the frames' thread
        timeWait.keySet().forEach(host -> timeWaitHistory.computeIfAbsent(host, h -> new ArrayDeque<>()));
        Map<String, List<Integer>> history = new LinkedHashMap<>();
        for (Map.Entry<String, Deque<Integer>> entry : timeWaitHistory.entrySet()) {
            Deque<Integer> samples = entry.getValue();
            samples.addLast(timeWait.getOrDefault(entry.getKey(), 0));
            while (samples.size() > LiveSnapshot.HISTORY) {
                samples.removeFirst();
            }
            history.put(entry.getKey(), List.copyOf(samples));
        }
        timeWaitHistory.values().removeIf(samples -> samples.stream().allMatch(n -> n == 0));
        return LiveSnapshot.of(now, sitting.summary(), sitting.counts(), open, sitting.live(), window,
                findings, sitting.closed(), timeWait, history, sitting.selected(), settings, sitting.totals(),
                started ? sitting.firstNanos() : now);
    }

    private static String key(Finding finding) {
        return finding.type().id() + " " + finding.subject();
    }

    /**
     * The capture is over: its name, frame count and warnings (such as why it stopped) go into the
     * report's summary, as a file's do.
     */
    public void sourceFinished(dev.tcpstate.capture.PacketSource source) {
        statistics.sourceFinished(source);
    }

    /** The capture is over: the same report {@code analyze} gives, over everything seen. */
    public Analysis finish(int timelineBuckets) {
        return finish(timelineBuckets, LiveSnapshot.CaptureCounts.NONE);
    }

    /**
     * As {@link #finish(int)}, with the live capture's counters: frames it dropped before analysis
     * make a capture-loss finding and mark the findings a lost packet can make up.
     */
    public Analysis finish(int timelineBuckets, LiveSnapshot.CaptureCounts capture) {
        finishing = true;
        tracker.finish(lastNanos == Long.MIN_VALUE ? 0 : lastNanos);
        return diagnosis.finish(new Analyzer.Reading(statistics.summary(config.checksums()), List.of()),
                timelineBuckets, tracker.evictions(), tracker.forgottenEarly(), capture);
    }
}
