package dev.tcpstate.analysis;

import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.Timeline;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.List;

/** What {@code tcpstate analyze} reports: the captures, their connections, the findings, a timeline. */
public record Analysis(CaptureSummary summary, List<ConnectionRecord> connections, List<Finding> findings,
        Timeline timeline, DetectorSettings settings) {

    public Analysis {
        connections = List.copyOf(connections);
        findings = List.copyOf(findings);
    }
}
