package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handshake failures per destination service, one finding per class: unanswered SYNs, refusals,
 * SYN-ACKs never acknowledged, resets during the handshake, SYN-ACKs with a wrong ACK. An attempt
 * counts once however often its SYN was retried. Records come one at a time as they end; what is
 * kept is counts per service and class, never the records.
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

    /** What one service's attempts came to: how many, and each failure class. */
    private static final class Service {
        final String name;
        long attempts;
        final Map<FindingType, Failures> failures = new java.util.EnumMap<>(FindingType.class);

        Service(String name) {
            this.name = name;
        }
    }

    /** One failure class at one service: counts, times, sources and a few examples. */
    private static final class Failures {
        long count;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final DistinctAddresses sources = new DistinctAddresses();
        long synRetries;
        long synReceivedAtEnd;
        long synAckRetries;
        final Exemplars exemplars = new Exemplars();
    }

    private final Map<Records.ServiceKey, Service> services = new java.util.HashMap<>();
    /** Failed attempts by class (the finding type's ordinal), over every service. */
    private final long[] totals = new long[FindingType.values().length];

    /** One final record. */
    void accept(ConnectionRecord record) {
        if (!Records.isAttempt(record)) {
            return;
        }
        Service service = Records.service(services, record, Service::new);
        service.attempts++;
        FindingType type = failure(record);
        if (type == null) {
            return;
        }
        totals[type.ordinal()]++;
        Failures failures = service.failures.computeIfAbsent(type, t -> new Failures());
        failures.count++;
        failures.first = Math.min(failures.first, record.attemptStartNanos());
        failures.last = Math.max(failures.last, record.endNanos());
        failures.sources.add(record.originatorHigh(), record.originatorLow());
        failures.synRetries += record.synRetries();
        failures.synReceivedAtEnd += record.responderState() == dev.tcpstate.state.TcpState.SYN_RECEIVED ? 1 : 0;
        failures.synAckRetries += record.synAckRetries();
        failures.exemplars.offer(record);
    }

    /** Failed attempts by class, over every service. */
    Map<FindingType, Long> totals() {
        Map<FindingType, Long> byType = new java.util.EnumMap<>(FindingType.class);
        for (FindingType type : FindingType.values()) {
            if (totals[type.ordinal()] > 0) {
                byType.put(type, totals[type.ordinal()]);
            }
        }
        return byType;
    }

    List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        services.values().forEach(service -> service.failures.forEach((type, failures) -> {
            if (failures.count >= settings.minHandshakeFailures()) {
                findings.add(finding(type, service.name, failures, service.attempts));
            }
        }));
        return findings;
    }

    private Finding finding(FindingType type, String service, Failures failed, long attempts) {
        long start = failed.first;
        long end = failed.last;
        double ratio = (double) failed.count / attempts;
        double seconds = Math.max(end - start, 1_000_000_000L) / 1e9;
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("failures", failed.count);
        counts.put("attempts", attempts);
        counts.put("failure_ratio", round(ratio));
        counts.put("failures_per_second", round(failed.count / seconds));
        counts.put("sources", failed.sources.size());
        String detail = switch (type) {
            case HANDSHAKE_UNANSWERED -> {
                counts.put("syn_retries", failed.synRetries);
                yield "got no answer to " + Records.count(failed.count, "connection attempt") + " ("
                        + Records.count(failed.synRetries, "SYN retry", "SYN retries") + ")";
            }
            case HANDSHAKE_REFUSED -> "refused " + Records.count(failed.count, "connection attempt") + " with a RST";
            case HANDSHAKE_NO_FINAL_ACK -> {
                counts.put("syn_received_at_end", failed.synReceivedAtEnd);
                counts.put("syn_ack_retries", failed.synAckRetries);
                yield "sent " + Records.count(failed.count, "SYN-ACK") + " that were never acknowledged ("
                        + failed.synReceivedAtEnd + " still SYN-RECEIVED at the end)";
            }
            case HANDSHAKE_RESET -> "saw " + Records.count(failed.count, "handshake") + " reset before completing";
            case HANDSHAKE_BAD_SYN_ACK -> "sent " + Records.count(failed.count, "SYN-ACK")
                    + " acknowledging a sequence number the client never sent";
            default -> throw new IllegalArgumentException(type.toString());
        };
        Severity severity = ratio >= settings.handshakeErrorRatio() && failed.count >= settings.handshakeErrorMinimum()
                ? Severity.ERROR : Severity.WARNING;
        String message = service + " " + detail + ": " + Records.percent(ratio) + " of its " + attempts
                + (attempts == 1 ? " attempt." : " attempts.");
        return new Finding(type, severity, service, start, end, counts, failed.exemplars.uids(),
                failed.exemplars.evidence(), message);
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
