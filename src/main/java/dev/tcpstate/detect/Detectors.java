package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every detector, fed one final record at a time in the order records end (docs/architecture.md):
 * each keeps counts per service or host, a few example connections, and time buckets, never the
 * records. The same objects serve {@code analyze}, {@code check} and {@code watch}. Findings come
 * worst first; handshake failures at a service under a SYN flood are part of the flood finding,
 * not findings of their own.
 */
public final class Detectors {
    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity).reversed()
            .thenComparing(Finding::type).thenComparingLong(Finding::startNanos).thenComparing(Finding::subject);

    private final HandshakeFailureDetector handshakes;
    private final HalfOpenDetector halfOpen;
    private final ResetDetector resets = new ResetDetector();
    private final SynFloodDetector floods;
    private final TimeWaitDetector timeWait;

    public Detectors(DetectorSettings settings) {
        this.handshakes = new HandshakeFailureDetector(settings);
        this.halfOpen = new HalfOpenDetector(settings);
        this.floods = new SynFloodDetector(settings);
        this.timeWait = new TimeWaitDetector(settings);
    }

    /**
     * What the detectors found, and the totals {@code check}'s rules count.
     *
     * @param handshakeFailures failed handshake attempts by class (TS101–TS105), each attempt once
     * @param halfOpenPeerReset half-open connections whose peer answered with a RST
     * @param halfOpenPeerSilent half-open connections whose peer never answered
     * @param timeWaitPeaks the most endpoints each host held in TIME-WAIT at once
     */
    public record Result(List<Finding> findings, Map<FindingType, Long> handshakeFailures, long halfOpenPeerReset,
            long halfOpenPeerSilent, Map<String, Integer> timeWaitPeaks) {
        public Result {
            findings = List.copyOf(findings);
            handshakeFailures = Map.copyOf(handshakeFailures);
            timeWaitPeaks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timeWaitPeaks));
        }

        /** Failed handshakes whose class is not in {@code allowed}. */
        public long handshakeFailures(Set<FindingType> allowed) {
            return handshakeFailures.entrySet().stream().filter(e -> !allowed.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** The capture's first packet time: the detectors' time buckets count from it. */
    public void begin(long captureStartNanos) {
        floods.begin(captureStartNanos);
    }

    /** One record, final at packet time {@code finalNanos}. */
    public void accept(ConnectionRecord record, long finalNanos) {
        handshakes.accept(record);
        halfOpen.accept(record);
        resets.accept(record);
        floods.accept(record, finalNanos);
        timeWait.accept(record, finalNanos);
    }

    /** The end of the capture (first and last packet times): the findings. */
    public Result finish(long captureStart, long captureEnd) {
        List<Finding> findings = new ArrayList<>();
        findings.addAll(handshakes.findings());
        findings.addAll(halfOpen.findings());
        findings.addAll(resets.findings());
        findings.addAll(floods.findings(captureStart, captureEnd));
        findings.addAll(timeWait.findings(captureStart, captureEnd));
        // at a flooded service the flood finding tells the handshakes' story: no second finding
        Set<String> flooded = new HashSet<>();
        findings.stream().filter(f -> f.type() == FindingType.SYN_FLOOD || f.type() == FindingType.SYN_FLOOD_SLOW)
                .forEach(f -> flooded.add(f.subject()));
        findings.removeIf(f -> flooded.contains(f.subject()) && (f.type() == FindingType.HANDSHAKE_UNANSWERED
                || f.type() == FindingType.HANDSHAKE_NO_FINAL_ACK || f.type() == FindingType.HANDSHAKE_RESET));
        findings.sort(ORDER);
        return new Result(findings, handshakes.totals(), halfOpen.count(FindingType.HALF_OPEN_PEER_RESET),
                halfOpen.count(FindingType.HALF_OPEN_PEER_SILENT), timeWait.peaks());
    }

    /**
     * The detectors over records already at hand (a live window, the shell), each taken as final at
     * the capture's end.
     *
     * @param records in any order
     */
    public Result detect(List<ConnectionRecord> records, long captureStart, long captureEnd) {
        begin(captureStart);
        for (ConnectionRecord record : records) {
            accept(record, captureEnd);
        }
        return finish(captureStart, captureEnd);
    }

    /**
     * The most connection attempts, and half-open attempts, begun in one second over every
     * service (one-second buckets from the capture's first packet): the timeline's peaks, the
     * same count as the SYN flood findings' peak.
     */
    public Timeline.Peaks peaksPerSecond() {
        return floods.peaksPerSecond();
    }

    /** The handshake-failure class of an attempt (TS101–TS105), if its handshake failed. */
    public static java.util.Optional<FindingType> handshakeFailure(ConnectionRecord record) {
        return java.util.Optional.ofNullable(Records.isAttempt(record) ? HandshakeFailureDetector.failure(record) : null);
    }

    /** Whether the connection's handshake completed (it may have been reset or closed since). */
    public static boolean completedHandshake(ConnectionRecord record) {
        return Records.completed(record);
    }
}
