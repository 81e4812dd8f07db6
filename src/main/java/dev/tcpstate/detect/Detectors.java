package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs every detector over a capture's finished records; findings come worst first. Handshake
 * failures at a service under a SYN flood are part of the flood finding, not findings of their own.
 */
public final class Detectors {
    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity).reversed()
            .thenComparing(Finding::type).thenComparingLong(Finding::startNanos).thenComparing(Finding::subject);

    /** Up to this many records the detectors run side by side. */
    static final int SIDE_BY_SIDE_LIMIT = 1_000_000;

    private final DetectorSettings settings;

    public Detectors(DetectorSettings settings) {
        this.settings = settings;
    }

    /**
     * @param records every record of the capture, in time order
     * @param captureStart first packet time
     * @param captureEnd last packet time
     */
    public List<Finding> detect(List<ConnectionRecord> records, long captureStart, long captureEnd) {
        // the detectors only read the records, so they run side by side on the machine's cores;
        // with millions of records one after the other, so their working sets do not add up
        // most detectors look at one service at a time: the records are grouped once for all
        java.util.Map<String, List<ConnectionRecord>> services = Records.byService(records);
        List<java.util.function.Supplier<List<Finding>>> detectors = List.of(
                () -> new HandshakeFailureDetector(settings).detect(services),
                () -> new HalfOpenDetector(settings).detect(services),
                () -> new ResetDetector().detect(services),
                () -> new SynFloodDetector(settings).detect(records, services, captureStart, captureEnd),
                () -> new TimeWaitDetector(settings).detect(records, captureStart, captureEnd));
        var stream = records.size() < SIDE_BY_SIDE_LIMIT ? detectors.parallelStream() : detectors.stream();
        List<Finding> findings = new ArrayList<>(stream.flatMap(detector -> detector.get().stream()).toList());
        // at a flooded service the flood finding tells the handshakes' story: no second finding
        Set<String> flooded = new HashSet<>();
        findings.stream().filter(f -> f.type() == FindingType.SYN_FLOOD || f.type() == FindingType.SYN_FLOOD_SLOW)
                .forEach(f -> flooded.add(f.subject()));
        findings.removeIf(f -> flooded.contains(f.subject()) && (f.type() == FindingType.HANDSHAKE_UNANSWERED
                || f.type() == FindingType.HANDSHAKE_NO_FINAL_ACK || f.type() == FindingType.HANDSHAKE_RESET));
        findings.sort(ORDER);
        return findings;
    }

    /** Handshake attempts that failed, each once, in a class that is not in {@code allowed}. */
    public static List<ConnectionRecord> handshakeFailures(List<ConnectionRecord> records, Set<FindingType> allowed) {
        return records.stream().filter(Records::isAttempt).filter(r -> {
            FindingType type = HandshakeFailureDetector.failure(r);
            return type != null && !allowed.contains(type);
        }).toList();
    }

    /** The most endpoints each host held in TIME-WAIT at once. */
    public static java.util.Map<String, Integer> timeWaitPeaks(List<ConnectionRecord> records, long timeWaitNanos) {
        return TimeWaitDetector.peaks(records, timeWaitNanos);
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
