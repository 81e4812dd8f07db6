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
    void missingOrNonCaptureFilesExit3() throws Exception {
        assertThat(run("--output", temp.resolve("o").toString(), temp.resolve("absent.pcap").toString())).isEqualTo(3);
        assertThat(err.toString()).contains("no such file");
        Path text = Files.writeString(temp.resolve("notes.pcap"), "not a capture at all");
        assertThat(run("--output", temp.resolve("o").toString(), text.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("magic");
    }
}
