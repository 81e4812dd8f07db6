package dev.tcpstate.report;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.ConnectionTally;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.Timeline;
import dev.tcpstate.flow.ConnectionRecord;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code tcpstate analyze --format json}: one object with everything the text shows and more:
 * the capture summary, how the connections went (counts; the connections themselves are
 * {@code tcpstate connections}' output), every finding with all its counts and example
 * connections, the timeline, and the thresholds used.
 */
public final class AnalyzeJsonRenderer {
    private AnalyzeJsonRenderer() {
    }

    public static void render(Analysis analysis, PrintWriter out) {
        write(analysis, new JsonWriter(out));
        out.println();
        out.flush();
    }

    /**
     * {@code analyze --format ndjson}: a line per finding, worst first ({@code "event":"finding"}),
     * then one summary line ({@code "event":"summary"}) with everything else the JSON report has.
     * The shape of Zeek's notice.log beside the conn.log that {@code connections} writes.
     */
    public static void ndjson(Analysis analysis, PrintWriter out) {
        for (Finding finding : analysis.findings()) {
            JsonWriter json = new JsonWriter(out).beginObject().field("event", "finding");
            json.name("finding");
            finding(finding, json);
            json.endObject();
            out.println();
        }
        JsonWriter json = new JsonWriter(out).beginObject().field("event", "summary").name("summary").beginObject();
        json.name("capture");
        StatsJsonRenderer.write(analysis.summary(), json);
        connections(analysis, json);
        json.field("findings", analysis.findings().size());
        timeline(analysis.timeline(), json);
        settings(analysis.settings(), json);
        json.endObject().endObject();
        out.println();
        out.flush();
    }

    /** The report as one JSON object, for embedding (the live event stream's final report). */
    public static void write(Analysis analysis, JsonWriter json) {
        json.beginObject();
        json.name("capture");
        StatsJsonRenderer.write(analysis.summary(), json);
        connections(analysis, json);
        json.name("findings").beginArray();
        analysis.findings().forEach(finding -> finding(finding, json));
        json.endArray();
        timeline(analysis.timeline(), json);
        settings(analysis.settings(), json);
        json.endObject();
    }

    private static void connections(Analysis analysis, JsonWriter json) {
        ConnectionTally connections = analysis.connections();
        json.name("connections").beginObject().field("total", connections.total());
        json.name("by_outcome").beginObject();
        connections.byOutcome().forEach(json::field);
        json.endObject().name("by_conn_state").beginObject();
        connections.byConnState().forEach(json::field);
        json.endObject().name("end_states").beginObject().name("originator").beginObject();
        connections.originatorStates().forEach(json::field);
        json.endObject().name("responder").beginObject();
        connections.responderStates().forEach(json::field);
        json.endObject().endObject().field("time_wait_endpoints_at_end", connections.timeWaitEndpointsAtEnd());
        json.name("time_wait_at_end_by_host").beginObject();
        connections.timeWaitAtEnd().forEach(json::field);
        json.endObject()
                .field("evicted_flows", analysis.evictedFlows())
                .field("forgotten_tuples", analysis.forgottenTuples());
        json.endObject();
    }

    /** One finding as a JSON object. */
    public static void finding(Finding finding, JsonWriter json) {
        json.beginObject().field("id", finding.type().id()).field("name", finding.type().title())
                .field("severity", finding.severity().label()).field("subject", finding.subject())
                .name("start").number(Times.epochSeconds(finding.startNanos()))
                .name("end").number(Times.epochSeconds(finding.endNanos()));
        json.name("counts").beginObject();
        finding.counts().forEach((key, value) -> {
            json.name(key);
            number(json, value);
        });
        json.endObject();
        json.name("evidence").beginArray();
        for (Finding.Evidence evidence : finding.evidence()) {
            json.beginObject().field("uid", evidence.uid()).field("connection", evidence.connection())
                    .name("ts").number(Times.epochSeconds(evidence.tsNanos())).field("outcome", evidence.outcome())
                    .endObject();
        }
        json.endArray();
        json.field("message", finding.message()).field("advice", finding.advice())
                .field("documentation", finding.type().documentation()).endObject();
    }

    private static void timeline(Timeline timeline, JsonWriter json) {
        json.name("timeline").beginObject().name("start").number(Times.epochSeconds(timeline.startNanos()))
                .name("bucket_seconds").number(Times.seconds(timeline.bucketNanos()));
        json.name("syns_per_second").beginArray();
        for (double value : timeline.synsPerSecond()) {
            number(json, value);
        }
        json.endArray().name("half_open").beginArray();
        for (long value : timeline.halfOpen()) {
            json.value(value);
        }
        json.endArray().name("time_wait").beginArray();
        for (long value : timeline.timeWait()) {
            json.value(value);
        }
        json.endArray().name("peak_attempts_per_second").value(timeline.peaksPerSecond().attempts())
                .name("peak_half_open_per_second").value(timeline.peaksPerSecond().halfOpenAttempts());
        json.endObject();
    }

    private static void settings(DetectorSettings settings, JsonWriter json) {
        json.name("settings").beginObject();
        for (var component : DetectorSettings.class.getRecordComponents()) {
            try {
                json.name(snake(component.getName()));
                number(json, (Number) component.getAccessor().invoke(settings));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        json.endObject();
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static void number(JsonWriter json, Number value) {
        if (value instanceof Double || value instanceof Float) {
            double d = value.doubleValue();
            json.number(Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : "null");
        } else {
            json.value(value.longValue());
        }
    }
}
