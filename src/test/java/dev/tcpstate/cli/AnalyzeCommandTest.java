package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tcpstate analyze} on the recorded samples: the findings match what each scenario staged
 * and what the kernels counted (samples/NAME.ss.txt), counted independently of the analyzer.
 */
class AnalyzeCommandTest {


    /** The findings of {@code analyze --format json}, one JSON object text each. */
    private static List<String> findings(String capture) {
        Result result = run("analyze", "--format", "json", capture);
        assertThat(result.code()).as(result.err()).isZero();
        String json = result.out();
        int start = json.lastIndexOf("\"findings\":[") + "\"findings\":[".length();
        List<String> findings = new ArrayList<>();
        int depth = 0;
        int from = -1;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                i = json.indexOf('"', i + 1);
                while (json.charAt(i - 1) == '\\') {
                    i = json.indexOf('"', i + 1);
                }
            } else if (c == '{' && depth++ == 0) {
                from = i;
            } else if (c == '}' && --depth == 0) {
                findings.add(json.substring(from, i + 1));
            } else if (c == ']' && depth == 0) {
                break;
            }
        }
        return findings;
    }

    private static String sample(String name) {
        return Environment.samples().resolve(name).toString();
    }

    private static String field(String object, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(\"[^\"]*\"|[^,}]*)").matcher(object);
        assertThat(matcher.find()).as("%s in %s", key, object).isTrue();
        return matcher.group(1).replace("\"", "");
    }

    private static List<String> withId(List<String> findings, String id) {
        return findings.stream().filter(f -> field(f, "id").equals(id)).toList();
    }

    private static long kernel(String scenario, String role, String state) throws IOException {
        return Files.readAllLines(Environment.samples().resolve(scenario + ".ss.txt")).stream()
                .filter(line -> line.startsWith(role + " " + state + " "))
                .mapToLong(line -> Long.parseLong(line.split(" ")[2])).sum();
    }

    /** Segments of a sample that pass {@code test}, counted by the decoder alone. */
    private static long segments(String name, Predicate<TcpSegment> test) throws IOException {
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        long count = 0;
        try (PacketSource source = CaptureFiles.open(sample(name))) {
            while (source.next(frame)) {
                if (decoder.decode(frame, segment) == DecodeResult.TCP && test.test(segment)) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The most segments of a sample passing {@code test} in one second, in one-second buckets from
     * its first frame, counted by the decoder alone.
     */
    private static long peakPerSecond(String name, Predicate<TcpSegment> test) throws IOException {
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        java.util.Map<Long, Long> seconds = new java.util.HashMap<>();
        long first = Long.MIN_VALUE;
        try (PacketSource source = CaptureFiles.open(sample(name))) {
            while (source.next(frame)) {
                first = first == Long.MIN_VALUE ? frame.timestampNanos() : first;
                if (decoder.decode(frame, segment) == DecodeResult.TCP && test.test(segment)) {
                    seconds.merge(Math.floorDiv(frame.timestampNanos() - first, 1_000_000_000L), 1L, Long::sum);
                }
            }
        }
        return seconds.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static boolean pureSyn(TcpSegment segment) {
        return (segment.flags() & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN;
    }

    @Test
    void theSynFloodRaisesExactlyOneFloodNamingTheServiceWithItsSynCount() throws IOException {
        List<String> findings = findings(sample("syn-flood.pcap"));
        List<String> floods = findings.stream().filter(f -> field(f, "id").startsWith("TS30")).toList();
        assertThat(floods).singleElement().satisfies(flood -> {
            assertThat(field(flood, "id")).isEqualTo("TS301");
            assertThat(field(flood, "severity")).isEqualTo("error");
            assertThat(field(flood, "subject")).isEqualTo("10.200.0.2:8080");
            assertThat(Long.parseLong(field(flood, "syns"))).isEqualTo(segments("syn-flood.pcap",
                    s -> pureSyn(s) && s.destinationPort() == 8080));
            assertThat(Long.parseLong(field(flood, "half_open"))).isEqualTo(segments("syn-flood.pcap",
                    s -> pureSyn(s) && s.sourceAddress().startsWith("10.201.")));
            assertThat(Long.parseLong(field(flood, "completed"))).isEqualTo(kernel("syn-flood", "client", "TIME-WAIT"));
            // the spoofed SYNs (sent once each) of the busiest second from the first frame: 400
            long peak = peakPerSecond("syn-flood.pcap", s -> pureSyn(s) && s.sourceAddress().startsWith("10.201."));
            assertThat(peak).isEqualTo(400);
            assertThat(Long.parseLong(field(flood, "peak_half_open_per_second"))).isEqualTo(peak);
        });
        String report = run("analyze", "--format", "json", sample("syn-flood.pcap")).out();
        assertThat(report).contains("\"peak_attempts_per_second\":405,\"peak_half_open_per_second\":400}");
    }

    static Stream<String> everyOtherSample() throws IOException {
        return Environment.sampleCaptures().stream().map(path -> path.getFileName().toString())
                .filter(name -> !name.startsWith("syn-flood"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOtherSample")
    void noOtherSampleRaisesAFlood(String name) {
        assertThat(findings(sample(name))).extracting(f -> field(f, "id")).doesNotContain("TS301", "TS302", "TS303");
    }

    @Test
    void noZeekCorpusTraceRaisesAFlood() throws IOException {
        Path corpus = Path.of("../shared/corpus/zeek/traces");
        Assumptions.assumeTrue(Files.isDirectory(corpus), "the Zeek corpus is not beside this checkout");
        List<Path> traces;
        try (Stream<Path> files = Files.walk(corpus)) {
            traces = files.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).toList();
        }
        assertThat(traces).hasSizeGreaterThan(10);
        for (Path trace : traces) {
            assertThat(findings(trace.toString())).as(trace.toString()).extracting(f -> field(f, "id"))
                    .doesNotContain("TS301", "TS302", "TS303");
        }
    }

    @Test
    void theTimeWaitBurstPeaksAndEndsAtTheKernelsCount() throws IOException {
        long kernel = kernel("time-wait-burst", "client", "TIME-WAIT");
        assertThat(withId(findings(sample("time-wait-burst.pcap")), "TS401")).singleElement().satisfies(f -> {
            assertThat(field(f, "subject")).isEqualTo("10.200.0.1");
            assertThat(Long.parseLong(field(f, "peak"))).isEqualTo(kernel);
            assertThat(Long.parseLong(field(f, "at_end"))).isEqualTo(kernel);
            assertThat(Long.parseLong(field(f, "closed_first_as_client"))).isEqualTo(kernel);
        });
    }

    @Test
    void failedHandshakesAndBrokenConnectionsRaiseTheirFindings() throws IOException {
        // firewalled: one attempt; the client kernel's tcp_syn_retries=3 (firewalled-syn.ss.txt)
        assertThat(findings(sample("firewalled-syn.pcap"))).singleElement().satisfies(f -> {
            assertThat(field(f, "id")).isEqualTo("TS101");
            assertThat(field(f, "failures")).isEqualTo("1");
            assertThat(Long.parseLong(field(f, "syn_retries"))).isEqualTo(segments("firewalled-syn.pcap",
                    AnalyzeCommandTest::pureSyn) - 1);
        });
        assertThat(findings(sample("refused.pcap"))).singleElement().satisfies(f -> {
            assertThat(field(f, "id")).isEqualTo("TS102");
            assertThat(field(f, "subject")).isEqualTo("10.200.0.2:8081");
            assertThat(field(f, "failures")).isEqualTo("1");
        });
        assertThat(findings(sample("server-abort.pcap"))).singleElement().satisfies(f -> {
            assertThat(field(f, "id")).isEqualTo("TS204");
            assertThat(field(f, "reset_by_server")).isEqualTo("1");
        });
        assertThat(findings(sample("half-open.pcap"))).singleElement().satisfies(f -> {
            assertThat(field(f, "id")).isEqualTo("TS201");
            assertThat(field(f, "connections")).isEqualTo("1");
            assertThat(field(f, "reset_by_server")).isEqualTo("1");
            if (Environment.tsharkAvailable()) {
                long tshark = Environment.run("tshark", "-r", sample("half-open.pcap"), "-Y",
                        "tcp.analysis.retransmission").lines().count();
                assertThat(Long.parseLong(field(f, "retransmits"))).as("tshark's count").isEqualTo(tshark);
            }
        });
    }

    @Test
    void cleanCapturesHaveNoFindings() {
        for (String name : List.of("client-close.pcap", "server-close.pcap", "ipv6-client-close.pcap",
                "multi-if.pcapng", "client-close-sll2.pcap")) {
            assertThat(findings(sample(name))).as(name).isEmpty();
        }
    }

    @Test
    void theTextReportShowsSummaryFindingsAdviceAndTimeline() {
        Result result = run("analyze", "--width", "80", "--charts", "ascii", sample("syn-flood.pcap"));
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("connections  2,020: 2,000 no-final-ack, 20 complete")
                .contains("ERROR    TS301 syn-flood  10.200.0.2:8080").contains("advice:")
                .contains("see:      docs/findings.md#ts301-syn-flood").contains("attempts/s").contains("half-open")
                .contains("TIME-WAIT");
        // one peak everywhere: 400 half-open attempts in the busiest second from the first packet
        assertThat(result.out()).contains("2,000 half-open attempts, peak 400\n  half-open attempts/s)")
                .containsPattern("attempts/s +[@#*+=:.\\- ]+ peak 405\n")
                .contains("peaks        in one second: 405 attempts, 400 half-open attempts");
        assertThat(result.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        assertThat(result.out()).doesNotContain("█");
        Result help = run("analyze", "--help");
        for (String option : List.of("--min-failures", "--failure-error-ratio", "--failure-error-min", "--half-open-min",
                "--flood-window", "--flood-rate", "--flood-completion", "--flood-min", "--cusum-interval",
                "--cusum-offset", "--cusum-threshold", "--backscatter-hosts", "--time-wait-min", "--time-wait-warn",
                "--ephemeral-ports", "--port-share-warn", "--port-share-error", "--msl")) {
            assertThat(help.out()).contains(option);
        }
        assertThat(run("analyze", "--flood-completion", "2", sample("refused.pcap")).code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("analyze", "--ephemeral-ports", "9-3", sample("refused.pcap")).err())
                .contains("--ephemeral-ports 9-3 (expected: LOW-HIGH");
    }

    @Test
    void ndjsonIsALinePerFindingThenASummary() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String sample : List.of("syn-flood.pcap", "time-wait-burst.pcap", "refused.pcap", "client-close.pcap")) {
            String capture = dev.tcpstate.testing.Environment.samples().resolve(sample).toString();
            Result result = run("analyze", "--uid-seed", "1", "--format", "ndjson", capture);
            assertThat(result.code()).as(result.err()).isZero();
            List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
            for (String line : result.out().lines().toList()) {
                lines.add(mapper.readTree(line));
            }
            com.fasterxml.jackson.databind.JsonNode report = mapper.readTree(run("analyze", "--uid-seed", "1", "--format", "json", capture)
                    .out());
            assertThat(lines).as(sample).hasSize(report.path("findings").size() + 1);
            for (int i = 0; i < lines.size() - 1; i++) {
                assertThat(lines.get(i).path("event").asText()).isEqualTo("finding");
                assertThat(lines.get(i).path("finding")).as("finding %d, as the JSON report has it", i)
                        .isEqualTo(report.path("findings").get(i));
            }
            com.fasterxml.jackson.databind.JsonNode summary = lines.get(lines.size() - 1);
            assertThat(summary.path("event").asText()).isEqualTo("summary");
            assertThat(summary.path("summary").path("connections")).isEqualTo(report.path("connections"));
            assertThat(summary.path("summary").path("findings").asInt()).isEqualTo(report.path("findings").size());
            assertThat(summary.path("summary").path("timeline")).isEqualTo(report.path("timeline"));
        }
    }

    @Test
    void docsFindingsExplainsEveryIdAndEveryThreshold() throws IOException {
        String docs = Files.readString(Path.of("docs/findings.md"));
        for (dev.tcpstate.detect.FindingType type : dev.tcpstate.detect.FindingType.values()) {
            String heading = "### " + type.id() + " " + type.title();
            assertThat(docs).as(type.toString()).contains(heading);
            // the anchor the reports point to is the heading's GitHub anchor
            assertThat(type.documentation()).isEqualTo("docs/findings.md#"
                    + heading.substring(4).toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
        }
        String help = run("analyze", "--help").out().replaceAll("\\s+", " ");
        for (java.lang.reflect.Field field : DetectorOptions.class.getDeclaredFields()) {
            picocli.CommandLine.Option option = field.getAnnotation(picocli.CommandLine.Option.class);
            if (option != null) {
                String name = option.names()[0];
                assertThat(help).contains(name).contains("default " + DetectorDefaults.VALUES.get(name));
                assertThat(docs).as("docs/findings.md explains " + name).contains("`" + name);
            }
        }
    }
}
