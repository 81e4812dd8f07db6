package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.Side;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Half-open connections per service: a side retransmitted into silence until its peer, which had
 * lost the connection, answered with a RST (RFC 793 "half-open connection discovery"), or until
 * the capture ended; and data sent towards a peer that had already reset. (A SYN-RECEIVED that
 * never completed is the handshake detector's no-final-ack class.)
 */
final class HalfOpenDetector {
    private final DetectorSettings settings;

    HalfOpenDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    /** @param services every record, per service (in time order within each) */
    List<Finding> detect(Map<String, List<ConnectionRecord>> services) {
        List<Finding> findings = new ArrayList<>();
        services.forEach((service, connections) -> {
            add(findings, FindingType.HALF_OPEN_PEER_RESET, service, connections,
                    r -> r.outcome() == Outcome.HALF_OPEN && r.resetBy().isPresent());
            add(findings, FindingType.HALF_OPEN_PEER_SILENT, service, connections,
                    r -> r.outcome() == Outcome.HALF_OPEN && r.resetBy().isEmpty());
            add(findings, FindingType.DATA_AFTER_RESET, service, connections, r -> r.dataAfterPeerReset() > 0);
        });
        return findings;
    }

    private void add(List<Finding> findings, FindingType type, String service, List<ConnectionRecord> connections,
            Predicate<ConnectionRecord> test) {
        List<ConnectionRecord> hits = connections.stream().filter(test).toList();
        if (hits.isEmpty() || hits.size() < settings.halfOpenMinimum()) {
            return;
        }
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("connections", hits.size());
        String message;
        switch (type) {
            case HALF_OPEN_PEER_RESET -> {
                long byServer = hits.stream().filter(r -> r.resetBy().orElseThrow() == Side.RESPONDER).count();
                counts.put("reset_by_server", byServer);
                counts.put("reset_by_client", hits.size() - byServer);
                counts.put("retransmits", hits.stream().mapToLong(ConnectionRecord::retransmits).sum());
                message = service + ": " + Records.count(hits.size(), "connection was", "connections were")
                        + " half-open: one side retransmitted unanswered until its peer, which had lost the "
                        + "connection, answered with RST (" + Records.number(byServer) + " by the server, " + Records.number(hits.size() - byServer)
                        + " by the client).";
            }
            case HALF_OPEN_PEER_SILENT -> {
                long silent = hits.stream().mapToLong(r -> Math.max(r.originatorUnansweredRetransmits(),
                        r.responderUnansweredRetransmits())).sum();
                counts.put("unanswered_retransmits", silent);
                message = service + ": " + Records.count(hits.size(), "connection ended", "connections ended")
                        + " with one side retransmitting into silence (" + silent
                        + " unanswered retransmissions): the peer or the path went away.";
            }
            default -> {
                long segments = hits.stream().mapToLong(ConnectionRecord::dataAfterPeerReset).sum();
                counts.put("segments", segments);
                message = service + ": " + Records.count(segments, "data segment") + " in "
                        + Records.count(hits.size(), "connection") + " went to a peer that had already reset.";
            }
        }
        Severity severity = type == FindingType.DATA_AFTER_RESET ? Severity.NOTE : Severity.WARNING;
        findings.add(new Finding(type, severity, service, Records.first(hits), Records.last(hits), counts,
                Records.uids(hits), Records.evidence(hits), message));
    }
}
