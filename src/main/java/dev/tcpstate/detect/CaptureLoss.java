package dev.tcpstate.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loss is never silent (as Zeek's capture-loss notice): what the capture missed, from two
 * sources, and what it does to the findings. The endpoints' own ACKs tell of data the capture
 * never showed (Zeek's missed bytes: acknowledged, so sent and received, but not captured), and
 * live capture's counters tell of frames dropped before analysis. Past {@link #MIN_PERCENT} of the
 * bytes, or with any dropped frame, a TS501 finding says how much; the findings a lost packet can
 * make up (an unanswered SYN, a half-open connection, a missing final ACK or FIN) then say that
 * they rest on a lossy capture.
 */
public final class CaptureLoss {
    /** Missed bytes, in percent of the payload, from which the loss is reported (Zeek warns at 10 %, but any real loss skews failure counts). */
    public static final double MIN_PERCENT = 1.0;
    /** Findings a packet lost by the capture (not by the network) can make up. */
    static final Set<FindingType> AFFECTED = Set.of(FindingType.HANDSHAKE_UNANSWERED, FindingType.HANDSHAKE_NO_FINAL_ACK,
            FindingType.HALF_OPEN_PEER_RESET, FindingType.HALF_OPEN_PEER_SILENT);

    private CaptureLoss() {
    }

    /**
     * The findings with the loss taken into account: a TS501 finding added when the capture lost
     * data, and the affected findings marked ({@code capture_loss_percent} in their counts, a
     * sentence in their message).
     *
     * @param missedBytes bytes acknowledged but never captured (Zeek's missed_bytes)
     * @param truncatedBytes bytes the snapshot length cut off captured frames: Zeek counts them as
     *     missed too, but those packets were seen, not lost
     * @param payloadBytes bytes the connections carried
     * @param droppedFrames frames libpcap or tcpstate's queue dropped (0 for files)
     */
    public static List<Finding> apply(List<Finding> findings, long missedBytes, long truncatedBytes, long payloadBytes,
            long droppedFrames, long receivedFrames, long startNanos, long endNanos) {
        return apply(findings, missedBytes, truncatedBytes, payloadBytes, droppedFrames, receivedFrames, Long.MIN_VALUE,
                startNanos, endNanos);
    }

    /**
     * As above, with since when frames are dropped ({@code droppedSinceNanos}, MIN_VALUE when not
     * known): a loss that is only dropped frames begins there, and the finding says so.
     */
    public static List<Finding> apply(List<Finding> findings, long missedBytes, long truncatedBytes, long payloadBytes,
            long droppedFrames, long receivedFrames, long droppedSinceNanos, long startNanos, long endNanos) {
        missedBytes = Math.max(0, missedBytes - truncatedBytes);
        double percent = payloadBytes == 0 ? 0 : 100.0 * missedBytes / payloadBytes;
        if (percent < MIN_PERCENT && droppedFrames == 0) {
            return findings;
        }
        List<Finding> marked = new ArrayList<>(findings.size() + 1);
        String note = String.format(Locale.ROOT, " The capture was lossy (%s): some of these may be lost packets, "
                + "not failures.", describe(percent, missedBytes, droppedFrames));
        for (Finding finding : findings) {
            if (AFFECTED.contains(finding.type())) {
                Map<String, Number> counts = new LinkedHashMap<>(finding.counts());
                counts.put("capture_loss_percent", round(percent));
                counts.put("capture_dropped_frames", droppedFrames);
                marked.add(new Finding(finding.type(), finding.severity(), finding.subject(), finding.startNanos(),
                        finding.endNanos(), counts, finding.connections(), finding.evidence(), finding.message() + note));
            } else {
                marked.add(finding);
            }
        }
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("missed_bytes", missedBytes);
        counts.put("payload_bytes", payloadBytes);
        counts.put("capture_loss_percent", round(percent));
        counts.put("dropped_frames", droppedFrames);
        counts.put("received_frames", receivedFrames);
        boolean onlyDrops = percent < MIN_PERCENT && droppedFrames > 0 && droppedSinceNanos != Long.MIN_VALUE;
        marked.add(0, new Finding(FindingType.CAPTURE_LOSS, Severity.WARNING, "capture",
                onlyDrops ? droppedSinceNanos : startNanos, Math.max(endNanos, onlyDrops ? droppedSinceNanos : endNanos), counts,
                List.of(), List.of(), "The capture missed " + describe(percent, missedBytes, droppedFrames)
                        + "; findings that a lost packet can make up are marked."));
        return marked;
    }

    private static String describe(double percent, long missedBytes, long droppedFrames) {
        StringBuilder text = new StringBuilder();
        if (missedBytes > 0) {
            text.append(String.format(Locale.ROOT, "%.1f%% of the payload bytes (%s acknowledged but never captured)",
                    percent, Records.count(missedBytes, "byte")));
        }
        if (droppedFrames > 0) {
            text.append(text.length() > 0 ? ", and " : "").append(Records.count(droppedFrames, "frame"))
                    .append(" dropped before analysis");
        }
        return text.toString();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
