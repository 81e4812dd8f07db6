package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample cut at every byte offset, as a capture copied off a dying disk or still being
 * written: the exit code and the one line each cut deserves, worked out here from the file's
 * own record and block boundaries, and the frames before the cut always read.
 */
class TruncatedSamplesTest {
    private static final String LINE = System.lineSeparator();

    @TempDir
    Path dir;

    /** Where each record or block of a sample starts, and where the last one ends. */
    private record Layout(int headerLength, int[] starts, int end) {
        /** The unit the cut falls in (-1: in the file header or exactly on a boundary). */
        int unitCutAt(int length) {
            for (int i = 0; i < starts.length; i++) {
                int next = i + 1 < starts.length ? starts[i + 1] : end;
                if (length > starts[i] && length < next) {
                    return i;
                }
            }
            return -1;
        }

        int unitsBefore(int length) {
            int whole = 0;
            for (int i = 0; i < starts.length; i++) {
                int next = i + 1 < starts.length ? starts[i + 1] : end;
                if (next <= length) {
                    whole++;
                }
            }
            return whole;
        }

        int length(int unit) {
            return (unit + 1 < starts.length ? starts[unit + 1] : end) - starts[unit];
        }
    }

    private static Layout pcapLayout(byte[] file) {
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> starts = new ArrayList<>();
        int at = 24;
        while (at < file.length) {
            starts.add(at);
            at += 16 + buffer.getInt(at + 8);
        }
        return new Layout(24, starts.stream().mapToInt(Integer::intValue).toArray(), at);
    }

    private static Layout pcapngLayout(byte[] file) {
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> starts = new ArrayList<>();
        int at = 0;
        while (at < file.length) {
            starts.add(at);
            at += buffer.getInt(at + 4);
        }
        return new Layout(0, starts.stream().mapToInt(Integer::intValue).toArray(), at);
    }

    /** stats of the first {@code length} bytes of {@code sample}. */
    private Result cut(byte[] sample, int length, Path file) throws IOException {
        Files.write(file, Arrays.copyOf(sample, length));
        return run("stats", file.toString());
    }

    /**
     * A cut before the first record or block: no capture to analyse, exit 3 and the line for the
     * part cut (the file, its magic, or {@code header}).
     */
    private static void assertNoCaptureYet(Result result, Path file, int length, String header) {
        String expected = length == 0 ? "file: empty (expected: a pcap or pcapng capture)"
                : length < 4 ? "magic: " + length + " bytes (expected: 4 bytes of pcap or pcapng magic)" : header;
        String at = "cut at " + length + ": " + result.err();
        assertThat(result.code()).as(at).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).as(at).isEqualTo("tcpstate: " + file + ": offset 0: " + expected + LINE);
    }

    @Test
    void aPcapCutAtEveryOffset() throws IOException {
        byte[] sample = Files.readAllBytes(Environment.samples().resolve("refused.pcap"));
        Layout layout = pcapLayout(sample);
        assertThat(layout.end()).isEqualTo(sample.length);
        Path file = dir.resolve("cut.pcap");
        for (int length = 0; length <= sample.length; length++) {
            Result result = cut(sample, length, file);
            String at = "cut at " + length + ": " + result.err();
            assertThat(result.err()).as(at).doesNotContain("\tat ");
            if (length < 24) {
                assertNoCaptureYet(result, file, length, "file header: " + length
                        + " bytes (expected: 24 bytes of pcap file header)");
                continue;
            }
            assertThat(result.code()).as(at).isZero();
            assertThat(result.out()).as(at).contains("cut.pcap: " + layout.unitsBefore(length) + " frames,");
            int unit = layout.unitCutAt(length);
            if (unit < 0) {
                assertThat(result.err()).as(at).isEmpty();
                continue;
            }
            int present = length - layout.starts()[unit];
            String expected = present < 16
                    ? "truncated last record header: " + present + " of 16 bytes present"
                    : "truncated last record: " + present + " of " + layout.length(unit) + " bytes present";
            assertThat(result.err()).as(at).isEqualTo("tcpstate: warning: " + file + ": offset " + layout.starts()[unit]
                    + ": " + expected + "; the capture ends here" + LINE);
        }
    }

    @Test
    void aPcapngCutAtEveryOffset() throws IOException {
        byte[] whole = Files.readAllBytes(Environment.samples().resolve("client-close.pcapng"));
        // its first six blocks, whole: the section header, the interface and four packets
        byte[] sample = Arrays.copyOf(whole, pcapngLayout(whole).starts()[6]);
        Layout layout = pcapngLayout(sample);
        assertThat(layout.starts()).hasSize(6);
        Path file = dir.resolve("cut.pcapng");
        int packets = 0;
        for (int length = 0; length <= sample.length; length++) {
            Result result = cut(sample, length, file);
            String at = "cut at " + length + ": " + result.err();
            assertThat(result.err()).as(at).doesNotContain("\tat ");
            if (length < 12) {
                assertNoCaptureYet(result, file, length, "first block: " + length
                        + " bytes (expected: a pcapng Section Header Block (0a0d0d0a) of at least 12 bytes)");
                continue;
            }
            assertThat(result.code()).as(at).isZero();
            int unit = layout.unitCutAt(length);
            if (unit < 0) {
                assertThat(result.err()).as(at).isEmpty();
            } else {
                int present = length - layout.starts()[unit];
                String expected = present < 12 ? "truncated last block header: " + present + " of 12 bytes present"
                        : "truncated last block: " + present + " of " + layout.length(unit) + " bytes present";
                assertThat(result.err()).as(at).isEqualTo("tcpstate: warning: " + file + ": offset "
                        + layout.starts()[unit] + ": " + expected + "; the capture ends here" + LINE);
            }
            // the frames read only ever grow as the cut moves on, one per whole packet block
            int frames = Integer.parseInt(result.out().replaceAll("(?s).*frames +([0-9,]+) read.*", "$1"));
            assertThat(frames).as(at).isBetween(packets, packets + 1);
            packets = frames;
        }
        assertThat(packets).isEqualTo(4);
    }

    @Test
    void aGzipCaptureCutAtEveryOffset() throws IOException {
        byte[] sample = Files.readAllBytes(Environment.samples().resolve("client-close.pcap.gz"));
        Path file = dir.resolve("cut.pcap.gz");
        int packets = 0;
        for (int length = 0; length <= sample.length; length++) {
            Result result = cut(sample, length, file);
            String at = "cut at " + length + ": " + result.err();
            assertThat(result.err()).as(at).doesNotContain("\tat ").doesNotContain("Exception");
            if (length == sample.length) {
                assertThat(result.code()).isZero();
                assertThat(result.err()).isEmpty();
            } else {
                // the gzip stream is cut wherever the capture inside it is, so there is always a line
                // a cut stream says so in one line: the capture it holds is cut, or it has no capture yet
                assertThat(result.err().lines()).as(at).hasSize(1);
                if (result.code() == 0) {
                    assertThat(result.err()).as(at).startsWith("tcpstate: warning: " + file + ": offset ")
                            .containsAnyOf("truncated last", "gzip stream cut short").endsWith("; the capture ends here" + LINE);
                } else {
                    assertThat(result.err()).as(at).startsWith("tcpstate: " + file + ": offset ").contains("(expected: ");
                }
            }
            if (result.code() == 0) {
                int frames = Integer.parseInt(result.out().replaceAll("(?s).*frames +([0-9,]+) read.*", "$1"));
                assertThat(frames).as(at).isGreaterThanOrEqualTo(packets);
                packets = frames;
            } else {
                assertThat(result.code()).as(at).isEqualTo(ExitCodes.BAD_INPUT);
                assertThat(packets).as("a cut after frames were readable still reads them: " + at).isZero();
            }
        }
        assertThat(packets).isEqualTo(13);
    }
}
