package dev.tcpstate.report;

import dev.tcpstate.analysis.CheckResult;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code check --format sarif}: SARIF 2.1.0. The rules are tcpstate's finding types (rule id =
 * finding id), each result a finding at the severity's level; findings that {@code --allow}
 * lets pass carry an external suppression. Each result points at the capture file(s) and names
 * its subject as a logical location.
 */
public final class SarifRenderer {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private SarifRenderer() {
    }

    public static void render(CheckResult result, Set<FindingType> allowed, String version, PrintWriter out) {
        JsonWriter json = new JsonWriter(out).beginObject();
        json.field("$schema", SCHEMA).field("version", "2.1.0");
        json.name("runs").beginArray().beginObject();
        json.name("tool").beginObject().name("driver").beginObject().field("name", "tcpstate")
                .field("version", version);
        json.name("rules").beginArray();
        for (FindingType type : FindingType.values()) {
            json.beginObject().field("id", type.id()).field("name", type.title())
                    .name("shortDescription").beginObject().field("text", type.title()).endObject()
                    .name("fullDescription").beginObject().field("text", type.advice()).endObject()
                    .name("help").beginObject().field("text", type.advice() + " See " + type.documentation())
                    .endObject().endObject();
        }
        json.endArray().endObject().endObject();
        json.name("artifacts").beginArray();
        for (String capture : result.captures()) {
            json.beginObject().name("location").beginObject().field("uri", uri(capture)).endObject().endObject();
        }
        json.endArray();
        json.name("results").beginArray();
        Set<FindingType> seen = new HashSet<>();
        for (Finding finding : result.analysis().findings()) {
            seen.add(finding.type());
            json.beginObject().field("ruleId", finding.type().id()).field("ruleIndex", finding.type().ordinal())
                    .field("level", level(finding)).name("message").beginObject()
                    .field("text", finding.message()).endObject();
            json.name("locations").beginArray().beginObject();
            if (!result.captures().isEmpty()) {
                json.name("physicalLocation").beginObject().name("artifactLocation").beginObject()
                        .field("uri", uri(result.captures().get(0))).field("index", 0).endObject().endObject();
            }
            json.name("logicalLocations").beginArray().beginObject().field("name", finding.subject())
                    .field("kind", finding.subject().contains(":") ? "service" : "host").endObject().endArray();
            json.endObject().endArray();
            json.name("properties").beginObject().field("severity", finding.severity().label())
                    .name("start").number(Times.epochSeconds(finding.startNanos()))
                    .name("end").number(Times.epochSeconds(finding.endNanos()));
            json.name("evidence").beginArray();
            finding.evidence().forEach(e -> json.value(e.uid() + " " + e.connection() + " " + e.outcome()));
            json.endArray().endObject();
            if (allowed.contains(finding.type())) {
                json.name("suppressions").beginArray().beginObject().field("kind", "external")
                        .field("justification", "allowed by --allow " + finding.type().id()).endObject().endArray();
            }
            json.endObject();
        }
        json.endArray();
        json.name("invocations").beginArray().beginObject()
                .name("executionSuccessful").value(true).endObject().endArray();
        json.endObject().endArray().endObject();
        out.println();
        out.flush();
    }

    private static String level(Finding finding) {
        return switch (finding.severity()) {
            case NOTE -> "note";
            case WARNING -> "warning";
            case ERROR -> "error";
        };
    }

    /** A capture's name as a URI reference: relative paths stay relative, "-" is stdin. */
    private static String uri(String capture) {
        if (capture.equals("-")) {
            return "stdin";
        }
        Path path = Path.of(capture);
        return path.isAbsolute() ? path.toUri().toString() : capture.replace('\\', '/');
    }
}
