package dev.tcpstate.analysis;

import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.Timeline;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.List;

/**
 * What {@code tcpstate analyze} reports: the captures, their connections, the findings, a
 * timeline, and how many connections the flow-table cap evicted (they are still reported).
 */
public record Analysis(CaptureSummary summary, List<ConnectionRecord> connections, List<Finding> findings,
        Timeline timeline, DetectorSettings settings, long evictedFlows) {

    public Analysis {
        connections = List.copyOf(connections);
        findings = List.copyOf(findings);
    }
}
