package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TIME-WAIT per host, the active closer (DESIGN.md section 7): how many of its endpoints sit in
 * TIME-WAIT over time (each for 2×MSL), the peak and when, the count at the end, and whether it
 * closed first as the client or the server (TS401); four-tuples reused while still in TIME-WAIT
 * (TS402); the share of the ephemeral port range held towards one destination, by open
 * connections and TIME-WAIT together (TS403).
 */
final class TimeWaitDetector {
    private final DetectorSettings settings;

    TimeWaitDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    /** An endpoint's stay in TIME-WAIT. */
    private record Stay(String host, boolean client, long since, ConnectionRecord record) {
    }

    /** The most intervals open at once, and when that was first reached. */
    record Peak(int count, long at) {
        /** Peak of the half-open intervals [starts[i], ends[i]). */
        static Peak of(long[] starts, long[] ends) {
            long[] s = starts.clone();
            long[] e = ends.clone();
            Arrays.sort(s);
            Arrays.sort(e);
            int open = 0;
            int best = 0;
            long at = s.length > 0 ? s[0] : 0;
            int j = 0;
            for (long start : s) {
                while (j < e.length && e[j] <= start) {
                    open--;
                    j++;
                }
                open++;
                if (open > best) {
                    best = open;
                    at = start;
                }
            }
            return new Peak(best, at);
        }
    }

    /** Every host's stays in TIME-WAIT, hosts in first-seen order. */
    private static Map<String, List<Stay>> staysByHost(List<ConnectionRecord> records) {
        Map<String, List<Stay>> byHost = new LinkedHashMap<>();
        for (ConnectionRecord record : records) {
            record.originatorTimeWaitNanos().ifPresent(t -> byHost.computeIfAbsent(record.originatorAddress(),
                    h -> new ArrayList<>()).add(new Stay(record.originatorAddress(), true, t, record)));
            record.responderTimeWaitNanos().ifPresent(t -> byHost.computeIfAbsent(record.responderAddress(),
                    h -> new ArrayList<>()).add(new Stay(record.responderAddress(), false, t, record)));
        }
        return byHost;
    }

    static Map<String, Integer> peaks(List<ConnectionRecord> records, long timeWaitNanos) {
        Map<String, Integer> peaks = new LinkedHashMap<>();
        staysByHost(records).forEach((host, stays) -> peaks.put(host, Peak.of(
                stays.stream().mapToLong(Stay::since).toArray(),
                stays.stream().mapToLong(stay -> stay.since() + timeWaitNanos).toArray()).count()));
        return peaks;
    }

    List<Finding> detect(List<ConnectionRecord> records, long captureStart, long captureEnd) {
        List<Finding> findings = new ArrayList<>();
        staysByHost(records).forEach((host, hostStays) -> {
            Finding finding = buildup(host, hostStays, captureStart, captureEnd);
            if (finding != null) {
                findings.add(finding);
            }
        });
        Records.group(records.stream().filter(ConnectionRecord::reusedTimeWait).toList(), ConnectionRecord::originatorAddress)
                .forEach((host, reused) -> findings.add(reuse(host, reused)));
        for (List<ConnectionRecord> connections : clientServicePairs(records)) {
            Finding finding = portPressure(connections);
            if (finding != null) {
                findings.add(finding);
            }
        }
        return findings;
    }

    private Finding buildup(String host, List<Stay> stays, long captureStart, long captureEnd) {
        long length = settings.timeWaitNanos();
        long[] starts = stays.stream().mapToLong(Stay::since).toArray();
        long[] ends = stays.stream().mapToLong(stay -> stay.since() + length).toArray();
        Peak peak = Peak.of(starts, ends);
        if (peak.count() < settings.timeWaitMinimum()) {
            return null;
        }
        long atEnd = stays.stream().filter(stay -> stay.since() + length > captureEnd).count();
        long asClient = stays.stream().filter(Stay::client).count();
        long destinations = stays.stream().map(stay -> stay.client() ? stay.record().service()
                : ConnectionRecord.endpoint(stay.record().originatorAddress(), 0)).distinct().count();
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("peak", peak.count());
        counts.put("peak_at_offset_seconds", HandshakeFailureDetector.round((peak.at() - captureStart) / 1e9));
        counts.put("at_end", atEnd);
        counts.put("entered", stays.size());
        counts.put("closed_first_as_client", asClient);
        counts.put("closed_first_as_server", stays.size() - asClient);
        counts.put("peers", destinations);
        String role = asClient >= stays.size() - asClient
                ? "it closed first as the client in " + Records.number(asClient) + " of " + Records.number(stays.size())
                        + " connections"
                : "it closed first as the server in " + Records.number(stays.size() - asClient) + " of "
                        + Records.number(stays.size())
                        + " connections, so the server holds the TIME-WAIT";
        String message = host + " had " + Records.count(peak.count(), "endpoint") + " in TIME-WAIT at the peak ("
                + String.format(java.util.Locale.ROOT, "+%.3f s", (peak.at() - captureStart) / 1e9) + ") and " + Records.number(atEnd)
                + " at the end of the capture; " + role + " (TIME-WAIT lasts "
                + String.format(java.util.Locale.ROOT, "%.0f s", length / 1e9) + ").";
        Severity severity = peak.count() >= settings.timeWaitWarning() ? Severity.WARNING : Severity.NOTE;
        List<ConnectionRecord> evidence = stays.stream().map(Stay::record).toList();
        return new Finding(FindingType.TIME_WAIT_BUILDUP, severity, host, starts.length == 0 ? 0 : Arrays.stream(starts).min().getAsLong(),
                Math.min(Arrays.stream(ends).max().orElse(0), captureEnd), counts, Records.uids(evidence), Records.evidence(evidence), message);
    }

    private Finding reuse(String host, List<ConnectionRecord> reused) {
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("connections", reused.size());
        counts.put("destinations", reused.stream().map(ConnectionRecord::service).distinct().count());
        String message = host + " opened " + Records.count(reused.size(), "connection") + " on four-tuples whose "
                + "previous connection was still in TIME-WAIT.";
        return new Finding(FindingType.TIME_WAIT_REUSE, Severity.NOTE, host, Records.first(reused),
                Records.last(reused), counts, Records.uids(reused), Records.evidence(reused), message);
    }

    private Finding portPressure(List<ConnectionRecord> connections) {
        List<ConnectionRecord> ephemeral = connections.stream()
                .filter(r -> r.originatorPort() >= settings.ephemeralPortLow() && r.originatorPort() <= settings.ephemeralPortHigh())
                .toList();
        // a port stays taken until the connection ends, or until its TIME-WAIT ends when the client closed first
        long[] starts = ephemeral.stream().mapToLong(ConnectionRecord::attemptStartNanos).toArray();
        long[] ends = ephemeral.stream().mapToLong(r -> Math.max(r.endNanos() + 1,
                r.originatorTimeWaitNanos().isPresent() ? r.originatorTimeWaitNanos().getAsLong() + settings.timeWaitNanos() : 0))
                .toArray();
        Peak peak = Peak.of(starts, ends);
        double share = (double) peak.count() / settings.ephemeralPorts();
        if (ephemeral.isEmpty() || share < settings.portShareWarning()) {
            return null;
        }
        ConnectionRecord first = ephemeral.get(0);
        String host = first.originatorAddress();
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("ports_in_use_peak", peak.count());
        counts.put("ephemeral_ports", settings.ephemeralPorts());
        counts.put("share", HandshakeFailureDetector.round(share));
        counts.put("connections", ephemeral.size());
        String message = host + " held " + Records.number(peak.count()) + " of its "
                + Records.number(settings.ephemeralPorts()) + " ephemeral ports ("
                + Records.percent(share) + ") towards " + first.service() + " at once, open or in TIME-WAIT.";
        Severity severity = share >= settings.portShareError() ? Severity.ERROR : Severity.WARNING;
        return new Finding(FindingType.EPHEMERAL_PORT_PRESSURE, severity, host + " > " + first.service(),
                Records.first(ephemeral), Records.last(ephemeral), counts, Records.uids(ephemeral), Records.evidence(ephemeral), message);
    }

    /**
     * The attempts from ephemeral ports per client host and service, each group in time order,
     * only the groups large enough to reach the port-share warning. A spoofed flood has millions
     * of one-attempt groups, so attempts are first counted per hashed key: a counter is at least
     * the size of every group hashed to it, and the groups whose counter stays under the minimum
     * are left out without a map entry each.
     */
    private List<List<ConnectionRecord>> clientServicePairs(List<ConnectionRecord> records) {
        long minimum = Math.max(1, (long) Math.ceil(settings.portShareWarning() * settings.ephemeralPorts()));
        List<ConnectionRecord> candidates = records.stream().filter(Records::isAttempt)
                .filter(r -> r.originatorPort() >= settings.ephemeralPortLow() && r.originatorPort() <= settings.ephemeralPortHigh())
                .toList();
        if (candidates.size() < minimum) {
            return List.of();
        }
        int[] counts = new int[Math.min(1 << 20, Integer.highestOneBit(Math.max(16, candidates.size())) * 2)];
        int mask = counts.length - 1;
        for (ConnectionRecord record : candidates) {
            counts[ClientAndService.hash(record) & mask]++;
        }
        Map<ClientAndService, List<ConnectionRecord>> groups = new LinkedHashMap<>();
        for (ConnectionRecord record : candidates) {
            if (counts[ClientAndService.hash(record) & mask] >= minimum) {
                groups.computeIfAbsent(ClientAndService.of(record), key -> new ArrayList<>()).add(record);
            }
        }
        return groups.values().stream().filter(group -> group.size() >= minimum).toList();
    }

    /** A client host and a service it connects to, by number (cheaper to group by than text). */
    private record ClientAndService(long clientHigh, long clientLow, long serviceHigh, long serviceLow, int port) {
        static ClientAndService of(ConnectionRecord record) {
            return new ClientAndService(record.originatorHigh(), record.originatorLow(), record.responderHigh(),
                    record.responderLow(), record.responderPort());
        }

        static int hash(ConnectionRecord record) {
            long h = record.originatorLow() * 0x9E37_79B9_7F4A_7C15L;
            h = (h ^ record.originatorHigh() ^ record.responderLow()) * 0xC2B2_AE3D_27D4_EB4FL;
            h = (h ^ record.responderHigh() ^ record.responderPort()) * 0x1656_67B1_9E37_79F9L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
