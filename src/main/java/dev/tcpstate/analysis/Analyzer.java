package dev.tcpstate.analysis;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.CaptureFormatException;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.MergedSource;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.flow.ZeekRecord;
import dev.tcpstate.flow.ZeekTracker;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.UidList;
import dev.tcpstate.flow.FlowTable;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Detectors;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.Timeline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Runs captures through the pipeline stages and returns immutable results. */
public final class Analyzer {
    private final AnalysisConfig config;
    private final List<CaptureFormatException> inputFailures = new ArrayList<>();
    private CaptureSummary lastSummary;

    public Analyzer(AnalysisConfig config) {
        this.config = config;
    }

    /**
     * Where the captures of the last pass turned out corrupt. Each one was analysed up to there,
     * and the other captures whole; a command reports these after its output and exits 3.
     */
    public List<CaptureFormatException> inputFailures() {
        return List.copyOf(inputFailures);
    }

    /**
     * What {@link #connections} read: frames, skips by reason, warnings such as a cut last record
     * (a command that prints only connections still owes the user those).
     */
    public java.util.Optional<CaptureSummary> lastSummary() {
        return java.util.Optional.ofNullable(lastSummary);
    }

    /**
     * Reads and decodes every frame of the given captures ("-" is stdin), one after the other. A
     * corrupt capture counts up to where it is corrupt ({@link #inputFailures()}); if none of
     * them could be opened, the first one's error is thrown.
     */
    public CaptureSummary statistics(List<String> captures) throws IOException {
        CaptureStatistics statistics = new CaptureStatistics();
        inputFailures.clear();
        boolean openedAny = false;
        for (String capture : captures) {
            PacketSource source;
            try {
                source = CaptureFiles.open(capture);
            } catch (CaptureFormatException e) {
                inputFailures.add(e);
                continue;
            }
            openedAny = true;
            try (source) {
                scan(source, statistics);
            } catch (CaptureFormatException e) {
                inputFailures.add(e);
                statistics.sourceFinished(source);
            }
        }
        if (!openedAny && !inputFailures.isEmpty()) {
            throw inputFailures.get(0);
        }
        return statistics.summary(config.checksums());
    }

    /**
     * One record per connection, split into records as Zeek splits them: Zeek's conn_state and
     * history, and tcpstate's RFC 793 view (states of both endpoints at the end, outcome, retries).
     */
    public List<ConnectionRecord> connections(List<String> captures) throws IOException {
        CaptureStatistics statistics = new CaptureStatistics();
        Pass pass = pass(captures, statistics, tracker -> { });
        lastSummary = statistics.summary(config.checksums());
        long start = pass.records().stream().mapToLong(ConnectionRecord::tsNanos).min().orElse(0);
        List<Finding> findings = new Detectors(DetectorSettings.DEFAULTS.withTimeWaitNanos(config.timeWaitNanos()))
                .detect(pass.records(), start, pass.endNanos());
        return withFindings(pass.records(), findings);
    }

    /**
     * The whole diagnosis in one pass over the captures: what they hold, every connection, the
     * findings, and a timeline of {@code timelineBuckets} buckets.
     */
    public Analysis analyze(List<String> captures, DetectorSettings settings, int timelineBuckets) throws IOException {
        CaptureStatistics statistics = new CaptureStatistics();
        Pass pass = pass(captures, statistics, tracker -> { });
        CaptureSummary summary = statistics.summary(config.checksums());
        long start = summary.timeSpan().map(CaptureSummary.TimeSpan::firstNanos).orElse(0L);
        long end = summary.timeSpan().map(CaptureSummary.TimeSpan::lastNanos).orElse(0L);
        DetectorSettings effective = settings.withTimeWaitNanos(config.timeWaitNanos());
        List<Finding> findings = new Detectors(effective).detect(pass.records(), start, end);
        Timeline timeline = Timeline.of(pass.records(), start, end, timelineBuckets, config.timeWaitNanos());
        return new Analysis(summary, pass.records(), findings, timeline, effective,
                pass.evictions(), pass.forgotten(), 0);
    }

    /** Each record with the ids of the findings it is part of: in place when {@code records} is an ArrayList. */
    static List<ConnectionRecord> withFindings(List<ConnectionRecord> records, List<Finding> findings) {
        if (findings.isEmpty()) {
            return records;
        }
        // uids are "C" + the record's number in base 36, numbered from 1: an array indexed by it
        // holds each record's ids without a map entry per record (a flood has millions)
        long highest = 0;
        for (ConnectionRecord record : records) {
            highest = Math.max(highest, record.id());
        }
        @SuppressWarnings("unchecked")
        List<String>[] byNumber = new List[(int) Math.min(Integer.MAX_VALUE - 8, highest + 1)];
        Map<List<String>, List<String>> shared = new HashMap<>(); // one list per combination of ids
        for (Finding finding : findings) {
            String id = finding.type().id();
            UidList members = finding.connectionIds();
            for (int i = 0; i < members.size(); i++) {
                int n = (int) members.id(i);
                List<String> before = byNumber[n];
                if (before == null || !before.contains(id)) {
                    List<String> ids = new ArrayList<>(before == null ? List.of() : before);
                    ids.add(id);
                    ids.sort(null);
                    byNumber[n] = shared.computeIfAbsent(List.copyOf(ids), key -> key);
                }
            }
        }
        List<ConnectionRecord> named = records instanceof ArrayList ? records : new ArrayList<>(records);
        named.replaceAll(record -> {
            List<String> mine = byNumber[(int) record.id()];
            return mine == null ? record : record.withFindings(mine);
        });
        return named;
    }

    private record Pass(List<ConnectionRecord> records, long endNanos, long evictions, long forgotten,
            List<CaptureFormatException> failures) {
    }

    /**
     * The ladder of the connection {@code uid} (as {@code connections} names it): the captures are
     * read again with a tap on that record. Empty when there is no such connection.
     */
    public java.util.Optional<Ladder> ladder(List<String> captures, String uid) throws IOException {
        if (!uid.matches("C[0-9a-z]+")) {
            return java.util.Optional.empty();
        }
        long id = Long.parseLong(uid.substring(1), 36);
        LadderBuilder builder = new LadderBuilder();
        // one thread: the tap names the record by the number one tracker gives it
        Pass pass = passed(new Analyzer(config.withThreads(1)).pass(captures, null, tracker -> tracker.tap(id, builder)));
        return pass.records().stream().filter(r -> r.uid().equals(uid)).findFirst()
                .map(record -> builder.build(record, pass.endNanos()));
    }

    /**
     * Reads every capture once into the tracker, and into {@code statistics} when given. With
     * several threads each reads every packet and tracks the four-tuples that hash to it; records
     * are then numbered as one tracker would have numbered them.
     */
    private Pass pass(List<String> captures, CaptureStatistics statistics,
            java.util.function.Consumer<ZeekTracker> setUp) throws IOException {
        // standard input can be read once only
        int threads = captures.contains(CaptureFiles.STDIN) ? 1 : config.threads();
        if (threads == 1) {
            Shard only = shard(captures, statistics, setUp, 0, 1);
            return passed(new Pass(atEnd(only.records(), only.endNanos(), config.timeWaitNanos()), only.endNanos(),
                    only.evictions(), only.forgotten(), only.failures()));
        }
        List<Shard> shards = Shards.run(threads, index -> shard(captures, index == 0 ? statistics : null, setUp,
                index, threads));
        List<ConnectionRecord> all = new ArrayList<>();
        long evictions = 0;
        long forgotten = 0;
        for (Shard shard : shards) {
            all.addAll(shard.records());
            evictions += shard.evictions();
            forgotten += shard.forgotten();
        }
        renumber(all);
        long end = shards.get(0).endNanos();
        // every thread read every capture, so each met the same corruption
        return passed(new Pass(atEnd(all, end, config.timeWaitNanos()), end, evictions, forgotten,
                shards.get(0).failures()));
    }

    private Pass passed(Pass pass) {
        inputFailures.clear();
        inputFailures.addAll(pass.failures());
        return pass;
    }

    private record Shard(List<ConnectionRecord> records, long endNanos, long evictions, long forgotten,
            List<CaptureFormatException> failures) {
    }

    /**
     * Tracks the four-tuples of shard {@code index} of {@code count} (all of them when count is 1);
     * the other packets only move its timers on.
     */
    private Shard shard(List<String> captures, CaptureStatistics statistics,
            java.util.function.Consumer<ZeekTracker> setUp, int index, int count) throws IOException {
        // each record is frozen when Zeek logs it, so the tracker's objects go as soon as it is done
        List<ConnectionRecord> logged = new ArrayList<>();
        ZeekTracker tracker = new ZeekTracker(config.likelyServerPorts(), config.timeWaitNanos(), config.timeouts(),
                record -> logged.add(ConnectionRecord.of(record, false, record.attemptStartNanos())));
        tracker.limit((int) Math.max(1, ((long) config.maxFlows() + count - 1) / count));
        if (count > 1) {
            tracker.numberByPacket();
        }
        setUp.accept(tracker);
        FrameDecoder decoder = new FrameDecoder(config.checksums());
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        long last = Long.MIN_VALUE;
        List<CaptureFormatException> failures;
        // several captures are one stream in timestamp order: a connection may span rotated files
        try (MergedSource source = MergedSource.open(captures)) {
            while (source.next(frame)) {
                last = Math.max(last, frame.timestampNanos());
                DecodeResult result = decoder.decode(frame, segment);
                if (statistics != null) {
                    statistics.frame(frame);
                    statistics.decoded(result, segment);
                }
                if (result == DecodeResult.TCP || result == DecodeResult.BAD_TCP_CHECKSUM) {
                    if (count == 1 || FlowTable.shard(segment, count) == index) {
                        tracker.packet(segment, result == DecodeResult.BAD_TCP_CHECKSUM);
                    } else {
                        tracker.skip(segment.timestampNanos());
                    }
                }
            }
            if (statistics != null) {
                for (int i = 0; i < source.sources().size(); i++) {
                    statistics.sourceRead(source.sources().get(i), source.frames(i));
                }
            }
            failures = source.failures();
        }
        tracker.finish();
        return new Shard(logged, last, tracker.evictions(), tracker.forgottenEarly(), failures);
    }

    /**
     * Numbers records from 1 in the order of the packets that made them, which is the order one
     * tracker numbers them in; a record that continues another names its new number.
     */
    static void renumber(List<ConnectionRecord> records) {
        long[] byPacket = new long[records.size()];
        for (int i = 0; i < byPacket.length; i++) {
            byPacket[i] = records.get(i).id();
        }
        java.util.Arrays.sort(byPacket);
        records.replaceAll(record -> record.renumbered(id -> java.util.Arrays.binarySearch(byPacket, id) + 1));
    }

    /**
     * The frozen records as they stand at the end of the capture ({@code endNanos}), in time order,
     * with the records of an attempt that Zeek's attempt timer split linked.
     */
    static List<ConnectionRecord> atEnd(List<ConnectionRecord> logged, long endNanos, long timeWaitNanos) {
        Set<String> continued = new HashSet<>();
        logged.forEach(record -> record.continuesUid().ifPresent(continued::add));
        // in place: each old record can go as soon as its successor is made
        logged.replaceAll(record -> record.atEnd(endNanos, timeWaitNanos, continued.contains(record.uid())));
        logged.sort(Comparator.comparingLong(ConnectionRecord::tsNanos).thenComparing(ConnectionRecord::uid));
        return logged;
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
