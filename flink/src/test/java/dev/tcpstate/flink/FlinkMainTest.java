package dev.tcpstate.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors are one line and exit 2; captures that cannot be read exit 3; --help shows examples. */
class FlinkMainTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return FlinkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpShowsExamples() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--parallelism", "--output", "Examples:", "flink run");
    }

    @Test
    void outputIsRequired() {
        assertThat(run("../samples/refused.pcap")).isEqualTo(2);
        assertThat(err.toString()).contains("--output").contains("--help");
    }

    @Test
    void aNonEmptyOutputDirectoryIsRefused() throws Exception {
        Files.writeString(temp.resolve("x"), "x");
        assertThat(run("--output", temp.toString(), "../samples/refused.pcap")).isEqualTo(2);
        assertThat(err.toString()).contains("not an empty directory");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThat(run("--parallelism", "0", "--output", temp.resolve("o").toString(), "../samples/refused.pcap"))
                .isEqualTo(2);
        assertThat(run("--checksums", "maybe", "--output", temp.resolve("o").toString(), "../samples/refused.pcap"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("expected: validate, ignore");
    }

    @Test
    void aCaptureCorruptPartWayIsAnalysedUpToThereAndExits3() throws Exception {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(24 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65_535).putInt(1);
        bytes.putInt(1).putInt(0).putInt(900_000).putInt(900_000); // a record longer than the snaplen
        Path corrupt = Files.write(temp.resolve("corrupt.pcap"), bytes.array());
        Path output = temp.resolve("o");
        assertThat(run("--parallelism", "1", "--output", output.toString(), corrupt.toString())).isEqualTo(3);
        assertThat(err.toString()).contains(corrupt + ": offset ").contains("record length: 900000 bytes").contains("analysed up to there");
        assertThat(output.resolve(CaptureJob.CONNECTIONS)).doesNotExist(); // no records, so no part file
    }

    @Test
    void packetsOlderThanTheAllowanceAreCountedLateAndWarnedOf() throws Exception {
        // the sample twice in one file, first moved 20 s on, then as recorded: each packet of the
        // second copy goes back 20 s, far past --out-of-order 1
        byte[] sample = Files.readAllBytes(Path.of("../samples/client-close.pcap"));
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.write(sample, 0, 24);
        int frames = 0;
        for (int shift : new int[] {20, 0}) {
            frames = 0;
            for (int at = 24; at < sample.length; frames++) {
                java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(sample).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                int length = header.getInt(at + 8);
                file.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putInt(header.getInt(at) + shift).array());
                file.write(sample, at + 4, 12 + length);
                at += 16 + length;
            }
        }
        Path twice = Files.write(temp.resolve("twice.pcap"), file.toByteArray());
        // every TCP segment of the copy is late (the sample's two ARP frames are not the job's)
        StringWriter records = new StringWriter();
        assertThat(dev.tcpstate.cli.Main.run(new PrintWriter(records, true), new PrintWriter(new StringWriter(), true),
                "connections", "--format", "ndjson", "../samples/client-close.pcap")).isZero();
        long segments = records.toString().lines().map(line -> line.replaceAll(".*\"orig_pkts\":([0-9]+).*\"resp_pkts\":([0-9]+).*", "$1 $2"))
                .mapToLong(pair -> Long.parseLong(pair.split(" ")[0]) + Long.parseLong(pair.split(" ")[1])).sum();
        assertThat(segments).isPositive().isLessThan(frames);

        assertThat(run("--parallelism", "1", "--out-of-order", "1", "--output", temp.resolve("o").toString(),
                twice.toString())).as(err.toString()).isZero();
        assertThat(err.toString()).contains("warning: " + segments + " packets came later than --out-of-order allows");
    }

    @Test
    void missingOrNonCaptureFilesExit3() throws Exception {
        assertThat(run("--output", temp.resolve("o").toString(), temp.resolve("absent.pcap").toString())).isEqualTo(3);
        assertThat(err.toString()).contains("no such file");
        Path text = Files.writeString(temp.resolve("notes.pcap"), "not a capture at all");
        assertThat(run("--output", temp.resolve("o").toString(), text.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("magic");
    }
}
