package dev.tcpstate.analysis;

import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.CaptureLoss;
import dev.tcpstate.detect.Detectors;
import dev.tcpstate.detect.Timeline;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The sinks of a diagnosis, fed records as they end: the tally, the detectors, the timeline, and
 * the records themselves only when a report shows each one. {@code analyze}, {@code check} and
 * {@code watch} all finish one of these into an {@link Analysis}.
 */
final class Diagnosis implements RecordSink {
    private final DetectorSettings settings;
    private final ConnectionTally tally = new ConnectionTally();
    private final Detectors detectors;
    private final Timeline.Builder timeline;
    private final List<ConnectionRecord> records;

    Diagnosis(DetectorSettings settings, boolean keepRecords) {
        this.settings = settings;
        this.detectors = new Detectors(settings);
        this.timeline = new Timeline.Builder(settings.timeWaitNanos());
        this.records = keepRecords ? new ArrayList<>() : null;
    }

    @Override
    public void begin(long firstFrameNanos) {
        detectors.begin(firstFrameNanos);
        timeline.begin(firstFrameNanos);
    }

    @Override
    public void accept(ConnectionRecord record, long finalNanos) {
        tally.accept(record);
        detectors.accept(record, finalNanos);
        timeline.accept(record);
        if (records != null) {
            records.add(record.compact());
        }
    }

    /** The analysis of everything fed, for captures whose reading found {@code reading}. */
    Analysis finish(Analyzer.Reading reading, int timelineBuckets, long evictions, long forgotten) {
        return finish(reading, timelineBuckets, evictions, forgotten, LiveSnapshot.CaptureCounts.NONE);
    }

    /** As above, for a live capture whose counters say what it received and dropped before analysis. */
    Analysis finish(Analyzer.Reading reading, int timelineBuckets, long evictions, long forgotten,
            LiveSnapshot.CaptureCounts capture) {
        CaptureSummary summary = reading.summary();
        long start = summary.timeSpan().map(CaptureSummary.TimeSpan::firstNanos).orElse(0L);
        long end = summary.timeSpan().map(CaptureSummary.TimeSpan::lastNanos).orElse(0L);
        List<ConnectionRecord> kept = records == null ? List.of() : records;
        if (records != null) {
            records.sort(Analyzer.BY_TIME);
        }
        Timeline timelineBuilt = timeline.build(start, end, timelineBuckets, detectors.peaksPerSecond());
        Detectors.Result detected = detectors.finish(start, end);
        List<dev.tcpstate.detect.Finding> findings = CaptureLoss.apply(detected.findings(), tally.missedBytes(),
                summary.truncatedPayloadBytes(), tally.payloadBytes(), capture.dropped(), capture.received(),
                capture.droppedSinceNanos(), start, end);
        Detectors.Result result = new Detectors.Result(findings, detected.handshakeFailures(),
                detected.halfOpenPeerReset(), detected.halfOpenPeerSilent(), detected.timeWaitPeaks());
        return new Analysis(summary, tally, result, timelineBuilt, settings, evictions, forgotten, kept,
                reading.failures());
    }
}
