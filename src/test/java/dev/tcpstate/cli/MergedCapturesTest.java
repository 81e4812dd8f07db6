package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several captures are one stream in timestamp order: a capture split into rotated files
 * ({@code editcap -c}) and given in any order gives the same connections as the whole file.
 */
class MergedCapturesTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of(args));
        if (!all.get(0).equals("stats")) {
            all.addAll(1, List.of("--uid-seed", "1")); // the same uids on every run
        }
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new))).as(err.toString())
                .isZero();
        return out.toString();
    }

    @Test
    void aCaptureSplitWithEditcapGivesTheSameConnectionsInAnyOrder() throws Exception {
        Assumptions.assumeFalse(Environment.run("editcap", "-h").isEmpty(), "editcap (wireshark-common) is not installed");
        for (String sample : List.of("time-wait-burst.pcap", "syn-flood.pcap", "half-open.pcap")) {
            Path whole = Environment.samples().resolve(sample);
            Path parts = Files.createDirectories(dir.resolve(sample));
            Environment.run("editcap", "-c", sample.equals("half-open.pcap") ? "4" : "1500", whole.toString(),
                    parts.resolve("part.pcap").toString());
            List<String> files;
            try (Stream<Path> list = Files.list(parts)) {
                files = new ArrayList<>(list.map(Path::toString).sorted().toList());
            }
            assertThat(files).as(sample + " split").hasSizeGreaterThan(2);
            Collections.reverse(files); // rotated files given newest first
            List<String> args = new ArrayList<>(List.of("connections", "--format", "ndjson"));
            args.addAll(files);
            assertThat(run(args.toArray(String[]::new))).as(sample)
                    .isEqualTo(run("connections", "--format", "ndjson", whole.toString()));

            List<String> analyze = new ArrayList<>(List.of("analyze", "--format", "json"));
            analyze.addAll(files);
            String report = run(analyze.toArray(String[]::new));
            assertThat(report).contains("\"timestamps_backwards\":0").contains("\"frames\":"
                    + run("stats", "--format", "json", whole.toString()).replaceAll("(?s).*?\"frames\":(\\d+).*", "$1") + ",");
        }
    }
}
