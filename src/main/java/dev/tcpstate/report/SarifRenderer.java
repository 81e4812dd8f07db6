package dev.tcpstate.report;

import dev.tcpstate.analysis.CheckResult;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * {@code check --format sarif}: SARIF 2.1.0. The rules are tcpstate's finding types (rule id =
 * finding id), each result a finding at the severity's level; findings that {@code --allow}
 * lets pass carry an external suppression. Each result points at the capture it came from, at
 * line 1 (a capture has no lines, but GitHub code scanning drops results without one), with a
 * fingerprint that stays the same across runs, and names its subject as a logical location.
 * Captures that could not be read whole make the invocation unsuccessful, with a notification each.
 */
public final class SarifRenderer {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    /** The partialFingerprints key: versioned, so a change of what is hashed is a new key. */
    public static final String FINGERPRINT = "tcpstateFinding/v1";

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
            json.beginObject().name("location").beginObject().field("uri", uri(capture)).endObject()
                    .name("roles").beginArray().value("analysisTarget").endArray().endObject();
        }
        json.endArray();
        json.name("results").beginArray();
        for (CheckResult.Located located : result.findings()) {
            Finding finding = located.finding();
            json.beginObject().field("ruleId", finding.type().id()).field("ruleIndex", finding.type().ordinal())
                    .field("level", level(finding)).name("message").beginObject()
                    .field("text", finding.message()).endObject();
            json.name("locations").beginArray().beginObject();
            json.name("physicalLocation").beginObject();
            artifact(json, result, located.capture());
            // line 1: the capture as a whole; a binary file has no lines, code scanning needs one
            json.name("region").beginObject().field("startLine", 1).endObject();
            json.endObject();
            json.name("logicalLocations").beginArray().beginObject().field("name", finding.subject())
                    .field("kind", finding.subject().contains(":") ? "service" : "host").endObject().endArray();
            json.endObject().endArray();
            json.name("partialFingerprints").beginObject()
                    .field(FINGERPRINT, fingerprint(finding.type().id(), finding.subject(), located.capture()))
                    .endObject();
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
                .name("executionSuccessful").value(result.inputErrors().isEmpty());
        if (!result.inputErrors().isEmpty() || !result.warnings().isEmpty()) {
            json.name("toolExecutionNotifications").beginArray();
            result.inputErrors().forEach(error -> notification(json, result, "error", error.message(), error.capture()));
            result.warnings().forEach(warning -> notification(json, result, "warning", warning.message(),
                    warning.capture()));
            json.endArray();
        }
        json.endObject().endArray();
        json.endObject().endArray().endObject();
        out.println();
        out.flush();
    }

    private static void notification(JsonWriter json, CheckResult result, String level, String message, String capture) {
        json.beginObject().field("level", level).name("message").beginObject().field("text", message).endObject();
        json.name("locations").beginArray().beginObject().name("physicalLocation").beginObject();
        artifact(json, result, capture);
        json.endObject().endObject().endArray().endObject();
    }

    /** The artifactLocation of a capture: its URI, and its index in {@code artifacts} when it is one of them. */
    private static void artifact(JsonWriter json, CheckResult result, String capture) {
        json.name("artifactLocation").beginObject().field("uri", uri(capture));
        int index = result.captures().indexOf(capture);
        if (index >= 0) {
            json.field("index", index);
        }
        json.endObject();
    }

    /**
     * SHA-256 of the rule id, the subject and the capture's file name: the same finding in the
     * next run's capture of the same name is the same alert. The file name, not the path, so
     * that a checkout elsewhere or an absolute path does not make every alert new.
     */
    static String fingerprint(String ruleId, String subject, String capture) {
        Path name = capture.equals("-") ? null : Path.of(capture).getFileName();
        String key = ruleId + "\n" + subject + "\n" + (name == null ? "stdin" : name.toString());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
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
        if (path.isAbsolute()) {
            return path.toUri().toString();
        }
        try {
            // percent-encoded: a space or '#' in a file name is not allowed in a URI reference
            String relative = new java.net.URI(null, null, capture.replace('\\', '/'), null).getRawPath();
            // a colon before the first slash would read as a scheme
            return relative.substring(0, Math.max(0, relative.indexOf('/') < 0 ? relative.length()
                    : relative.indexOf('/'))).contains(":") ? "./" + relative : relative;
        } catch (java.net.URISyntaxException e) {
            return capture;
        }
    }
}
