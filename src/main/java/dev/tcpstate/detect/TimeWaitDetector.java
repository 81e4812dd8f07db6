package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TIME-WAIT per host, the active closer (docs/findings.md, TS401–TS403): how many of its
 * endpoints sit in TIME-WAIT over time (each for 2×MSL), the peak and when, the count at the end,
 * and whether it closed first as the client or the server (TS401); four-tuples reused while still
 * in TIME-WAIT (TS402); the share of the ephemeral port range held towards one destination, by
 * open connections and TIME-WAIT together (TS403).
 *
 * <p>A record comes once its TIME-WAIT is over (or the capture ended), so stays arrive nearly in
 * the order they began; a short queue per host puts them in order, and then only the stays in
 * TIME-WAIT at once are kept. Port pressure counts ports in use per client and destination in
 * one-second steps, for the pairs busy enough to matter (a bounded table; see {@link Ports}).
 */
final class TimeWaitDetector {
    private final DetectorSettings settings;
    private final long length;
    private final Map<Records.HostKey, Host> hosts = new HashMap<>();
    private final Map<Records.HostKey, Reuse> reuse = new HashMap<>();

    /** One host's connections on four-tuples still in TIME-WAIT, and where they went. */
    private static final class Reuse {
        final ServiceTally tally;
        final DistinctAddresses destinations = new DistinctAddresses();

        Reuse(String host) {
            this.tally = new ServiceTally(host);
        }
    }
    private final Ports ports;

    TimeWaitDetector(DetectorSettings settings) {
        this.settings = settings;
        this.length = settings.timeWaitNanos();
        this.ports = new Ports(settings);
    }

    /** One host's endpoints in TIME-WAIT. */
    private static final class Host {
        final String address;
        /** Stays not yet counted by when they began, each with its end: a later record may bring an earlier one. */
        final LongHeap pending = new LongHeap();
        /** When the counted stays still in TIME-WAIT end, earliest first (most last 2×MSL; some end early). */
        final LongHeap ends = new LongHeap();
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

        /**
         * Counts the stays that began by {@code through} in order: the peak of stays in TIME-WAIT
         * at once, counted where each begins (those that ended by then are gone).
         */
        void countThrough(long through) {
            while (!pending.isEmpty() && pending.peek() <= through) {
                long end = pending.peekPayload();
                long since = pending.poll();
                while (!ends.isEmpty() && ends.peek() <= since) {
                    ends.poll();
                }
                ends.add(end);
                if (ends.size() > peak) {
                    peak = ends.size();
                    peakAt = since;
                }
            }
        }
    }

    /** One final record, final at {@code finalNanos}. */
    void accept(ConnectionRecord record, long finalNanos) {
        if (record.originatorTimeWaitNanos().isPresent()) {
            stay(record, true, record.originatorTimeWaitNanos().getAsLong(), finalNanos);
        }
        if (record.responderTimeWaitNanos().isPresent()) {
            stay(record, false, record.responderTimeWaitNanos().getAsLong(), finalNanos);
        }
        if (record.reusedTimeWait()) {
            Reuse reused = Records.host(reuse, record.originatorHigh(), record.originatorLow(), Reuse::new);
            reused.tally.add(record, 0);
            reused.destinations.add(record.responderHigh(),
                    DistinctAddresses.withPort(record.responderLow(), record.responderPort()));
        }
        ports.accept(record, length);
    }

    /** An endpoint's stay in TIME-WAIT from {@code since}: the originator's when {@code client}. */
    private void stay(ConnectionRecord record, boolean client, long since, long finalNanos) {
        Host host = client ? Records.host(hosts, record.originatorHigh(), record.originatorLow(), Host::new)
                : Records.host(hosts, record.responderHigh(), record.responderLow(), Host::new);
        long end = record.timeWaitEnd(since, length);
        host.pending.add(since, end);
        host.entered++;
        host.asClient += client ? 1 : 0;
        host.first = Math.min(host.first, since);
        host.last = Math.max(host.last, end);
        if (client) {
            host.peers.add(record.responderHigh(), DistinctAddresses.withPort(record.responderLow(),
                    record.responderPort()));
        } else {
            host.peers.add(record.originatorHigh(), record.originatorLow());
        }
        host.exemplars.offer(record.tsNanos(), client ? 0 : 1, record);
        // records still to come are in TIME-WAIT past now, or began it at most 2×MSL before
        // (both sides of a simultaneous close): stays that began before that are in order
        host.countThrough(finalNanos - 2 * length);
    }

    private void countPending() {
        hosts.values().forEach(host -> host.countThrough(Long.MAX_VALUE));
    }

    /** The most endpoints each host held in TIME-WAIT at once. */
    Map<String, Integer> peaks() {
        countPending();
        Map<String, Integer> peaks = new LinkedHashMap<>();
        // the hosts counted together have no peak of their own: theirs is a sum
        hosts.values().stream().filter(host -> !host.address.equals(Records.OTHER_HOSTS))
                .sorted(java.util.Comparator.comparingLong((Host h) -> h.first))
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
        reuse.values().forEach(reused -> findings.add(reuse(reused.tally, reused.destinations.size())));
        findings.addAll(ports.findings());
        return findings;
    }

    private Finding buildup(Host host, long captureStart, long captureEnd) {
        long atEnd = host.ends.countAbove(captureEnd);
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
        private static final int MAX_PAIRS = 1 << 12;
        /** Slots where a pair's first attempt waits for a second one (a spoofed source never sends it). */
        private static final int FIRST_SLOTS = 1 << 12;
        private final DetectorSettings settings;
        private final Map<Pair, PairPorts> pairs = new HashMap<>();
        private long dropBelow = 2;
        private final Pair[] firstPair = new Pair[FIRST_SLOTS];
        private final ConnectionRecord[] firstRecord = new ConnectionRecord[FIRST_SLOTS];
        private final long[] firstEnd = new long[FIRST_SLOTS];

        Ports(DetectorSettings settings) {
            this.settings = settings;
        }

        private record Pair(long clientHigh, long clientLow, long serviceHigh, long serviceLow, int port) {
            // written out: a record's generated ones go through method handles, and every attempt asks
            @Override
            public boolean equals(Object other) {
                return other instanceof Pair pair && pair.clientLow == clientLow && pair.serviceLow == serviceLow
                        && pair.port == port && pair.clientHigh == clientHigh && pair.serviceHigh == serviceHigh;
            }

            @Override
            public int hashCode() {
                return Records.mix(clientHigh, clientLow, Records.mix(serviceHigh, serviceLow, port));
            }
        }

        private static final class PairPorts {
            long connections;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            final StepCounts taken = new StepCounts();
            final StepCounts freed = new StepCounts();
            final Exemplars exemplars = new Exemplars();
        }

        void accept(ConnectionRecord record, long timeWaitNanos) {
            if (!Records.isAttempt(record) || record.originatorPort() < settings.ephemeralPortLow()
                    || record.originatorPort() > settings.ephemeralPortHigh()) {
                return;
            }
            Pair key = new Pair(record.originatorHigh(), record.originatorLow(), record.responderHigh(),
                    record.responderLow(), record.responderPort());
            long end = Math.max(record.endNanos() + 1, record.originatorTimeWaitNanos().isPresent()
                    ? record.timeWaitEnd(record.originatorTimeWaitNanos().getAsLong(), timeWaitNanos) : 0);
            PairPorts pair = pairs.get(key);
            if (pair == null) {
                // a pair's first attempt waits in a slot; only a second one makes it a pair to
                // count (a flood's spoofed sources have one each). A slot taken by another pair
                // meanwhile loses that first attempt: one port of thousands.
                int slot = key.hashCode() & (FIRST_SLOTS - 1);
                if (!key.equals(firstPair[slot])) {
                    firstPair[slot] = key;
                    firstRecord[slot] = record;
                    firstEnd[slot] = end;
                    return;
                }
                if (pairs.size() >= MAX_PAIRS) {
                    dropSmallest();
                }
                pair = new PairPorts();
                pairs.put(key, pair);
                count(pair, firstRecord[slot], firstEnd[slot]);
                firstPair[slot] = null;
                firstRecord[slot] = null;
            }
            count(pair, record, end);
        }

        private static void count(PairPorts pair, ConnectionRecord record, long end) {
            long start = record.attemptStartNanos();
            pair.connections++;
            pair.first = Math.min(pair.first, start);
            pair.last = Math.max(pair.last, record.endNanos());
            pair.taken.add(Math.floorDiv(start, STEP));
            pair.freed.add(Math.floorDiv(end, STEP));
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
            // a pair seen once holds one port: never a finding, unless the share asked for is that small
            boolean onePortCounts = 1.0 / settings.ephemeralPorts() >= settings.portShareWarning();
            for (int slot = 0; onePortCounts && slot < FIRST_SLOTS; slot++) {
                if (firstPair[slot] != null && !pairs.containsKey(firstPair[slot])) {
                    PairPorts single = new PairPorts();
                    count(single, firstRecord[slot], firstEnd[slot]);
                    pairs.put(firstPair[slot], single);
                }
            }
            pairs.forEach((key, pair) -> {
                long peak = StepCounts.peakOpen(pair.taken, pair.freed);
                double share = (double) peak / settings.ephemeralPorts();
                if (share >= settings.portShareWarning()) {
                    findings.add(finding(key, pair, peak, share));
                }
            });
            return findings;
        }

        private Finding finding(Pair key, PairPorts pair, long peak, double share) {
            String client = dev.tcpstate.decode.IpAddresses.format(key.clientHigh(), key.clientLow());
            String service = ConnectionRecord.endpoint(dev.tcpstate.decode.IpAddresses.format(key.serviceHigh(),
                    key.serviceLow()), key.port());
            Map<String, Number> counts = new LinkedHashMap<>();
            counts.put("ports_in_use_peak", peak);
            counts.put("ephemeral_ports", settings.ephemeralPorts());
            counts.put("share", HandshakeFailureDetector.round(share));
            counts.put("connections", pair.connections);
            String message = client + " held " + Records.number(peak) + " of its "
                    + Records.number(settings.ephemeralPorts()) + " ephemeral ports (" + Records.percent(share)
                    + ") towards " + service + " at once, open or in TIME-WAIT.";
            Severity severity = share >= settings.portShareError() ? Severity.ERROR : Severity.WARNING;
            return new Finding(FindingType.EPHEMERAL_PORT_PRESSURE, severity, client + " > " + service,
                    pair.first, pair.last, counts, pair.exemplars.uids(), pair.exemplars.evidence(), message);
        }
    }
}
