package dev.tcpstate.report;

import dev.tcpstate.analysis.CaptureSummary;
import dev.tcpstate.capture.LinkType;
import dev.tcpstate.decode.DecodeResult;
import java.io.PrintWriter;
import java.util.Map;

/** {@code tcpstate stats} for people: one aligned block, counts with reasons spelled out. */
public final class StatsTextRenderer {
    private StatsTextRenderer() {
    }

    public static void render(CaptureSummary summary, TimeFormat times, PrintWriter out) {
        for (CaptureSummary.SourceSummary source : summary.sources()) {
            line(out, "capture", source.name() + ": " + source.frames() + " frames, " + source.details());
        }
        line(out, "frames", String.format("%,d read, %,d TCP (%,d IPv4, %,d IPv6), %,d skipped", summary.frames(),
                summary.tcpSegments(), summary.ipv4Segments(), summary.ipv6Segments(), summary.skippedTotal()));
        for (Map.Entry<DecodeResult, Long> skipped : summary.skipped().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            line(out, "  skipped", String.format("%,d %s: %s; first: frame %,d", skipped.getValue(),
                    skipped.getKey().label(), skipped.getKey().description(), summary.firstSkipped().get(skipped.getKey())));
        }
        for (Map.Entry<Integer, Long> type : summary.linkTypes().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            line(out, "link type", String.format("%s: %,d frames", LinkType.describe(type.getKey()), type.getValue()));
        }
        summary.timeSpan().ifPresentOrElse(span -> line(out, "time span",
                times.dateTime(span.firstNanos()) + " .. " + times.dateTime(span.lastNanos()) + " ("
                        + Times.seconds(span.durationNanos()) + " s)"),
                () -> line(out, "time span", "none (no frames)"));
        if (summary.timestampsBackwards() > 0) {
            line(out, "out of order", String.format("%,d frames earlier than the frame before them; first: frame %,d",
                    summary.timestampsBackwards(), summary.firstBackwardsFrame()));
        }
        line(out, "bytes", String.format("%,d captured of %,d on the wire", summary.capturedBytes(),
                summary.wireBytes()));
        line(out, "checksums", summary.checksums().name().toLowerCase(java.util.Locale.ROOT));
        for (var warning : summary.warnings()) {
            line(out, "warning", warning.toString());
        }
        out.flush();
    }

    private static void line(PrintWriter out, String label, String text) {
        out.printf("%-13s%s%n", label, text);
    }
}
