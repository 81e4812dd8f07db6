package dev.tcpstate.analysis;

import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Detectors;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.TcpState;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable picture of a live capture for the screen and the periodic stats event: endpoint
 * states of the open connections, the detection window's handshake failures, SYN rates, half-open
 * connections, TIME-WAIT per host (with its recent history) and top talkers, the active findings,
 * and the capture's own counters.
 */
public record LiveSnapshot(long nowNanos, CaptureSummary summary, CaptureCounts capture, long openConnections,
        long closedConnections, Map<TcpState, Integer> endpointStates, double newPerSecond,
        Map<FindingType, Integer> handshakeFailures, List<ServiceRate> synRates, List<ConnectionRecord> halfOpen,
        Map<String, Integer> timeWait, Map<String, List<Integer>> timeWaitHistory, List<Talker> topTalkers,
        List<Finding> findings, List<ConnectionRecord> connections, java.util.Optional<Selected> selected,
        Totals totals) {

    /**
     * Counts since the watch began, for counters that only go up (the metrics endpoint):
     * connections begun with a SYN, and records Zeek logged by their conn_state and outcome.
     */
    public record Totals(long synAttempts, Map<Ended, Long> ended) {
        public static final Totals NONE = new Totals(0, Map.of());

        public Totals {
            ended = Map.copyOf(ended);
        }
    }

    /** A logged record's Zeek verdict and tcpstate outcome: the labels a count of them carries. */
    public record Ended(String connState, String outcome) {
    }

    /** The connection the screen drills into: its record and every state change so far, with its cause. */
    public record Selected(ConnectionRecord record, List<dev.tcpstate.state.Transition> transitions) {
        public Selected {
            transitions = List.copyOf(transitions);
        }
    }

    /** Snapshots of history kept per host. */
    public static final int HISTORY = 60;
    private static final int TOP = 10;
    private static final long SECOND = 1_000_000_000L;

    /**
     * libpcap's counters: received, dropped by the kernel and the interface, and by tcpstate's
     * queue; and since when frames are dropped (packet time when a drop was first seen,
     * MIN_VALUE while none).
     */
    public record CaptureCounts(long received, long droppedByKernel, long droppedByInterface, long droppedByQueue,
            long droppedSinceNanos) {
        public static final CaptureCounts NONE = new CaptureCounts(0, 0, 0, 0);

        /** Counters whose first drop's time is not known. */
        public CaptureCounts(long received, long droppedByKernel, long droppedByInterface, long droppedByQueue) {
            this(received, droppedByKernel, droppedByInterface, droppedByQueue, Long.MIN_VALUE);
        }

        /** Frames lost before analysis, for any reason. */
        public long dropped() {
            return droppedByKernel + droppedByInterface + droppedByQueue;
        }
    }

    /**
     * Attempts per second at a service averaged over the flood window (not a peak: the findings'
     * peaks are the most in one second), and whether a flood is raised for it.
     */
    public record ServiceRate(String service, double perSecond, long attempts, long completed, boolean flood) {
    }

    /** A host and the payload bytes it sent and received in the window. */
    public record Talker(String host, long bytes, long connections) {
    }

    private static void talk(Map<HostKey, long[]> talkers, HostKey host, long bytes) {
        long[] t = talkers.computeIfAbsent(host, h -> new long[2]);
        t[0] += bytes;
        t[1]++;
    }

    /** An address as records keep it (IPv4 mapped into the low half), ordered as unsigned numbers. */
    private record HostKey(long high, long low) implements Comparable<HostKey> {
        @Override
        public int compareTo(HostKey other) {
            int byHigh = Long.compareUnsigned(high, other.high);
            return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
        }

        String text() {
            return dev.tcpstate.decode.IpAddresses.format(high, low);
        }
    }

    /** A service's address and port, as records keep them. */
    private record ServiceKey(long high, long low, int port) {
        String text() {
            return ConnectionRecord.endpoint(dev.tcpstate.decode.IpAddresses.format(high, low), port);
        }
    }

    static LiveSnapshot of(long now, CaptureSummary summary, CaptureCounts capture, List<ConnectionRecord> open,
            long live, List<ConnectionRecord> window, List<Finding> findings, long closed, Map<String, Integer> timeWait,
            Map<String, List<Integer>> history, java.util.Optional<Selected> selected, DetectorSettings settings,
            Totals totals, long firstNanos) {
        Map<TcpState, Integer> states = new EnumMap<>(TcpState.class);
        for (ConnectionRecord record : open) {
            if (record.originatorState() != TcpState.TIME_WAIT) {
                states.merge(record.originatorState(), 1, Integer::sum);
            }
            if (record.responderState() != TcpState.TIME_WAIT) {
                states.merge(record.responderState(), 1, Integer::sum);
            }
        }
        // TIME-WAIT endpoints outlive their records' end in Zeek's log: count them as the per-host
        // TIME-WAIT figures do, so the state count and the hosts' sum are one number
        int timeWaitEndpoints = timeWait.values().stream().mapToInt(Integer::intValue).sum();
        if (timeWaitEndpoints > 0) {
            states.put(TcpState.TIME_WAIT, timeWaitEndpoints);
        }
        double newPerSecond = window.stream().filter(r -> !r.midstream() && r.tsNanos() > now - SECOND).count();
        Map<FindingType, Integer> failures = new EnumMap<>(FindingType.class);
        window.forEach(r -> Detectors.handshakeFailure(r).ifPresent(type -> failures.merge(type, 1, Integer::sum)));

        // keyed by number, formatted once per service at the end (a flood's window holds a million records)
        Map<ServiceKey, long[]> rates = new HashMap<>();
        long floodWindow = settings.floodWindowNanos();
        // a rate over the window once it has filled; before that, over the time there has been
        long rateSpan = Math.max(SECOND, Math.min(floodWindow, now - firstNanos));
        for (ConnectionRecord record : window) {
            if (!record.midstream() && !record.continuedLater() && record.attemptStartNanos() > now - floodWindow) {
                long[] counts = rates.computeIfAbsent(new ServiceKey(record.responderHigh(), record.responderLow(),
                        record.responderPort()), s -> new long[2]);
                counts[0]++;
                counts[1] += Detectors.completedHandshake(record) ? 1 : 0;
            }
        }
        List<String> flooded = findings.stream()
                .filter(f -> f.type() == FindingType.SYN_FLOOD || f.type() == FindingType.SYN_FLOOD_SLOW)
                .map(Finding::subject).toList();
        List<ServiceRate> synRates = rates.entrySet().stream().map(e -> {
            String service = e.getKey().text();
            return new ServiceRate(service, e.getValue()[0] / (rateSpan / (double) SECOND), e.getValue()[0],
                    e.getValue()[1], flooded.contains(service));
        }).sorted(java.util.Comparator.comparingDouble(ServiceRate::perSecond).reversed()
                .thenComparing(ServiceRate::service)).limit(TOP).toList();

        List<ConnectionRecord> halfOpen = open.stream().filter(r -> r.outcome() == Outcome.HALF_OPEN
                || r.responderState() == TcpState.SYN_RECEIVED || r.originatorState() == TcpState.SYN_SENT).toList();

        Map<HostKey, long[]> talkers = new HashMap<>();
        for (ConnectionRecord record : window) {
            long bytes = record.originatorBytes().orElse(0) + record.responderBytes().orElse(0);
            talk(talkers, new HostKey(record.originatorHigh(), record.originatorLow()), bytes);
            talk(talkers, new HostKey(record.responderHigh(), record.responderLow()), bytes);
        }
        // ties in address order, by number: only the hosts shown are formatted
        List<Talker> top = talkers.entrySet().stream()
                .sorted(java.util.Comparator.comparingLong((Map.Entry<HostKey, long[]> e) -> e.getValue()[0]).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(TOP).map(e -> new Talker(e.getKey().text(), e.getValue()[0], e.getValue()[1])).toList();
        return new LiveSnapshot(now, summary, capture, live, closed, Map.copyOf(states), newPerSecond,
                Map.copyOf(failures), synRates, halfOpen, Map.copyOf(timeWait), Map.copyOf(history), top,
                List.copyOf(findings), List.copyOf(window), selected, totals);
    }
}
