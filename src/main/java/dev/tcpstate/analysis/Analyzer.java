package dev.tcpstate.analysis;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.CaptureFormatException;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.MergedSource;
import dev.tcpstate.capture.FrameSelection;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.capture.SelectedSource;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.flow.ConnectionTracker;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.TupleIndex;
import dev.tcpstate.detect.DetectorSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/** Runs captures through the pipeline stages and returns immutable results. */
public final class Analyzer {
    private final AnalysisConfig config;
    private final FrameSelection selection;

    public Analyzer(AnalysisConfig config) {
        this(config, FrameSelection.ALL);
    }

    private Analyzer(AnalysisConfig config, FrameSelection selection) {
        this.config = config;
        this.selection = selection;
    }

    /** The same analysis over only the frames {@code selection} keeps (a filter, a time range, a count). */
    public Analyzer selecting(FrameSelection selection) {
        return new Analyzer(config, selection);
    }

    /**
     * What reading the captures found: frames, skips by reason, warnings such as a cut last record,
     * and where captures turned out corrupt (each was analysed up to there, the others whole; a
     * command reports these after its output and exits 3).
     */
    public record Reading(CaptureSummary summary, List<CaptureFormatException> failures) {
        public Reading {
            failures = List.copyOf(failures);
        }
    }

    /**
     * Reads and decodes every frame of the given captures ("-" is stdin), one after the other. A
     * corrupt capture counts up to where it is corrupt; if none of them could be opened, the first
     * one's error is thrown.
     */
    public Reading statistics(List<String> captures) throws IOException {
        CaptureStatistics statistics = new CaptureStatistics();
        List<CaptureFormatException> failures = new ArrayList<>();
        boolean openedAny = false;
        for (String capture : captures) {
            PacketSource source;
            try {
                source = CaptureFiles.open(capture);
            } catch (CaptureFormatException e) {
                failures.add(e);
                continue;
            }
            openedAny = true;
            try (source) {
                scan(SelectedSource.of(source, selection), statistics);
            } catch (CaptureFormatException e) {
                failures.add(e);
                statistics.sourceFinished(source);
            }
        }
        if (!openedAny && !failures.isEmpty()) {
            throw failures.get(0);
        }
        return new Reading(statistics.summary(config.checksums()), failures);
    }

    /**
     * What one pass over the captures leaves besides its records: what the reading found, the last
     * packet time (of any frame), the connections {@code --max-flows} evicted, and the ended
     * four-tuples it forgot early.
     */
    public record Pass(Reading reading, long endNanos, long evictions, long forgotten) {
    }

    /**
     * Streams the captures' connection records to {@code sink} as each becomes final (docs/architecture.md):
     * split as Zeek splits them, Zeek's conn_state and history, and tcpstate's RFC 793 view. Records
     * come in the order they became final, one at a time on a thread beside the tracker (this returns after the last); nothing is kept.
     */
    public Pass stream(List<String> captures, Consumer<ConnectionRecord> sink) throws IOException {
        return pass(captures, new CaptureStatistics(), tracker -> { }, (record, finalNanos) -> sink.accept(record));
    }

    /** Every connection of a pass, in time order, and what the pass found. */
    public record Connections(List<ConnectionRecord> records, Pass pass) {
    }

    /**
     * One record per connection, split into records as Zeek splits them, in time order (all of them
     * kept: for the commands that show every connection at once).
     */
    public Connections connections(List<String> captures) throws IOException {
        List<ConnectionRecord> records = new ArrayList<>();
        Pass pass = pass(captures, new CaptureStatistics(), tracker -> { },
                (record, finalNanos) -> records.add(record.compact()));
        records.sort(BY_TIME);
        return new Connections(records, pass);
    }

    /** Start time, then record number: the order people read connections in. */
    public static final Comparator<ConnectionRecord> BY_TIME = Comparator.comparingLong(ConnectionRecord::tsNanos)
            .thenComparingLong(ConnectionRecord::id);

    /**
     * The whole diagnosis in one pass over the captures: what they hold, how the connections went,
     * the findings, and a timeline of {@code timelineBuckets} buckets. Records go through the
     * detectors as they end and are not kept, unless {@code keepRecords} (a report that shows
     * every connection).
     */
    public Analysis analyze(List<String> captures, DetectorSettings settings, int timelineBuckets,
            boolean keepRecords) throws IOException {
        CaptureStatistics statistics = new CaptureStatistics();
        DetectorSettings effective = settings.withTimeWaitNanos(config.timeWaitNanos());
        Diagnosis diagnosis = new Diagnosis(effective, keepRecords);
        Pass pass = pass(captures, statistics, tracker -> { }, diagnosis);
        return diagnosis.finish(pass.reading(), timelineBuckets, pass.evictions(), pass.forgotten());
    }

    /** {@link #analyze(List, DetectorSettings, int, boolean)} without keeping the records. */
    public Analysis analyze(List<String> captures, DetectorSettings settings, int timelineBuckets) throws IOException {
        return analyze(captures, settings, timelineBuckets, false);
    }

    /**
     * The ladder of the connection {@code uid} (as {@code connections} names it): the captures are
     * read again with a tap on that record. Empty when there is no such connection.
     */
    public java.util.Optional<Ladder> ladder(List<String> captures, String uid) throws IOException {
        return ladderPass(captures, uid).ladder();
    }

    /** A ladder and what the pass that drew it found. */
    public record LadderPass(java.util.Optional<Ladder> ladder, Pass pass) {
    }

    /** As {@link #ladder}, with what reading the captures found. */
    public LadderPass ladderPass(List<String> captures, String uid) throws IOException {
        long id;
        try {
            id = ConnectionRecord.id(uid);
        } catch (IllegalArgumentException notUid) {
            // no connection has that uid: nothing to read for it
            return new LadderPass(java.util.Optional.empty(), new Pass(new Reading(
                    new CaptureStatistics().summary(config.checksums()), List.of()), 0, 0, 0));
        }
        LadderBuilder builder = new LadderBuilder();
        ConnectionRecord[] found = new ConnectionRecord[1];
        // one thread: the tap sits on that thread's tracker
        Pass pass = new Analyzer(config.withThreads(1), selection).pass(captures, new CaptureStatistics(),
                tracker -> tracker.tap(id, builder),
                (record, finalNanos) -> {
                    if (record.id() == id) {
                        found[0] = record;
                    }
                });
        return new LadderPass(java.util.Optional.ofNullable(found[0]).map(record -> builder.build(record,
                pass.endNanos())), pass);
    }

    /**
     * Reads every capture once into the tracker, and into {@code statistics} when given, handing
     * final records to {@code sink}. With several threads each reads every packet and tracks the
     * four-tuples that hash to it, and their records are merged into the order one tracker gives.
     */
    private Pass pass(List<String> captures, CaptureStatistics statistics, Consumer<ConnectionTracker> setUp,
            RecordSink sink) throws IOException {
        // standard input can be read once only
        int threads = captures.contains(CaptureFiles.STDIN) ? 1 : config.threads();
        Shard result;
        if (threads == 1) {
            // the sink (detectors, a writer) runs beside the tracker
            SinkThread sinkThread = new SinkThread(sink);
            try {
                result = shard(captures, statistics, setUp, 0, 1, sinkThread, null);
                sinkThread.finish();
            } finally {
                sinkThread.abandon();
            }
        } else {
            List<Shard> shards = ShardMerge.run(threads, (index, lane) -> shard(captures,
                    index == 0 ? statistics : null, setUp, index, threads, lane, lane), sink);
            long evictions = shards.stream().mapToLong(Shard::evictions).sum();
            long forgotten = shards.stream().mapToLong(Shard::forgotten).sum();
            // every thread read every capture, so each met the same corruption
            result = new Shard(shards.get(0).endNanos(), evictions, forgotten, shards.get(0).failures());
        }
        return new Pass(new Reading(statistics.summary(config.checksums()), result.failures()), result.endNanos(),
                result.evictions(), result.forgotten());
    }

    private record Shard(long endNanos, long evictions, long forgotten, List<CaptureFormatException> failures) {
    }

    /** How many packets a shard reads between telling the merge how far it got. */
    private static final int PROGRESS_PACKETS = 4096;

    /**
     * Tracks the four-tuples of shard {@code index} of {@code count} (all of them when count is 1);
     * the other packets only move its timers on. {@code lane}, when sharded, hears its progress.
     */
    private Shard shard(List<String> captures, CaptureStatistics statistics, Consumer<ConnectionTracker> setUp, int index,
            int count, RecordSink finals, ShardMerge.Lane lane) throws IOException {
        ConnectionTracker tracker = new ConnectionTracker(config.likelyServerPorts(), config.timeWaitNanos(), config.timeouts(),
                finals::accept);
        tracker.limit((int) Math.max(1, ((long) config.maxFlows() + count - 1) / count));
        tracker.reuseConnections(); // nothing here holds a connection after it ended
        setUp.accept(tracker);
        FrameDecoder decoder = new FrameDecoder(config.checksums());
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        long last = Long.MIN_VALUE;
        long frames = 0;
        List<CaptureFormatException> failures;
        // several captures are one stream in timestamp order: a connection may span rotated files
        try (MergedSource source = MergedSource.open(captures)) {
            // each capture's time span: what a finding's time says about the capture it came from
            long[] firsts = new long[source.sources().size()];
            long[] lasts = new long[firsts.length];
            java.util.Arrays.fill(firsts, Long.MAX_VALUE);
            java.util.Arrays.fill(lasts, Long.MIN_VALUE);
            PacketSource input = SelectedSource.of(source, selection);
            while (input.next(frame)) {
                if (last == Long.MIN_VALUE) {
                    finals.begin(frame.timestampNanos());
                }
                last = Math.max(last, frame.timestampNanos());
                DecodeResult result = decoder.decode(frame, segment);
                if (statistics != null) {
                    statistics.frame(frame);
                    statistics.decoded(result, segment);
                    int from = source.lastSource();
                    firsts[from] = Math.min(firsts[from], frame.timestampNanos());
                    lasts[from] = Math.max(lasts[from], frame.timestampNanos());
                }
                if (result == DecodeResult.TCP || result == DecodeResult.BAD_TCP_CHECKSUM) {
                    if (count == 1 || TupleIndex.shard(segment, count) == index) {
                        tracker.packet(segment, result == DecodeResult.BAD_TCP_CHECKSUM);
                    } else {
                        tracker.skip(segment.timestampNanos());
                    }
                }
                if (lane != null && ++frames % PROGRESS_PACKETS == 0) {
                    lane.progress(tracker.clock());
                }
            }
            if (statistics != null) {
                for (int i = 0; i < source.sources().size(); i++) {
                    statistics.sourceRead(source.sources().get(i), source.frames(i), source.frames(i) == 0
                            ? java.util.Optional.empty() : java.util.Optional.of(new CaptureSummary.TimeSpan(firsts[i],
                                    lasts[i])));
                }
            }
            failures = source.failures();
        }
        tracker.finish(last);
        return new Shard(last, tracker.evictions(), tracker.forgottenEarly(), failures);
    }

    /** Reads and decodes every frame of one open source into {@code statistics}. */
    public void scan(PacketSource source, CaptureStatistics statistics) throws IOException {
        FrameDecoder decoder = new FrameDecoder(config.checksums());
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        while (source.next(frame)) {
            statistics.frame(frame);
            statistics.decoded(decoder.decode(frame, segment), segment);
        }
        statistics.sourceFinished(source);
    }
}
