package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import java.io.StringReader;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** {@code tcpstate check}: exit codes and stderr lines on the samples, rules files, JUnit XML and SARIF. */
class CheckCommandTest {

    @TempDir
    Path dir;


    private static String sample(String name) {
        return Environment.samples().resolve(name).toString();
    }

    private static final String[] STRICT = {"--max-handshake-failures", "0", "--max-half-open", "0",
        "--max-time-wait", "1000", "--fail-on-flood"};

    private static Result strict(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(List.of(STRICT));
        args.addAll(List.of(more));
        args.add(sample(name));
        return run(args.toArray(String[]::new));
    }

    @Test
    void theCleanCapturePasses() {
        Result result = strict("client-close.pcap");
        assertThat(result.code()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("check passed: 5 rules").doesNotContain("FAIL");
    }

    @Test
    void eachBadCaptureFailsWithTheRightRuleOnStderr() {
        Result flood = strict("syn-flood.pcap");
        assertThat(flood.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(flood.err().lines()).contains(
                "tcpstate: check failed: fail-on-flood: 1 SYN flood (10.200.0.2:8080) (expected: no SYN flood)");
        assertThat(flood.err().lines()).allMatch(line -> line.startsWith("tcpstate: check failed: "));

        Result halfOpen = strict("half-open.pcap");
        assertThat(halfOpen.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(halfOpen.err().lines()).containsExactly("tcpstate: check failed: max-half-open: "
                + "1 half-open connection (expected: at most 0 half-open connections)");

        Result timeWait = strict("time-wait-burst.pcap");
        assertThat(timeWait.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(timeWait.err().lines()).containsExactly("tcpstate: check failed: max-time-wait: peak 2000 at "
                + "10.200.0.1 (expected: at most 1000 endpoints of one host in TIME-WAIT)");

        Result refused = strict("refused.pcap");
        assertThat(refused.err().lines()).singleElement().asString().contains("max-handshake-failures: 1 failed handshake");
    }

    @Test
    void failOnAndAllowDecideWhichFindingsFail() {
        // the abort is a note: it fails only from --fail-on note, unless allowed
        assertThat(run("check", sample("server-abort.pcap")).code()).isEqualTo(ExitCodes.OK);
        Result notes = run("check", "--fail-on", "note", sample("server-abort.pcap"));
        assertThat(notes.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(notes.err()).contains("fail-on: 1 finding: TS204 10.200.0.2:8080");
        assertThat(run("check", "--fail-on", "note", "--allow", "TS204", sample("server-abort.pcap")).code())
                .isEqualTo(ExitCodes.OK);
        assertThat(run("check", "--fail-on", "note", "--allow", "connection-reset", sample("server-abort.pcap")).code())
                .isEqualTo(ExitCodes.OK);
        assertThat(run("check", "--fail-on", "none", sample("syn-flood.pcap")).code()).isEqualTo(ExitCodes.OK);
        Result unknown = run("check", "--allow", "TS999", sample("refused.pcap"));
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("allow TS999 (expected: a finding id or name");
    }

    @Test
    void rulesComeFromAFileAndOptionsWin() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.conf"), String.join("\n",
                "# tcpstate rules for the test", "max-half-open = 0", "max-time-wait = 5000  # generous",
                "fail-on-flood = true", "fail-on = warning", "allow = TS204, TS402", ""));
        Result half = run("check", "--rules", rules.toString(), sample("half-open.pcap"));
        assertThat(half.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(half.out()).contains("FAIL  max-half-open").contains("FAIL  fail-on: 1 finding: TS201")
                .contains("pass  fail-on-flood");
        Result overridden = run("check", "--rules", rules.toString(), "--max-half-open", "1", "--fail-on", "error",
                sample("half-open.pcap"));
        assertThat(overridden.code()).isEqualTo(ExitCodes.OK);

        Path broken = Files.writeString(dir.resolve("broken.conf"), "max-half-open = 0\nmax-halfopen = 3\n");
        Result bad = run("check", "--rules", broken.toString(), sample("half-open.pcap"));
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains(broken + ": line 2: unknown rule 'max-halfopen'");
        Result missing = run("check", "--rules", dir.resolve("nope.conf").toString(), sample("half-open.pcap"));
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void junitXmlHasTheCommonSchemaShapeWithOneTestcasePerRule() throws Exception {
        Result result = strict("syn-flood.pcap", "--format", "junit");
        assertThat(result.code()).isEqualTo(ExitCodes.FINDINGS);
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/schemas/junit.xsd"));
        schema.newValidator().validate(new StreamSource(new StringReader(result.out())));

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(result.out())));
        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        NodeList cases = xml.getElementsByTagName("testcase");
        NodeList failures = xml.getElementsByTagName("failure");
        assertThat(cases.getLength()).isEqualTo(5).isEqualTo(Integer.parseInt(suite.getAttribute("tests")));
        assertThat(failures.getLength()).isEqualTo(3).isEqualTo(Integer.parseInt(suite.getAttribute("failures")));
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < failures.getLength(); i++) {
            Element failure = (Element) failures.item(i);
            failed.add(((Element) failure.getParentNode()).getAttribute("name"));
            assertThat(failure.getTextContent()).as("evidence").contains("TS301 syn-flood 10.200.0.2:8080")
                    .contains("docs/findings.md#ts301-syn-flood");
        }
        assertThat(failed).containsExactly("max-handshake-failures", "fail-on-flood", "fail-on");
        assertThat(((Element) failures.item(1)).getAttribute("type")).isEqualTo("TS301");
    }

    @Test
    void sarifHasSarif210sRequiredFieldsAndFindingIdsAsRuleIds() throws Exception {
        Result result = run("check", "--fail-on", "warning", "--allow", "TS204", "--format", "sarif",
                sample("syn-flood.pcap"), sample("server-abort.pcap"));
        assertThat(result.code()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode log = sarif(result.out());
        // sarifLog: version and runs are required; run: tool; tool: driver; toolComponent: name
        assertThat(log.path("version").asText()).isEqualTo("2.1.0");
        assertThat(log.path("$schema").asText()).contains("sarif-2.1.0");
        assertThat(log.path("runs").isArray()).isTrue();
        JsonNode run = log.path("runs").get(0);
        JsonNode driver = run.path("tool").path("driver");
        assertThat(driver.path("name").asText()).isEqualTo("tcpstate");
        // reportingDescriptor: id required; the rules are the finding types
        Set<String> ruleIds = new HashSet<>();
        driver.path("rules").forEach(rule -> ruleIds.add(rule.path("id").asText()));
        assertThat(ruleIds).hasSize(FindingType.values().length).contains("TS101", "TS301", "TS403");
        // result: message (with text) required; ruleId must name a rule; level from SARIF's enum
        JsonNode results = run.path("results");
        assertThat(results.size()).isEqualTo(2);
        for (JsonNode finding : results) {
            assertThat(finding.path("message").path("text").asText()).isNotBlank();
            assertThat(ruleIds).contains(finding.path("ruleId").asText());
            assertThat(driver.path("rules").get(finding.path("ruleIndex").asInt()).path("id").asText())
                    .isEqualTo(finding.path("ruleId").asText());
            assertThat(finding.path("level").asText()).isIn("none", "note", "warning", "error");
            assertThat(finding.path("locations").get(0).path("physicalLocation").path("artifactLocation")
                    .path("uri").asText()).isNotBlank();
        }
        JsonNode flood = results.get(0);
        assertThat(flood.path("ruleId").asText()).isEqualTo("TS301");
        assertThat(flood.path("level").asText()).isEqualTo("error");
        JsonNode reset = results.get(1);
        assertThat(reset.path("ruleId").asText()).isEqualTo("TS204");
        assertThat(reset.path("suppressions").get(0).path("kind").asText()).isEqualTo("external");
    }

    /** A pcap whose first record claims 9000 bytes under a 1500-byte snaplen: corrupt at offset 32 (its length field). */
    private Path corrupt() {
        return CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 1500, 1).recordHeader(1, 0, 9000, 9000)
                .bytes(new byte[100]).writeTo(dir.resolve("corrupt.pcap"));
    }

    private static Document xml(String text) throws Exception {
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(CheckCommandTest.class.getResource("/schemas/junit.xsd"));
        schema.newValidator().validate(new StreamSource(new StringReader(text)));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(text)));
    }

    /** The SARIF log, after checking it against the official SARIF 2.1.0 schema (src/test/resources/schemas). */
    private static JsonNode sarif(String text) throws Exception {
        JsonNode log = new ObjectMapper().readTree(text);
        try (var in = CheckCommandTest.class.getResourceAsStream("/schemas/sarif-schema-2.1.0.json")) {
            var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                    .getSchema(new ObjectMapper().readTree(in));
            assertThat(schema.validate(log)).as("SARIF 2.1.0 schema violations").isEmpty();
        }
        return log;
    }

    @Test
    void aCorruptCaptureIsAJunitErrorNamingItAndTheReason() throws Exception {
        Path corrupt = corrupt();
        Result result = strict("client-close.pcap", "--format", "junit", corrupt.toString());
        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        Document xml = xml(result.out());
        Element suites = (Element) xml.getElementsByTagName("testsuites").item(0);
        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suites.getAttribute("errors")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getAttribute("tests")).isEqualTo("6");
        NodeList errors = xml.getElementsByTagName("error");
        assertThat(errors.getLength()).isEqualTo(1);
        Element error = (Element) errors.item(0);
        assertThat(((Element) error.getParentNode()).getAttribute("name")).isEqualTo(corrupt.toString());
        assertThat(error.getAttribute("type")).isEqualTo("corrupt-capture");
        assertThat(error.getAttribute("message")).startsWith(corrupt + ": offset 32: record length: 9000 bytes");
        assertThat(result.err()).contains(corrupt + ": offset 32: record length: 9000 bytes");
    }

    @Test
    void anUnreadableCaptureIsAJunitErrorAndNoRunWithOneIsGreen() throws Exception {
        Path missing = dir.resolve("absent.pcap");
        Result result = strict("client-close.pcap", "--format", "junit", missing.toString());
        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        Document xml = xml(result.out());
        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        Element error = (Element) xml.getElementsByTagName("error").item(0);
        assertThat(((Element) error.getParentNode()).getAttribute("name")).isEqualTo(missing.toString());
        assertThat(error.getAttribute("message")).isEqualTo(missing + ": no such file");
        assertThat(error.getAttribute("type")).isEqualTo("unreadable-capture");

        // not a capture at all, alone: nothing analysed, still an error in the report
        Path text = Files.writeString(dir.resolve("notes.pcap"), "not a capture at all");
        Document notCapture = xml(run("check", "--format", "junit", text.toString()).out());
        assertThat(((Element) notCapture.getElementsByTagName("testsuites").item(0)).getAttribute("errors"))
                .isEqualTo("1");
        assertThat(((Element) notCapture.getElementsByTagName("error").item(0)).getAttribute("message"))
                .startsWith(text + ": offset 0: magic: ");

        Result plain = run("check", sample("client-close.pcap"), corrupt().toString());
        assertThat(plain.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(plain.out()).contains("ERROR " + dir.resolve("corrupt.pcap") + ": offset 32")
                .contains("check failed: 1 capture not read whole").doesNotContain("check passed");
    }

    @Test
    void aTruncatedLastRecordIsAWarningInJunitAndSarifNotAFailure() throws Exception {
        byte[] whole = Files.readAllBytes(Environment.samples().resolve("client-close.pcap"));
        Path cut = Files.write(dir.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length - 10));
        Result junit = run("check", "--format", "junit", cut.toString());
        assertThat(junit.code()).isEqualTo(ExitCodes.OK);
        Document xml = xml(junit.out());
        assertThat(xml.getElementsByTagName("system-err").item(0).getTextContent())
                .startsWith("warning: " + cut + ": offset ").contains("truncated last record");

        JsonNode run = sarif(run("check", "--format", "sarif", cut.toString()).out()).path("runs").get(0);
        JsonNode invocation = run.path("invocations").get(0);
        assertThat(invocation.path("executionSuccessful").asBoolean()).isTrue();
        assertThat(invocation.path("toolExecutionNotifications").get(0).path("level").asText()).isEqualTo("warning");
    }

    @Test
    void sarifSaysWhichCaptureEachFindingCameFromWithALineAndAFingerprint() throws Exception {
        Result result = run("check", "--fail-on", "warning", "--allow", "TS204", "--format", "sarif",
                sample("server-abort.pcap"), sample("syn-flood.pcap"));
        JsonNode run = sarif(result.out()).path("runs").get(0);
        JsonNode artifacts = run.path("artifacts");
        assertThat(artifacts.size()).isEqualTo(2);
        assertThat(artifacts.get(0).path("location").path("uri").asText()).endsWith("server-abort.pcap");
        assertThat(artifacts.get(1).path("location").path("uri").asText()).endsWith("syn-flood.pcap");
        List<String> fingerprints = new ArrayList<>();
        for (JsonNode finding : run.path("results")) {
            JsonNode location = finding.path("locations").get(0).path("physicalLocation");
            String expected = finding.path("ruleId").asText().equals("TS301") ? "syn-flood.pcap" : "server-abort.pcap";
            assertThat(location.path("artifactLocation").path("uri").asText()).as(finding.path("ruleId").asText())
                    .endsWith(expected);
            int index = location.path("artifactLocation").path("index").asInt();
            assertThat(artifacts.get(index).path("location").path("uri").asText()).endsWith(expected);
            assertThat(location.path("region").path("startLine").asInt()).isEqualTo(1);
            fingerprints.add(finding.path("partialFingerprints").path("tcpstateFinding/v1").asText());
        }
        assertThat(fingerprints).hasSize(2).doesNotHaveDuplicates().allMatch(f -> f.matches("[0-9a-f]{64}"));
        // the same finding in the same capture keeps its fingerprint: an absolute path, the other order
        Result again = run("check", "--format", "sarif", Environment.samples().resolve("syn-flood.pcap")
                .toAbsolutePath().toString(), sample("server-abort.pcap"));
        JsonNode flood = new ObjectMapper().readTree(again.out()).path("runs").get(0).path("results").get(0);
        assertThat(flood.path("ruleId").asText()).isEqualTo("TS301");
        assertThat(flood.path("locations").get(0).path("physicalLocation").path("artifactLocation").path("index")
                .asInt()).isZero();
        assertThat(fingerprints).contains(flood.path("partialFingerprints").path("tcpstateFinding/v1").asText());
    }

    @Test
    void sarifOfACorruptCaptureIsAnUnsuccessfulInvocationWithTheCaptureAsLocation() throws Exception {
        Path corrupt = corrupt();
        Result result = run("check", "--format", "sarif", sample("syn-flood.pcap"), corrupt.toString());
        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        JsonNode run = sarif(result.out()).path("runs").get(0);
        JsonNode invocation = run.path("invocations").get(0);
        assertThat(invocation.path("executionSuccessful").asBoolean()).isFalse();
        JsonNode notification = invocation.path("toolExecutionNotifications").get(0);
        assertThat(notification.path("level").asText()).isEqualTo("error");
        assertThat(notification.path("message").path("text").asText())
                .startsWith(corrupt + ": offset 32: record length: 9000 bytes");
        JsonNode location = notification.path("locations").get(0).path("physicalLocation").path("artifactLocation");
        assertThat(location.path("uri").asText()).isEqualTo(corrupt.toUri().toString());
        assertThat(location.path("index").asInt()).isEqualTo(1);
        // the other capture's findings are still reported, at that capture
        assertThat(run.path("results").get(0).path("locations").get(0).path("physicalLocation")
                .path("artifactLocation").path("uri").asText()).endsWith("syn-flood.pcap");

        Result missing = run("check", "--format", "sarif", dir.resolve("absent.pcap").toString());
        JsonNode unread = sarif(missing.out()).path("runs").get(0).path("invocations").get(0);
        assertThat(unread.path("executionSuccessful").asBoolean()).isFalse();
        assertThat(unread.path("toolExecutionNotifications").get(0).path("message").path("text").asText())
                .isEqualTo(dir.resolve("absent.pcap") + ": no such file");
    }

    @Test
    void theSchemaCheckRejectsWhatSarifForbids() throws Exception {
        String valid = run("check", "--format", "sarif", sample("server-abort.pcap")).out();
        sarif(valid);
        // region lines start at 1; a result needs a message
        for (String broken : List.of(valid.replace("\"startLine\":1", "\"startLine\":0"),
                valid.replace("\"message\":{\"text\"", "\"note\":{\"text\""))) {
            assertThat(broken).isNotEqualTo(valid);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sarif(broken)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("schema violations");
        }
    }

    @Test
    void aCleanRunIsValidSarifAndSuccessful() throws Exception {
        JsonNode run = sarif(run("check", "--format", "sarif", sample("client-close.pcap")).out()).path("runs").get(0);
        assertThat(run.path("invocations").get(0).path("executionSuccessful").asBoolean()).isTrue();
        assertThat(run.path("invocations").get(0).has("toolExecutionNotifications")).isFalse();
    }
}
