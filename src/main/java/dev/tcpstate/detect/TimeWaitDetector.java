package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * TIME-WAIT per host, the active closer (docs/findings.md, TS401–TS403): how many of its
 * endpoints sit in TIME-WAIT over time (each for 2×MSL), the peak and when, the count at the end,
 * and whether it closed first as the client or the server (TS401); four-tuples reused while still
 * in TIME-WAIT (TS402); the share of the ephemeral port range held towards one destination, by
 * open connections and TIME-WAIT together (TS403).
 *
 * <p>A record comes once its TIME-WAIT is over (or the capture ended), so stays arrive nearly in
 * the order they began; a short queue puts them in order, and per host only the stays in
 * TIME-WAIT at once are kept. Port pressure counts ports in use per client and destination in
 * one-second steps, for the pairs busy enough to matter (a bounded table; see {@link Ports}).
 */
final class TimeWaitDetector {
    private final DetectorSettings settings;
    private final long length;
    /** Stays not yet counted, earliest first: a later record may still bring an earlier one. */
    private final PriorityQueue<Stay> pending = new PriorityQueue<>(
            java.util.Comparator.comparingLong((Stay stay) -> stay.since).thenComparingLong(stay -> stay.order));
    private long order;
    private final Map<Records.HostKey, Host> hosts = new HashMap<>();
    private final Map<Records.HostKey, ServiceTally> reuse = new HashMap<>();
    private final Map<Records.HostKey, DistinctAddresses> reuseDestinations = new HashMap<>();
    private final Ports ports;

    TimeWaitDetector(DetectorSettings settings) {
        this.settings = settings;
        this.length = settings.timeWaitNanos();
        this.ports = new Ports(settings);
    }

    /** An endpoint's stay in TIME-WAIT. */
    private record Stay(Records.HostKey host, String address, boolean client, long since, long order,
            long peerHigh, long peerLow, ConnectionRecord record) {
    }

    /** One host's endpoints in TIME-WAIT. */
    private static final class Host {
        final String address;
        /** When the stays in TIME-WAIT now end, in order (they all last the same). */
        final java.util.ArrayDeque<Long> ends = new java.util.ArrayDeque<>();
        int peak;
        long peakAt;
        long entered;
        long asClient;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final DistinctAddresses peers = new DistinctAddresses();
        final Exemplars exemplars = new Exemplars();

        Host(String address) {
            this.address = address;
        }
    }

    /** One final record, final at {@code finalNanos}. */
    void accept(ConnectionRecord record, long finalNanos) {
        record.originatorTimeWaitNanos().ifPresent(since -> pending.add(new Stay(
                new Records.HostKey(record.originatorHigh(), record.originatorLow()), record.originatorAddress(),
                true, since, order++, record.responderHigh(),
                DistinctAddresses.withPort(record.responderLow(), record.responderPort()), record)));
        record.responderTimeWaitNanos().ifPresent(since -> pending.add(new Stay(
                new Records.HostKey(record.responderHigh(), record.responderLow()), record.responderAddress(),
                false, since, order++, record.originatorHigh(), record.originatorLow(), record)));
        // records still to come are in TIME-WAIT past now, or began it at most 2×MSL before
        // (both sides of a simultaneous close): stays that began before that are in order
        while (!pending.isEmpty() && pending.peek().since() <= finalNanos - 2 * length) {
            count(pending.poll());
        }
        if (record.reusedTimeWait()) {
            Records.HostKey host = new Records.HostKey(record.originatorHigh(), record.originatorLow());
            reuse.computeIfAbsent(host, key -> new ServiceTally(record.originatorAddress())).add(record, 0);
            reuseDestinations.computeIfAbsent(host, key -> new DistinctAddresses()).add(record.responderHigh(),
                    DistinctAddresses.withPort(record.responderLow(), record.responderPort()));
        }
        ports.accept(record, length);
    }

    private void count(Stay stay) {
        Host host = hosts.computeIfAbsent(stay.host(), key -> new Host(stay.address()));
        while (!host.ends.isEmpty() && host.ends.peekFirst() <= stay.since()) {
            host.ends.pollFirst();
        }
        host.ends.addLast(stay.since() + length);
        if (host.ends.size() > host.peak) {
            host.peak = host.ends.size();
            host.peakAt = stay.since();
        }
        host.entered++;
        host.asClient += stay.client() ? 1 : 0;
        host.first = Math.min(host.first, stay.since());
        host.last = Math.max(host.last, stay.since() + length);
        host.peers.add(stay.peerHigh(), stay.peerLow());
        host.exemplars.offer(stay.record().tsNanos(), stay.client() ? 0 : 1, stay.record());
    }

    private void countPending() {
        while (!pending.isEmpty()) {
            count(pending.poll());
        }
    }

    /** The most endpoints each host held in TIME-WAIT at once. */
    Map<String, Integer> peaks() {
        countPending();
        Map<String, Integer> peaks = new LinkedHashMap<>();
        hosts.values().stream().sorted(java.util.Comparator.comparingLong((Host h) -> h.first))
                .forEach(host -> peaks.put(host.address, host.peak));
        return peaks;
    }

    List<Finding> findings(long captureStart, long captureEnd) {
        countPending();
        List<Finding> findings = new ArrayList<>();
        hosts.values().forEach(host -> {
            if (host.peak >= settings.timeWaitMinimum()) {
                findings.add(buildup(host, captureStart, captureEnd));
            }
        });
        reuse.forEach((key, reused) -> findings.add(reuse(reused, reuseDestinations.get(key).size())));
        findings.addAll(ports.findings());
        return findings;
    }

    private Finding buildup(Host host, long captureStart, long captureEnd) {
        long atEnd = host.ends.stream().filter(end -> end > captureEnd).count();
        long entered = host.entered;
        long asClient = host.asClient;
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("peak", host.peak);
        counts.put("peak_at_offset_seconds", HandshakeFailureDetector.round((host.peakAt - captureStart) / 1e9));
        counts.put("at_end", atEnd);
        counts.put("entered", entered);
        counts.put("closed_first_as_client", asClient);
        counts.put("closed_first_as_server", entered - asClient);
        counts.put("peers", host.peers.size());
        String role = asClient >= entered - asClient
                ? "it closed first as the client in " + Records.number(asClient) + " of " + Records.number(entered)
                        + " connections"
                : "it closed first as the server in " + Records.number(entered - asClient) + " of "
                        + Records.number(entered) + " connections, so the server holds the TIME-WAIT";
        String message = host.address + " had " + Records.count(host.peak, "endpoint") + " in TIME-WAIT at the peak ("
                + String.format(java.util.Locale.ROOT, "+%.3f s", (host.peakAt - captureStart) / 1e9) + ") and "
                + Records.number(atEnd) + " at the end of the capture; " + role + " (TIME-WAIT lasts "
                + String.format(java.util.Locale.ROOT, "%.0f s", length / 1e9) + ").";
        Severity severity = host.peak >= settings.timeWaitWarning() ? Severity.WARNING : Severity.NOTE;
        return new Finding(FindingType.TIME_WAIT_BUILDUP, severity, host.address, host.first,
                Math.min(host.last, captureEnd), counts, host.exemplars.uids(), host.exemplars.evidence(), message);
    }

    private static Finding reuse(ServiceTally reused, long destinations) {
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("connections", reused.count);
        counts.put("destinations", destinations);
        String message = reused.service + " opened " + Records.count(reused.count, "connection") + " on four-tuples whose "
                + "previous connection was still in TIME-WAIT.";
        return reused.finding(FindingType.TIME_WAIT_REUSE, Severity.NOTE, counts, message);
    }

    /**
     * Ephemeral ports in use per client host and destination service: each attempt from an
     * ephemeral port holds its port from its start until it ends, or until its TIME-WAIT ends
     * when the client closed first. Counted per pair in one-second steps (+1 where a port is
     * taken, −1 where it is freed; the count at each second is the sum so far). A spoofed flood
     * makes millions of pairs of one attempt each, so the table is bounded: when it is full, the
     * pairs with the fewest attempts are dropped (lossy counting); a pair that reaches the
     * port-share warning holds thousands of ports and stays.
     */
    static final class Ports {
        private static final long STEP = 1_000_000_000L;
        private static final int MAX_PAIRS = 1 << 16;
        private final DetectorSettings settings;
        private final Map<Pair, PairPorts> pairs = new HashMap<>();
        private long dropBelow = 2;

        Ports(DetectorSettings settings) {
            this.settings = settings;
        }

        private record Pair(long clientHigh, long clientLow, long serviceHigh, long serviceLow, int port) {
        }

        private static final class PairPorts {
            final String client;
            final String service;
            long connections;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            /** Step → ports taken minus ports freed in it. */
            final Map<Long, int[]> changes = new HashMap<>();
            final Exemplars exemplars = new Exemplars();

            PairPorts(ConnectionRecord record) {
                this.client = record.originatorAddress();
                this.service = record.service();
            }
        }

        void accept(ConnectionRecord record, long timeWaitNanos) {
            if (!Records.isAttempt(record) || record.originatorPort() < settings.ephemeralPortLow()
                    || record.originatorPort() > settings.ephemeralPortHigh()) {
                return;
            }
            Pair key = new Pair(record.originatorHigh(), record.originatorLow(), record.responderHigh(),
                    record.responderLow(), record.responderPort());
            PairPorts pair = pairs.get(key);
            if (pair == null) {
                if (pairs.size() >= MAX_PAIRS) {
                    dropSmallest();
                }
                pair = new PairPorts(record);
                pairs.put(key, pair);
            }
            long start = record.attemptStartNanos();
            long end = Math.max(record.endNanos() + 1, record.originatorTimeWaitNanos().isPresent()
                    ? record.originatorTimeWaitNanos().getAsLong() + timeWaitNanos : 0);
            pair.connections++;
            pair.first = Math.min(pair.first, start);
            pair.last = Math.max(pair.last, record.endNanos());
            pair.changes.computeIfAbsent(Math.floorDiv(start, STEP), k -> new int[1])[0]++;
            pair.changes.computeIfAbsent(Math.floorDiv(end, STEP), k -> new int[1])[0]--;
            pair.exemplars.offer(record);
        }

        /** Drops the pairs with the fewest attempts until the table is half full. */
        private void dropSmallest() {
            while (pairs.size() >= MAX_PAIRS / 2) {
                long below = dropBelow;
                pairs.values().removeIf(pair -> pair.connections < below);
                if (pairs.size() >= MAX_PAIRS / 2) {
                    dropBelow *= 2;
                }
            }
        }

        List<Finding> findings() {
            List<Finding> findings = new ArrayList<>();
            for (PairPorts pair : pairs.values()) {
                long[] steps = pair.changes.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
                long inUse = 0;
                long peak = 0;
                for (long step : steps) {
                    inUse += pair.changes.get(step)[0];
                    peak = Math.max(peak, inUse);
                }
                double share = (double) peak / settings.ephemeralPorts();
                if (share >= settings.portShareWarning()) {
                    findings.add(finding(pair, peak, share));
                }
            }
            return findings;
        }

        private Finding finding(PairPorts pair, long peak, double share) {
            Map<String, Number> counts = new LinkedHashMap<>();
            counts.put("ports_in_use_peak", peak);
            counts.put("ephemeral_ports", settings.ephemeralPorts());
            counts.put("share", HandshakeFailureDetector.round(share));
            counts.put("connections", pair.connections);
            String message = pair.client + " held " + Records.number(peak) + " of its "
                    + Records.number(settings.ephemeralPorts()) + " ephemeral ports (" + Records.percent(share)
                    + ") towards " + pair.service + " at once, open or in TIME-WAIT.";
            Severity severity = share >= settings.portShareError() ? Severity.ERROR : Severity.WARNING;
            return new Finding(FindingType.EPHEMERAL_PORT_PRESSURE, severity, pair.client + " > " + pair.service,
                    pair.first, pair.last, counts, pair.exemplars.uids(), pair.exemplars.evidence(), message);
        }
    }
}
