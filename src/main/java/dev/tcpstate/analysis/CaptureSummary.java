package dev.tcpstate.analysis;

import dev.tcpstate.capture.CaptureWarning;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pass over the captures found before any TCP analysis: frames read, TCP segments
 * decoded, frames skipped by reason, link types, bytes and time span.
 *
 * @param skipped frames skipped, by reason, in {@link DecodeResult} order; reasons with none left out
 * @param firstSkipped for each reason in {@code skipped}, the number of its first frame (from 1, in
 *     the order frames were read)
 * @param linkTypes frames by LINKTYPE_ value, ascending
 * @param timestampsBackwards frames whose timestamp is earlier than the frame before them in the same capture
 * @param firstBackwardsFrame the number of the first of those (0: none)
 * @param truncatedPayloadBytes payload of TCP segments the snapshot length cut: whole segments'
 *     payload, since a cut segment's data never reaches Zeek's reassembler (it counts as missed)
 */
public record CaptureSummary(List<SourceSummary> sources, ChecksumMode checksums, long frames, long tcpSegments,
        long ipv4Segments, long ipv6Segments, Map<DecodeResult, Long> skipped, Map<DecodeResult, Long> firstSkipped,
        Map<Integer, Long> linkTypes,
        long capturedBytes, long wireBytes, Optional<TimeSpan> timeSpan, long timestampsBackwards,
        long firstBackwardsFrame,
        List<CaptureWarning> warnings, long truncatedPayloadBytes) {

    public CaptureSummary {
        sources = List.copyOf(sources);
        skipped = Map.copyOf(skipped);
        firstSkipped = Map.copyOf(firstSkipped);
        linkTypes = Map.copyOf(linkTypes);
        warnings = List.copyOf(warnings);
    }

    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    public long skipped(DecodeResult reason) {
        return skipped.getOrDefault(reason, 0L);
    }

    /**
     * One input: its name, its container format, how many frames it held, and the time of its
     * earliest and latest frame (none without frames).
     */
    public record SourceSummary(String name, String format, String details, long frames, Optional<TimeSpan> timeSpan) {
        public SourceSummary(String name, String format, String details, long frames) {
            this(name, format, details, frames, Optional.empty());
        }
    }

    /** Earliest and latest frame time in nanoseconds since the epoch. */
    public record TimeSpan(long firstNanos, long lastNanos) {
        public long durationNanos() {
            return lastNanos - firstNanos;
        }
    }
}
