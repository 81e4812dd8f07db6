package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.Frames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequential path: gzip (by magic, not by name) and streams such as stdin. */
class StreamAndGzipTest {
    @TempDir
    Path dir;

    private static byte[] samplePcap() {
        CaptureWriter writer = CaptureWriter.pcap(ByteOrder.BIG_ENDIAN, 0xA1B23C4D, 65_535, 1);
        for (int i = 0; i < 50; i++) {
            writer.record(1000 + i, i * 1000, Frames.pattern(40 + i * 20, i), 40 + i * 20);
        }
        return writer.toByteArray();
    }

    private static byte[] samplePcapng() {
        return CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(113, 0, 9, 0)
                .enhancedPacket(0, 5, Frames.pattern(70, 1), 70).enhancedPacket(0, 6, Frames.pattern(71, 2), 71)
                .toByteArray();
    }

    private List<Frames.Copy> mapped(byte[] capture) throws IOException {
        Path file = Files.write(dir.resolve("plain-" + Arrays.hashCode(capture)), capture);
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            return Frames.readAll(source);
        }
    }

    @Test
    void gzipFilesAreRecognisedByMagicWhateverTheirName() throws IOException {
        for (byte[] capture : List.of(samplePcap(), samplePcapng())) {
            Path file = Files.write(dir.resolve("no-gz-suffix.cap"), CaptureWriter.gzip(capture));
            try (PacketSource source = CaptureFiles.open(file.toString())) {
                assertThat(Frames.readAll(source)).isEqualTo(mapped(capture)).isNotEmpty();
            }
        }
    }

    @Test
    void streamsReadTheSameFramesAsMappedFiles() throws IOException {
        for (byte[] capture : List.of(samplePcap(), samplePcapng())) {
            try (PacketSource plain = CaptureFiles.openStream("<stdin>", new ByteArrayInputStream(capture));
                    PacketSource gzip = CaptureFiles.openStream("<stdin>",
                            new ByteArrayInputStream(CaptureWriter.gzip(capture)))) {
                assertThat(Frames.readAll(plain)).isEqualTo(mapped(capture));
                assertThat(Frames.readAll(gzip)).isEqualTo(mapped(capture));
                assertThat(plain.name()).isEqualTo("<stdin>");
            }
        }
    }

    @Test
    void aStreamDeliveringOneByteAtATimeStillYieldsWholeRecords() throws IOException {
        byte[] capture = samplePcap();
        InputStream trickle = new ByteArrayInputStream(capture) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        try (PacketSource source = CaptureFiles.openStream("trickle", trickle)) {
            assertThat(Frames.readAll(source)).isEqualTo(mapped(capture));
        }
    }

    @Test
    void namedPipesAreReadAsStreams() throws Exception {
        Path fifo = dir.resolve("capture.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        byte[] capture = CaptureWriter.gzip(samplePcap());
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, capture);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        try (PacketSource source = CaptureFiles.open(fifo.toString())) {
            assertThat(Frames.readAll(source)).isEqualTo(mapped(samplePcap()));
        }
        writer.join(5000);
    }

    @Test
    void recordsLargerThanTheStreamBufferGrowIt() throws IOException {
        // 3 MiB records, beyond the stream's first 1 MiB buffer.
        byte[] big = Frames.pattern(3 << 20, 5);
        byte[] capture = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 0x7FFF_FFFF, 1)
                .record(1, 0, Frames.pattern(100, 1), 100).record(2, 0, big, big.length)
                .record(3, 0, Frames.pattern(100, 3), 100).toByteArray();
        try (PacketSource source = CaptureFiles.openStream("big", new ByteArrayInputStream(capture))) {
            List<Frames.Copy> frames = Frames.readAll(source);
            assertThat(frames).hasSize(3);
            assertThat(frames.get(1).data()).isEqualTo(big);
            assertThat(frames.get(2).data()).isEqualTo(Frames.pattern(100, 3));
        }
    }

    @Test
    void aCutGzipStreamReadsAsATruncatedCapture() throws IOException {
        byte[] compressed = CaptureWriter.gzip(samplePcap());
        Path file = Files.write(dir.resolve("cut.pcap.gz"), Arrays.copyOf(compressed, compressed.length / 2));
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            List<Frames.Copy> frames = Frames.readAll(source);
            assertThat(frames).isNotEmpty().hasSizeLessThan(50);
            assertThat(frames).isEqualTo(mapped(samplePcap()).subList(0, frames.size()));
            assertThat(source.warnings()).singleElement()
                    .satisfies(warning -> assertThat(warning.message()).startsWith("truncated last record"));
        }
    }

    @Test
    void corruptGzipDataIsCorruptInput() throws IOException {
        byte[] compressed = CaptureWriter.gzip(samplePcap());
        for (int i = 40; i < compressed.length - 8; i += 3) {
            compressed[i] ^= 0x5A;
        }
        Path file = Files.write(dir.resolve("garbled.pcap.gz"), compressed);
        assertThatThrownBy(() -> {
            try (PacketSource source = CaptureFiles.open(file.toString())) {
                Frames.readAll(source);
            }
        }).isInstanceOf(CaptureFormatException.class).hasMessageContaining("gzip data");
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * Found by PcapReaderFuzzTest and GzipFuzzTest (crash-53299354..., crash-c86e4f67...): the
     * stream path allocated a record's claimed length before reading it, 200 MB here for a capture
     * of 200 bytes. A stream's size is unknown, so the claim is only found out as the bytes run out.
     */
    @Test
    void aLyingRecordLengthOnAStreamCostsOnlyTheBytesThatAreThere() throws IOException {
        CaptureWriter writer = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 0x7FFF_FFFF, 1)
                .record(1, 0, Frames.pattern(60, 1), 60);
        int offset = writer.size();
        byte[] capture = writer.recordHeader(2, 0, 200_000_000, 200_000_000).bytes(Frames.pattern(100, 2))
                .toByteArray();
        Path gzip = Files.write(dir.resolve("lying.pcap.gz"), CaptureWriter.gzip(capture));
        List<CaptureFuzzing.Opener> ways = List.of(
                () -> CaptureFiles.openStream("<stdin>", new ByteArrayInputStream(capture)),
                () -> CaptureFiles.open(gzip.toString()));
        for (CaptureFuzzing.Opener way : ways) {
            long before = allocatedByThisThread();
            try (PacketSource source = way.open()) {
                assertThat(Frames.readAll(source)).hasSize(1);
                assertThat(source.warnings()).singleElement().satisfies(warning -> {
                    assertThat(warning.offset()).isEqualTo(offset);
                    assertThat(warning.message()).isEqualTo("truncated last record: 116 of 200000016 bytes present; "
                            + "the capture ends here");
                });
            }
            // the 1 MiB stream array and gzip's buffers, not the 200 MB claimed
            assertThat(allocatedByThisThread() - before).isLessThan(8 << 20);
        }
        Cli.Result result = Cli.run("stats", gzip.toString());
        assertThat(result.code()).isZero();
        assertThat(result.err()).contains("truncated last record: 116 of 200000016 bytes present");
    }

    @Test
    void aRecordLargerThanTheStreamBufferArrivingSlowlyIsReadWhole() throws IOException {
        // the array doubles as the bytes arrive: 1, 2, 4 MiB, and a 3 MiB record a byte at a time fits
        byte[] big = Frames.pattern(3 << 20, 9);
        byte[] capture = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 0x7FFF_FFFF, 1)
                .record(1, 0, big, big.length).record(2, 0, Frames.pattern(70, 4), 70).toByteArray();
        try (PacketSource source = CaptureFiles.openStream("slow", CaptureFuzzing.trickle(capture, 4093))) {
            List<Frames.Copy> frames = Frames.readAll(source);
            assertThat(frames).hasSize(2);
            assertThat(frames.get(0).data()).isEqualTo(big);
            assertThat(frames.get(1).data()).isEqualTo(Frames.pattern(70, 4));
            assertThat(source.warnings()).isEmpty();
        }
    }

    /**
     * Found by GzipFuzzTest (crash-87a971b9...): GZIPInputStream reads the header when it is made
     * and reports one cut short as an EOFException without a message, which the CLI printed as
     * "tcpstate: null".
     */
    @Test
    void aGzipHeaderCutShortIsCorruptInputNamingTheFile() throws IOException {
        // the magic, deflate, the FNAME flag, and the file ends inside the name; then the magic alone
        byte[] insideTheName = {0x1F, (byte) 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3, 'c', 'a', 'p'};
        byte[] magicAlone = {0x1F, (byte) 0x8B};
        for (byte[] header : List.of(insideTheName, magicAlone)) {
            Path file = Files.write(dir.resolve("cut-header-" + header.length + ".gz"), header);
            String expected = file + ": offset 0: gzip header: cut short (expected: a whole gzip header (RFC 1952: "
                    + "10 bytes and the optional fields its flags announce))";
            assertCorruptInReaderAndCli(file, expected, "stats");
        }
    }

    @Test
    void aGzipHeaderWithAnotherCompressionMethodIsCorruptInputNamingTheFile() throws IOException {
        byte[] compressed = CaptureWriter.gzip(samplePcap());
        compressed[2] = 7; // method 7 is reserved; 8 is deflate, the only one defined
        Path file = Files.write(dir.resolve("method-7.pcap.gz"), compressed);
        String expected = file + ": offset 0: gzip header: Unsupported compression method (expected: a valid gzip "
                + "header (RFC 1952, compression method 8: deflate))";
        assertCorruptInReaderAndCli(file, expected, "analyze");
    }

    /** The reader throws {@code expected}; {@code command} prints it as its one line and exits 3. */
    private static void assertCorruptInReaderAndCli(Path file, String expected, String command) {
        assertThatThrownBy(() -> CaptureFiles.open(file.toString())).isInstanceOf(CaptureFormatException.class)
                .hasMessage(expected);
        Cli.Result result = Cli.run(command, file.toString());
        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err()).isEqualTo("tcpstate: " + expected + System.lineSeparator());
    }
}
