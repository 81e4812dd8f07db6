package dev.tcpstate.analysis;

import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Detectors;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.Timeline;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.List;

/**
 * What {@code tcpstate analyze} reports: the captures, how their connections went, the findings,
 * a timeline, and what the flow-table cap cost: connections evicted (they are still reported) and
 * ended four-tuples forgotten early.
 *
 * <p>The connections themselves are kept only when a report shows each of them (the HTML table,
 * the shell); otherwise {@link #records()} is empty and memory does not grow with the capture.
 * Records do not name the findings they are part of: a finding names a few of its connections,
 * as Zeek's notice.log names conn.log's.
 *
 * @param records every connection in time order, when they were kept; else empty
 * @param inputFailures where captures turned out corrupt: each was analysed up to there, the
 *     others whole; a command reports these after its output and exits 3
 */
public record Analysis(CaptureSummary summary, ConnectionTally connections, Detectors.Result detection,
        Timeline timeline, DetectorSettings settings, long evictedFlows, long forgottenTuples,
        List<ConnectionRecord> records, List<dev.tcpstate.capture.CaptureFormatException> inputFailures) {

    public Analysis {
        records = java.util.Collections.unmodifiableList(records);
        inputFailures = List.copyOf(inputFailures);
    }

    public List<Finding> findings() {
        return detection.findings();
    }

    /**
     * Ended four-tuples whose memory (a TIME-WAIT, an unanswered SYN) the cap dropped early: a new
     * connection on one was not checked for reuse in TIME-WAIT or a repeated SYN.
     */
    @Override
    public long forgottenTuples() {
        return forgottenTuples;
    }
}
