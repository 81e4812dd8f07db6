package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;

import dev.tcpstate.testing.Cli.Result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.CaptureWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes, stdout for the report, stderr for diagnostics. */
class MainTest {
    /** An Ethernet/IPv4/TCP SYN from 10.0.0.1:40000 to 10.0.0.2:80 (54 bytes, checksums right). */
    private static final byte[] SYN = HexFormat.of().parseHex(
            "0200000000020200000000010800" + "4500002800014000400626cd0a0000010a000002"
                    + "9c40005000000064000000005002faf003fb0000");
    /** An ARP request: not IP. */
    private static final byte[] ARP = HexFormat.of().parseHex(
            "ffffffffffff02000000000108060001080006040001020000000001" + "0a000001000000000000" + "0a000002");

    @TempDir
    Path dir;



    private Path capture() {
        return CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 65_535, 1)
                .record(1_700_000_000L, 0, SYN, SYN.length)
                .record(1_700_000_000L, 500_000, ARP, ARP.length)
                .record(1_700_000_001L, 250_000, SYN, SYN.length)
                .writeTo(dir.resolve("small.pcap"));
    }

    @Test
    void statsCountsFramesSegmentsSkipsLinkTypesAndTimeSpan() {
        Result result = run("stats", capture().toString());

        assertThat(result.code()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEmpty();
        assertThat(result.out())
                .contains("3 read, 2 TCP (2 IPv4, 0 IPv6), 1 skipped")
                .contains("1 not-ip:")
                .contains("EN10MB (1): 3 frames")
                .contains("2023-11-14T22:13:20.000000000Z .. 2023-11-14T22:13:21.250000000Z (1.250000000 s)")
                .contains("150 captured of 150 on the wire");
    }

    @Test
    void statsJsonCarriesTheSameCountsForTools() {
        Result result = run("stats", "--format", "json", capture().toString());

        assertThat(result.code()).isEqualTo(ExitCodes.OK);
        assertThat(result.out().strip())
                .startsWith("{\"sources\":[{\"name\":\"" + dir.resolve("small.pcap") + "\",\"format\":\"pcap\"")
                .contains("\"frames\":3,\"tcp_segments\":2,\"ipv4_segments\":2,\"ipv6_segments\":0,\"skipped_total\":1")
                .contains("\"skipped\":{\"not-ip\":1}")
                .contains("\"link_types\":[{\"linktype\":1,\"name\":\"EN10MB (1)\",\"frames\":3}]")
                .contains("\"first_ts\":1700000000.000000000,\"last_ts\":1700000001.250000000,\"duration\":1.250000000")
                .endsWith("\"warnings\":[]}");
    }

    @Test
    void checksumValidationSkipsSegmentsWithWrongChecksums() {
        byte[] bad = SYN.clone();
        bad[bad.length - 3] ^= 1; // TCP checksum's low byte
        Path file = CaptureWriter.pcap(1).record(1, 0, SYN, SYN.length).record(2, 0, bad, bad.length)
                .writeTo(dir.resolve("checksums.pcap"));

        assertThat(run("stats", file.toString()).out()).contains("2 read, 2 TCP");
        assertThat(run("stats", "--checksums", "validate", file.toString()).out())
                .contains("2 read, 1 TCP").contains("1 bad-tcp-checksum:");
    }

    @Test
    void corruptInputIsOneLineOnStderrAndExitCodeThree() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a capture at all");
        Result result = run("stats", file.toString());

        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("tcpstate: " + file + ": offset 0: magic: 6e6f7420 (expected: ");
    }

    @Test
    void aRecordLongerThanTheFileIsCorruptWithItsOffset() {
        Path file = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 1500, 1).recordHeader(1, 0, 9000, 9000)
                .bytes(new byte[100]).writeTo(dir.resolve("liar.pcap"));
        Result result = run("stats", file.toString());

        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).isEqualTo("tcpstate: " + file
                + ": offset 32: record length: 9000 bytes (expected: at most the snaplen, 1500 bytes); "
                + "that capture is analysed up to there" + System.lineSeparator());
        // what came before the corruption is still reported: here, nothing
        assertThat(result.out()).contains("liar.pcap: 0 frames");
    }

    @Test
    void stacktraceShowsWhereAnErrorCameFrom() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a capture at all");
        Result result = run("stats", "--stacktrace", file.toString());

        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("CaptureFormatException").contains("at dev.tcpstate.capture.");
    }

    @Test
    void aTruncatedLastRecordWarnsOnStderrAndReportsTheRest() throws Exception {
        byte[] whole = Files.readAllBytes(capture());
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(whole, whole.length - 10));
        Result result = run("stats", cut.toString());

        assertThat(result.code()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("2 read, 1 TCP").contains("warning");
        assertThat(result.err()).startsWith("tcpstate: warning: " + cut + ": offset ")
                .contains("truncated last record: 60 of 70 bytes present");
    }

    @Test
    void readsACaptureFromStdinGzippedOrNot() throws Exception {
        byte[] capture = Files.readAllBytes(capture());
        java.io.InputStream stdin = System.in;
        try {
            for (byte[] input : java.util.List.of(capture, CaptureWriter.gzip(capture))) {
                System.setIn(new java.io.ByteArrayInputStream(input));
                Result result = run("stats", "-");
                assertThat(result.code()).isZero();
                assertThat(result.out()).contains("capture      <stdin>: 3 frames").contains("3 read, 2 TCP");
            }
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void missingFilesExitThree() {
        Result result = run("stats", dir.resolve("absent.pcap").toString());
        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).isEqualTo("tcpstate: " + dir.resolve("absent.pcap") + ": no such file"
                + System.lineSeparator());
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run().code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("stats").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("stats", "--format", "xml", "x.pcap").code()).isEqualTo(ExitCodes.USAGE);
        Result badMode = run("stats", "--checksums", "maybe", "x.pcap");
        assertThat(badMode.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badMode.err()).startsWith("tcpstate: --checksums maybe (expected: validate or ignore)");
        assertThat(run("frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpAndVersionExitZeroWithExamples() {
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("stats").contains("connections").contains("Examples:").contains("Exit codes:");
        Result statsHelp = run("help", "stats");
        assertThat(statsHelp.out()).contains("--checksums").contains("tcpstate stats samples/client-close.pcap");
        for (String command : List.of("connections", "stats", "interfaces")) {
            Result commandHelp = run(command, "--help");
            assertThat(commandHelp.code()).as(command + " --help").isZero();
            assertThat(commandHelp.out()).contains("Usage: tcpstate " + command).contains("Examples:");
            assertThat(commandHelp.err()).isEmpty();
        }
        Result connectionsHelp = run("connections", "--help");
        assertThat(connectionsHelp.code()).isZero();
        assertThat(connectionsHelp.out()).contains("--outcome").contains("--attempt-timeout")
                .contains("tcpstate connections samples/client-close.pcap");
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("tcpstate ").doesNotContain("unknown");
    }

    @Test
    void readsSeveralCapturesAndGzipInOneRun() {
        Path plain = capture();
        Path compressed = dir.resolve("small.pcap.gz");
        try {
            Files.write(compressed, CaptureWriter.gzip(Files.readAllBytes(plain)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Result result = run("stats", plain.toString(), compressed.toString());
        assertThat(result.code()).isZero();
        // each file starts its own clock: going back to the first file's start is not "out of order"
        assertThat(result.out()).contains("6 read, 4 TCP").doesNotContain("out of order");
    }

    @Test
    void aHelperThreadRunningOutOfMemoryLeavesTheSentenceToTheCommandAndOtherFailuresGetOneLine()
            throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        Thread.UncaughtExceptionHandler handler = Main.backgroundFailures(new java.io.PrintWriter(text), false);
        List<Runnable> failures = List.of(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, () -> {
            throw new IllegalStateException("queue broke");
        });
        for (Runnable failing : failures) {
            Thread thread = new Thread(failing, "tcpstate-read-ahead");
            thread.setUncaughtExceptionHandler(handler);
            thread.start();
            thread.join();
        }
        assertThat(text.toString()).isEqualTo("tcpstate: internal error in thread tcpstate-read-ahead: "
                + "java.lang.IllegalStateException: queue broke (run with --stacktrace for details)"
                + System.lineSeparator());
    }
}
