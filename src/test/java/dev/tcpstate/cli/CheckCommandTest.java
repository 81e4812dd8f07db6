package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import java.io.StringReader;
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
        JsonNode log = new ObjectMapper().readTree(result.out());
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
}
