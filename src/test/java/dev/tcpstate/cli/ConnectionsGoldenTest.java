package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.Golden;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for every format of {@code connections} on the samples
 * (src/test/resources/golden/connections). A change of output must be a change of these files,
 * reviewed in the diff; regenerate them with {@code ./mvnw test -Dgolden.update=true}.
 */
class ConnectionsGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/connections");
    private static final List<String> SAMPLES = List.of("client-close.pcap", "server-close.pcap", "refused.pcap",
            "firewalled-syn.pcap", "server-abort.pcap", "half-open.pcap", "ipv6-client-close.pcap",
            "client-close-sll2.pcap", "multi-if.pcapng", "rst-not-accepted.pcap",
            "last-ack-dropped.pcap", "time-wait-rst.pcap", "time-wait-reuse.pcap",
            "keepalive-silent.pcap", "time-wait-reuse-client.pcap", "simultaneous-open.pcap", "challenge-ack.pcap",
            "simultaneous-close.pcap");
    private static final List<String[]> FORMATS = List.of(new String[] {"text-80", "--format", "text", "--width", "80"},
            new String[] {"text-200", "--format", "text", "--width", "200"}, new String[] {"json", "--format", "json"},
            new String[] {"ndjson", "--format", "ndjson"}, new String[] {"csv", "--format", "csv"},
            new String[] {"zeek", "--format", "zeek"});

    static Stream<Arguments> cases() {
        return SAMPLES.stream().flatMap(sample -> FORMATS.stream().map(format -> Arguments.of(sample, format)));
    }

    private static String run(String sample, String[] format) {
        // a fixed uid key: goldens must not change from run to run
        String[] args = Stream.concat(Stream.concat(Stream.of("connections", "--uid-seed", "1"), Stream.of(format).skip(1)),
                Stream.of(Environment.samples().resolve(sample).toString())).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(err), args)).as(err.toString()).isZero();
        return out.toString();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void outputEqualsItsGoldenFile(String sample, String[] format) throws Exception {
        String actual = run(sample, format);
        if (format[0].equals("zeek")) {
            // the wall-clock stamps, replaced as Zeek's own test suite replaces them (btest-diff)
            assertThat(actual).containsPattern("(?m)^#open\t\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d\n#fields\t")
                    .containsPattern("\n#close\t\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d\n$");
            actual = actual.replaceAll("(?m)^#(open|close)\t[-0-9]+$", "#$1\tXXXX-XX-XX-XX-XX-XX");
        }
        Path golden = GOLDEN.resolve(sample.replaceAll("\\.pcap(ng)?$", "") + "." + format[0]);
        Golden.assertMatches(golden, actual);
    }

    @Test
    void theTextTableFitsEightyAndTwoHundredColumnsOnEverySample() throws Exception {
        for (Path sample : Environment.sampleCaptures()) {
            for (int width : new int[] {80, 200}) {
                String table = run(sample.getFileName().toString(), new String[] {"", "--width", String.valueOf(width)});
                assertThat(table.lines()).as("%s at %d columns", sample.getFileName(), width)
                        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(width));
                assertThat(table.lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                        .matches("UID +CONNECTION .*").contains("ZEEK").contains("OUTCOME"));
                if (width == 200) {
                    assertThat(table.lines().findFirst().orElseThrow()).contains("END STATES").contains("HISTORY");
                }
            }
        }
    }

    /** The uid comes first and an address is never cut, even when that runs past a narrow width. */
    @Test
    void theUidAndTheAddressesAreNeverCut() {
        String table = run("ipv6-client-close.pcap", new String[] {"", "--width", "40"});
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).matches("UID +CONNECTION.*");
        assertThat(lines.get(1)).matches("C[0-9A-Za-z]{17}  \\[fd00:200::1\\]:40000 > \\[fd00:200::2\\]:8080.*")
                .doesNotContain("…");
        for (int width : new int[] {80, 200}) {
            String wide = run("syn-flood.pcap", new String[] {"", "--width", String.valueOf(width)});
            assertThat(wide.lines().skip(1).limit(2020)).hasSize(2020)
                    .allSatisfy(line -> assertThat(line).matches("C[0-9A-Za-z]{17} +\\S+:\\d+ > \\S+:\\d+ .*"));
        }
    }
}
