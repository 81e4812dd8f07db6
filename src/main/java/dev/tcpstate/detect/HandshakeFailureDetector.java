package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handshake failures per destination service, one finding per class: unanswered SYNs, refusals,
 * SYN-ACKs never acknowledged, resets during the handshake, SYN-ACKs with a wrong ACK. An attempt
 * counts once however often its SYN was retried.
 */
final class HandshakeFailureDetector {
    private final DetectorSettings settings;

    HandshakeFailureDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    /** The failure class of an attempt, or null when its handshake completed. */
    static FindingType failure(ConnectionRecord record) {
        if (record.synAckWithWrongAck()) {
            return FindingType.HANDSHAKE_BAD_SYN_ACK;
        }
        return switch (record.outcome()) {
            case UNANSWERED -> FindingType.HANDSHAKE_UNANSWERED;
            case REFUSED -> FindingType.HANDSHAKE_REFUSED;
            case NO_FINAL_ACK -> FindingType.HANDSHAKE_NO_FINAL_ACK;
            case RESET_IN_HANDSHAKE -> FindingType.HANDSHAKE_RESET;
            default -> null;
        };
    }

    /** @param services every record, per service (in time order within each) */
    List<Finding> detect(Map<String, List<ConnectionRecord>> services) {
        List<Finding> findings = new ArrayList<>();
        services.forEach((service, connections) -> {
            List<ConnectionRecord> serviceAttempts = connections.stream().filter(Records::isAttempt).toList();
            if (serviceAttempts.isEmpty()) {
                return;
            }
            Map<FindingType, List<ConnectionRecord>> byClass = new LinkedHashMap<>();
            for (ConnectionRecord attempt : serviceAttempts) {
                FindingType type = failure(attempt);
                if (type != null) {
                    byClass.computeIfAbsent(type, t -> new ArrayList<>()).add(attempt);
                }
            }
            byClass.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
                if (entry.getValue().size() >= settings.minHandshakeFailures()) {
                    findings.add(finding(entry.getKey(), service, entry.getValue(), serviceAttempts.size()));
                }
            });
        });
        return findings;
    }

    private Finding finding(FindingType type, String service, List<ConnectionRecord> failed, int attempts) {
        long start = Records.first(failed);
        long end = Records.last(failed);
        double ratio = (double) failed.size() / attempts;
        double seconds = Math.max(end - start, 1_000_000_000L) / 1e9;
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("failures", failed.size());
        counts.put("attempts", attempts);
        counts.put("failure_ratio", round(ratio));
        counts.put("failures_per_second", round(failed.size() / seconds));
        AddressSet distinct = new AddressSet();
        failed.forEach(record -> distinct.add(record.originatorHigh(), record.originatorLow()));
        long sources = distinct.size();
        counts.put("sources", sources);
        String detail = switch (type) {
            case HANDSHAKE_UNANSWERED -> {
                long retries = failed.stream().mapToLong(ConnectionRecord::synRetries).sum();
                counts.put("syn_retries", retries);
                yield "got no answer to " + Records.count(failed.size(), "connection attempt") + " ("
                        + Records.count(retries, "SYN retry", "SYN retries") + ")";
            }
            case HANDSHAKE_REFUSED -> "refused " + Records.count(failed.size(), "connection attempt") + " with a RST";
            case HANDSHAKE_NO_FINAL_ACK -> {
                long stillWaiting = failed.stream()
                        .filter(r -> r.responderState() == dev.tcpstate.state.TcpState.SYN_RECEIVED).count();
                long synAckRetries = failed.stream().mapToLong(ConnectionRecord::synAckRetries).sum();
                counts.put("syn_received_at_end", stillWaiting);
                counts.put("syn_ack_retries", synAckRetries);
                yield "sent " + Records.count(failed.size(), "SYN-ACK") + " that were never acknowledged ("
                        + stillWaiting + " still SYN-RECEIVED at the end)";
            }
            case HANDSHAKE_RESET -> "saw " + Records.count(failed.size(), "handshake") + " reset before completing";
            case HANDSHAKE_BAD_SYN_ACK -> "sent " + Records.count(failed.size(), "SYN-ACK")
                    + " acknowledging a sequence number the client never sent";
            default -> throw new IllegalArgumentException(type.toString());
        };
        Severity severity = ratio >= settings.handshakeErrorRatio() && failed.size() >= settings.handshakeErrorMinimum()
                ? Severity.ERROR : Severity.WARNING;
        String message = service + " " + detail + ": " + Records.percent(ratio) + " of its " + attempts
                + (attempts == 1 ? " attempt." : " attempts.");
        return new Finding(type, severity, service, start, end, counts, Records.uids(failed), Records.evidence(failed), message);
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
