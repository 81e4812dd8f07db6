package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.Frames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pure-Java readers against libpcap (through pcap4j) as an oracle: the same frames, bytes,
 * lengths, link types and nanosecond timestamps, frame for frame, on every recorded sample.
 * Where libpcap cannot read a file (pcapng with interfaces of different link types), tshark is
 * the oracle instead.
 */
class ReaderOracleTest {
    @TempDir
    static Path dir;

    @BeforeEach
    void needsLibpcap() {
        Assumptions.assumeTrue(Environment.libpcapAvailable(),
                "libpcap is not installed (apt-get install libpcap0.8): the pcap4j oracle cannot run");
    }

    static List<Path> samples() throws IOException {
        return Environment.sampleCaptures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void bothReadersAgreeFrameForFrameOnEverySample(Path sample) throws IOException {
        List<Frames.Copy> ours;
        try (PacketSource source = CaptureFiles.open(sample.toString())) {
            ours = Frames.readAll(source);
            assertThat(source.warnings()).as("warnings reading %s", sample).isEmpty();
        }
        assertThat(ours).isNotEmpty();
        Path plain = sample.toString().endsWith(".gz") ? gunzip(sample) : sample;
        if (interfaceLinkTypes(plain) > 1) {
            agreeWithTshark(plain, ours);
            return;
        }
        try (PacketSource oracle = Pcap4jFileReader.open(plain.toString())) {
            assertThat(ours).isEqualTo(Frames.readAll(oracle));
        }
    }

    @Test
    void bothReadersAgreeOnBigEndianNanosecondAndPcapngCaptures() throws IOException {
        CaptureWriter bigEndianNanos = CaptureWriter.pcap(ByteOrder.BIG_ENDIAN, 0xA1B23C4D, 65_535, 1);
        CaptureWriter pcapng = CaptureWriter.pcapng().section(ByteOrder.BIG_ENDIAN).interfaceBlock(113, 0, 9, 0);
        for (int i = 0; i < 20; i++) {
            byte[] data = Frames.pattern(60 + i, i);
            bigEndianNanos.record(1_700_000_000L + i, 999_999_000 + i, data, 1000 + i);
            pcapng.enhancedPacket(0, 1_700_000_000_000_000_000L + i * 1_000_003L, data, 1000 + i);
        }
        for (CaptureWriter writer : List.of(bigEndianNanos, pcapng)) {
            Path file = writer.writeTo(Files.createTempFile(dir, "built", ".cap"));
            try (PacketSource ours = CaptureFiles.open(file.toString());
                    PacketSource oracle = Pcap4jFileReader.open(file.toString())) {
                assertThat(Frames.readAll(ours)).hasSize(20).isEqualTo(Frames.readAll(oracle));
            }
        }
    }

    private static Path gunzip(Path compressed) throws IOException {
        Path plain = Files.createTempFile(dir, "gunzipped", ".cap");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(compressed))) {
            Files.write(plain, in.readAllBytes());
        }
        return plain;
    }

    private static long interfaceLinkTypes(Path file) throws IOException {
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            Frames.readAll(source);
            if (source instanceof PcapNgReader pcapng) {
                return pcapng.interfaces().stream().mapToInt(PcapNgInterface::linkType).distinct().count();
            }
            return 1;
        }
    }

    /** tshark's view: frame number, epoch time to the nanosecond, lengths and interface. */
    private static void agreeWithTshark(Path file, List<Frames.Copy> ours) {
        Assumptions.assumeTrue(Environment.tsharkAvailable(),
                file + " mixes link types, which libpcap refuses; tshark (the other oracle) is not installed");
        String output = Environment.run("tshark", "-r", file.toString(), "-T", "fields", "-E", "separator=,",
                "-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len",
                "-e", "frame.interface_id");
        List<String> expected = output.lines().toList();
        List<String> actual = ours.stream().map(frame -> frame.number() + "," + epoch(frame.timestampNanos()) + ","
                + frame.originalLength() + "," + frame.data().length + "," + frame.interfaceId()).toList();
        assertThat(actual).isEqualTo(expected);
    }

    private static String epoch(long nanos) {
        return nanos / 1_000_000_000L + "." + String.format("%09d", nanos % 1_000_000_000L);
    }
}
