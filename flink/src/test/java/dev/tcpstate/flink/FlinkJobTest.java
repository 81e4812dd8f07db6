package dev.tcpstate.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tcpstate.bench.SyntheticCapture;
import dev.tcpstate.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job on an embedded MiniCluster with parallelism 4 answers as the CLI does on the same
 * files: every sample, and a synthetic capture cut into rotated files. Records are compared
 * field by field but for uids (the job numbers records by file and frame, the CLI by packet),
 * findings by everything but their example connections' uids.
 */
class FlinkJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("..", "samples");

    @TempDir
    Path temp;

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            return files.filter(path -> path.getFileName().toString().matches(".*\\.pcap(ng)?(\\.gz)?")).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleGivesTheCliAnswers(Path sample) throws Exception {
        assertSameAnswers(List.of(sample.toString()));
    }

    @Test
    void rotatedFilesGiveTheCliAnswers() throws Exception {
        assertSameAnswers(rotatedSyntheticCapture());
    }

    /** Given newest first, the files are still read oldest first (SplitsByFirstPacket): no late packets. */
    @Test
    void rotatedFilesGivenNewestFirstGiveTheCliAnswers() throws Exception {
        List<String> parts = new ArrayList<>(rotatedSyntheticCapture());
        java.util.Collections.reverse(parts);
        assertSameAnswers(parts);
    }

    /** Flink's file source leaves out files named "_x" or ".x" unless told otherwise: these are captures too. */
    @Test
    void capturesNamedLikeHiddenFilesAreRead() throws Exception {
        Path hidden = Files.copy(SAMPLES.resolve("refused.pcap"), temp.resolve("_refused.pcap"));
        assertSameAnswers(List.of(hidden.toString()));
    }

    /** A synthetic capture with connections across file boundaries, cut by editcap as a sensor rotates files. */
    private List<String> rotatedSyntheticCapture() throws Exception {
        assumeTrue(commandExists("editcap"), "editcap (comes with tshark: apt-get install tshark) is not installed");
        Path whole = temp.resolve("synthetic.pcap");
        SyntheticCapture.main(new String[] {whole.toString(), "2000", "400", "7"});
        Path rotated = Files.createDirectories(temp.resolve("rotated"));
        Process editcap = new ProcessBuilder("editcap", "-c", "4000", whole.toString(),
                rotated.resolve("part.pcap").toString()).redirectErrorStream(true).start();
        assertThat(editcap.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(editcap.exitValue()).isZero();
        List<String> parts;
        try (Stream<Path> files = Files.list(rotated)) {
            parts = files.map(Path::toString).sorted().toList();
        }
        assertThat(parts).hasSizeGreaterThanOrEqualTo(4);
        return parts;
    }

    private void assertSameAnswers(List<String> captures) throws Exception {
        List<String> records = normalisedRecords(cli("connections", captures));
        List<String> findings = normalisedFindings(cli("analyze", captures).lines()
                .filter(line -> line.contains("\"event\":\"finding\"")).toList());

        Path output = temp.resolve("out-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("--parallelism", "4", "--output", output.toString()));
        args.addAll(captures);
        StringWriter err = new StringWriter();
        int code = FlinkMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                args.toArray(new String[0]));
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).doesNotContain("came later than");

        assertThat(normalisedRecords(String.join("\n", lines(output.resolve(CaptureJob.CONNECTIONS)))))
                .hasSize(records.size()).containsExactlyInAnyOrderElementsOf(records);
        assertThat(normalisedFindings(lines(output.resolve(CaptureJob.FINDINGS)))).containsExactlyElementsOf(findings);
    }

    /** What the CLI writes to stdout for {@code command --format ndjson CAPTURES}. */
    private static String cli(String command, List<String> captures) {
        List<String> args = new ArrayList<>(List.of(command, "--format", "ndjson", "--uid-seed", "1"));
        args.addAll(captures);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(new String[0]));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    /** Every line of every part file in {@code directory}. */
    private static List<String> lines(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                assertThat(file.getFileName().toString()).doesNotContain("inprogress").endsWith(".ndjson");
                lines.addAll(Files.readAllLines(file));
            }
        }
        return lines;
    }

    /** Fields that name another record by its uid. */
    private static final List<String> UID_REFERENCES = List.of("continues", "continued_in");

    /**
     * Each record's keys but its uid, one string a record, sorted; a reference to another record
     * by uid becomes that record's start time (uids differ, what they point to must not).
     */
    private static List<String> normalisedRecords(String ndjson) throws IOException {
        List<ObjectNode> parsed = new ArrayList<>();
        java.util.Map<String, String> startByUid = new java.util.HashMap<>();
        for (String line : ndjson.lines().filter(line -> !line.isBlank()).toList()) {
            ObjectNode record = (ObjectNode) JSON.readTree(line);
            assertThat(record.path("uid").asText()).startsWith("C");
            assertThat(startByUid.put(record.path("uid").asText(), record.path("ts").asText())).as("uid unique")
                    .isNull();
            parsed.add(record);
        }
        List<String> records = new ArrayList<>();
        for (ObjectNode record : parsed) {
            record.remove("uid");
            for (String field : UID_REFERENCES) {
                if (record.has(field)) {
                    String start = startByUid.get(record.path(field).asText());
                    assertThat(start).as(field + " names a record of the same output").isNotNull();
                    record.put(field, "record starting " + start);
                }
            }
            records.add(record.toString());
        }
        records.sort(null);
        return records;
    }

    /** Each finding (in order) with its evidence's uids taken out. */
    private static List<String> normalisedFindings(List<String> lines) throws IOException {
        List<String> findings = new ArrayList<>();
        for (String line : lines) {
            JsonNode finding = JSON.readTree(line).path("finding");
            for (JsonNode evidence : finding.path("evidence")) {
                ((ObjectNode) evidence).remove("uid");
            }
            findings.add(finding.toString());
        }
        return findings;
    }

    private static boolean commandExists(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
    }
}
