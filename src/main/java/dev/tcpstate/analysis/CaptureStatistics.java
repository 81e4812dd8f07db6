package dev.tcpstate.analysis;

import dev.tcpstate.capture.CaptureWarning;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.TcpSegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Counts what the capture stage and the decoder saw, frame by frame, without allocating: fixed
 * arrays indexed by decode result and by link type. {@link #summary} freezes the counts.
 */
public final class CaptureStatistics {
    /** Link types below this are counted in an array; the rare others in a map. */
    private static final int COMMON_LINK_TYPES = 512;

    private final long[] results = new long[DecodeResult.values().length];
    /** The number of each result's first frame: where to look in Wireshark. */
    private final long[] firstFrames = new long[DecodeResult.values().length];
    private final long[] linkTypes = new long[COMMON_LINK_TYPES];
    private final Map<Integer, Long> rareLinkTypes = new HashMap<>();
    private final List<CaptureSummary.SourceSummary> sources = new ArrayList<>();
    private final List<CaptureWarning> warnings = new ArrayList<>();
    private long frames;
    private long ipv4;
    private long ipv6;
    private long capturedBytes;
    private long wireBytes;
    private long firstNanos = Long.MAX_VALUE;
    private long lastNanos = Long.MIN_VALUE;
    private long previousNanos = Long.MIN_VALUE;
    private long backwards;
    private long firstBackwards;
    private long sourceFrames;
    private long sourceFirstNanos = Long.MAX_VALUE;
    private long sourceLastNanos = Long.MIN_VALUE;

    /** Counts one frame as read, before decoding. */
    public void frame(Frame frame) {
        frames++;
        sourceFrames++;
        capturedBytes += frame.capturedLength();
        wireBytes += frame.originalLength();
        long time = frame.timestampNanos();
        if (time < previousNanos && backwards++ == 0) {
            firstBackwards = frames;
        }
        previousNanos = time;
        firstNanos = Math.min(firstNanos, time);
        lastNanos = Math.max(lastNanos, time);
        sourceFirstNanos = Math.min(sourceFirstNanos, time);
        sourceLastNanos = Math.max(sourceLastNanos, time);
        int linkType = frame.linkType();
        if (linkType >= 0 && linkType < COMMON_LINK_TYPES) {
            linkTypes[linkType]++;
        } else {
            rareLinkTypes.merge(linkType, 1L, Long::sum);
        }
    }

    /** Counts the decoder's verdict on the frame last passed to {@link #frame}. */
    /** Payload of TCP segments the snapshot length cut (see {@link CaptureSummary#truncatedPayloadBytes}). */
    private long truncatedPayload;

    public void decoded(DecodeResult result, TcpSegment segment) {
        if (results[result.ordinal()]++ == 0) {
            firstFrames[result.ordinal()] = frames;
        }
        if (result == DecodeResult.TCP) {
            if (segment.payloadCaptured() < segment.payloadLength()) {
                truncatedPayload += segment.payloadLength();
            }
            if (segment.ipVersion() == 4) {
                ipv4++;
            } else {
                ipv6++;
            }
        }
    }

    /**
     * One source of a merged read is done: it gave {@code frames} of the frames counted, between
     * {@code span} (empty without frames).
     */
    public void sourceRead(PacketSource source, long frames, Optional<CaptureSummary.TimeSpan> span) {
        sources.add(new CaptureSummary.SourceSummary(source.name(), source.format(), source.details(), frames, span));
        warnings.addAll(source.warnings());
    }

    /** Closes the books on one source read on its own: its frame count, time span and warnings. */
    public void sourceFinished(PacketSource source) {
        Optional<CaptureSummary.TimeSpan> span = sourceFrames == 0 ? Optional.empty()
                : Optional.of(new CaptureSummary.TimeSpan(sourceFirstNanos, sourceLastNanos));
        sources.add(new CaptureSummary.SourceSummary(source.name(), source.format(), source.details(), sourceFrames,
                span));
        warnings.addAll(source.warnings());
        sourceFrames = 0;
        sourceFirstNanos = Long.MAX_VALUE;
        sourceLastNanos = Long.MIN_VALUE;
        // Time running backwards matters within one capture, not between captures given in turn.
        previousNanos = Long.MIN_VALUE;
    }

    public long frames() {
        return frames;
    }

    public CaptureSummary summary(ChecksumMode checksums) {
        Map<DecodeResult, Long> skipped = new EnumMap<>(DecodeResult.class);
        Map<DecodeResult, Long> firstSkipped = new EnumMap<>(DecodeResult.class);
        for (DecodeResult result : DecodeResult.values()) {
            if (result.skipped() && results[result.ordinal()] > 0) {
                skipped.put(result, results[result.ordinal()]);
                firstSkipped.put(result, firstFrames[result.ordinal()]);
            }
        }
        Map<Integer, Long> types = new TreeMap<>(rareLinkTypes);
        for (int code = 0; code < COMMON_LINK_TYPES; code++) {
            if (linkTypes[code] > 0) {
                types.put(code, linkTypes[code]);
            }
        }
        Optional<CaptureSummary.TimeSpan> span = frames == 0 ? Optional.empty()
                : Optional.of(new CaptureSummary.TimeSpan(firstNanos, lastNanos));
        return new CaptureSummary(sources, checksums, frames, results[DecodeResult.TCP.ordinal()], ipv4, ipv6,
                skipped, firstSkipped, types, capturedBytes, wireBytes, span, backwards, firstBackwards, warnings,
                truncatedPayload);
    }
}
