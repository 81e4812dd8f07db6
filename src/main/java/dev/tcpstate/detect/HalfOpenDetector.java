package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Half-open connections per service: a side retransmitted into silence until its peer, which had
 * lost the connection, answered with a RST (RFC 793 "half-open connection discovery"), or until
 * the capture ended; and data sent towards a peer that had already reset. (A SYN-RECEIVED that
 * never completed is the handshake detector's no-final-ack class.) Counts per service and kind.
 */
final class HalfOpenDetector {
    private final DetectorSettings settings;
    private final Map<Records.ServiceKey, Kinds> services = new HashMap<>();

    /** One service's half-open connections, by kind. */
    private static final class Kinds extends EnumMap<FindingType, ServiceTally> {
        private static final long serialVersionUID = 1L;
        final String service;

        Kinds(String service) {
            super(FindingType.class);
            this.service = service;
        }
    }

    HalfOpenDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    void accept(ConnectionRecord record) {
        if (record.outcome() == Outcome.HALF_OPEN && record.resetBy().isPresent()) {
            tally(record, FindingType.HALF_OPEN_PEER_RESET).add(record, record.retransmits());
        } else if (record.outcome() == Outcome.HALF_OPEN) {
            tally(record, FindingType.HALF_OPEN_PEER_SILENT).add(record,
                    Math.max(record.originatorUnansweredRetransmits(), record.responderUnansweredRetransmits()));
        }
        if (record.dataAfterPeerReset() > 0) {
            tally(record, FindingType.DATA_AFTER_RESET).add(record, record.dataAfterPeerReset());
        }
    }

    private ServiceTally tally(ConnectionRecord record, FindingType type) {
        Kinds kinds = Records.service(services, record, Kinds::new);
        return kinds.computeIfAbsent(type, t -> new ServiceTally(kinds.service));
    }

    /** Half-open connections of the given kind, over every service. */
    long count(FindingType type) {
        return services.values().stream().mapToLong(kinds -> kinds.containsKey(type) ? kinds.get(type).count : 0).sum();
    }

    List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        services.values().forEach(kinds -> kinds.forEach((type, hits) -> {
            if (hits.count >= settings.halfOpenMinimum()) {
                findings.add(finding(type, hits));
            }
        }));
        return findings;
    }

    private static Finding finding(FindingType type, ServiceTally hits) {
        String service = hits.service;
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("connections", hits.count);
        String message;
        switch (type) {
            case HALF_OPEN_PEER_RESET -> {
                counts.put("reset_by_server", hits.byServer);
                counts.put("reset_by_client", hits.count - hits.byServer);
                counts.put("retransmits", hits.sum);
                message = service + ": " + Records.count(hits.count, "connection was", "connections were")
                        + " half-open: one side retransmitted unanswered until its peer, which had lost the "
                        + "connection, answered with RST (" + Records.number(hits.byServer) + " by the server, "
                        + Records.number(hits.count - hits.byServer) + " by the client).";
            }
            case HALF_OPEN_PEER_SILENT -> {
                counts.put("unanswered_retransmits", hits.sum);
                message = service + ": " + Records.count(hits.count, "connection ended", "connections ended")
                        + " with one side retransmitting into silence (" + hits.sum
                        + " unanswered retransmissions): the peer or the path went away.";
            }
            default -> {
                counts.put("segments", hits.sum);
                message = service + ": " + Records.count(hits.sum, "data segment") + " in "
                        + Records.count(hits.count, "connection") + " went to a peer that had already reset.";
            }
        }
        Severity severity = type == FindingType.DATA_AFTER_RESET ? Severity.NOTE : Severity.WARNING;
        return hits.finding(type, severity, counts, message);
    }
}
