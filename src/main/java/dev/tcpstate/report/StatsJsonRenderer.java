package dev.tcpstate.report;

import dev.tcpstate.analysis.CaptureSummary;
import dev.tcpstate.capture.LinkType;
import dev.tcpstate.decode.DecodeResult;
import java.io.PrintWriter;
import java.util.Map;

/** {@code tcpstate stats --format json}: one JSON object, keys in snake_case, times in epoch seconds. */
public final class StatsJsonRenderer {
    private StatsJsonRenderer() {
    }

    public static void render(CaptureSummary summary, PrintWriter out) {
        write(summary, new JsonWriter(out));
        out.println();
        out.flush();
    }

    /** The summary as one JSON object, for embedding in a larger document. */
    public static void write(CaptureSummary summary, JsonWriter json) {
        json.beginObject();
        json.name("sources").beginArray();
        for (CaptureSummary.SourceSummary source : summary.sources()) {
            json.beginObject().field("name", source.name()).field("format", source.format())
                    .field("details", source.details()).field("frames", source.frames()).endObject();
        }
        json.endArray();
        json.field("frames", summary.frames()).field("tcp_segments", summary.tcpSegments())
                .field("ipv4_segments", summary.ipv4Segments()).field("ipv6_segments", summary.ipv6Segments())
                .field("skipped_total", summary.skippedTotal());
        json.name("skipped").beginObject();
        for (Map.Entry<DecodeResult, Long> skipped : summary.skipped().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            json.field(skipped.getKey().label(), skipped.getValue());
        }
        json.endObject();
        json.name("skipped_first_frame").beginObject();
        for (Map.Entry<DecodeResult, Long> first : summary.firstSkipped().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            json.field(first.getKey().label(), first.getValue());
        }
        json.endObject();
        json.name("link_types").beginArray();
        for (Map.Entry<Integer, Long> type : summary.linkTypes().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            json.beginObject().field("linktype", type.getKey()).field("name", LinkType.describe(type.getKey()))
                    .field("frames", type.getValue()).endObject();
        }
        json.endArray();
        summary.timeSpan().ifPresent(span -> json.name("first_ts").number(Times.epochSeconds(span.firstNanos()))
                .name("last_ts").number(Times.epochSeconds(span.lastNanos()))
                .name("duration").number(Times.seconds(span.durationNanos())));
        json.field("timestamps_backwards", summary.timestampsBackwards())
                .field("captured_bytes", summary.capturedBytes()).field("wire_bytes", summary.wireBytes())
                .field("checksums", summary.checksums().name().toLowerCase(java.util.Locale.ROOT));
        json.name("warnings").beginArray();
        summary.warnings().forEach(warning -> json.value(warning.toString()));
        json.endArray().endObject();
    }
}
