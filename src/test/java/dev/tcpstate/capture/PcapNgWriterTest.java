package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcpstate.testing.Environment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch -i A -i B -w FILE.pcapng}: interfaces of different link types in one file, each
 * frame with its interface and nanosecond time, readable by tcpstate and by tshark, and whole
 * blocks on disk at every moment.
 */
class PcapNgWriterTest {
    private static final String TWO_LINK_TYPES = "samples/multi-if.pcapng";

    /** A frame as read: its interface, link type, times, lengths and bytes. */
    private record Read(int interfaceId, int linkType, long nanos, int originalLength, List<Byte> bytes) {
        static Read of(Frame frame) {
            List<Byte> bytes = new ArrayList<>();
            for (byte b : frame.copyBytes()) {
                bytes.add(b);
            }
            return new Read(frame.interfaceId(), frame.linkType(), frame.timestampNanos(), frame.originalLength(),
                    bytes);
        }
    }

    @TempDir
    Path dir;

    @Test
    void framesOfTwoLinkTypesReadBackAsWritten() throws Exception {
        List<Read> original = read(Path.of(TWO_LINK_TYPES));
        Map<Integer, Integer> linkTypes = new TreeMap<>();
        original.forEach(frame -> linkTypes.put(frame.interfaceId(), frame.linkType()));
        assertThat(linkTypes.values()).as("the sample's point").doesNotHaveDuplicates().hasSizeGreaterThan(1);

        Path file = dir.resolve("out.pcap");
        List<CaptureWriter.Interface> interfaces = linkTypes.entrySet().stream()
                .map(e -> new CaptureWriter.Interface("if" + e.getKey(), e.getValue())).toList();
        try (CaptureWriter writer = CaptureWriter.create(file, interfaces, 65_535);
                PacketSource source = CaptureFiles.open(TWO_LINK_TYPES)) {
            assertThat(writer.format()).as("two link types: pcapng, whatever the name").isEqualTo("pcapng");
            Frame frame = new Frame();
            while (source.next(frame)) {
                writer.write(frame);
            }
            assertThat(writer.frames()).isEqualTo(original.size());
        }
        assertThat(read(file)).isEqualTo(original);
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            Frame frame = new Frame();
            while (source.next(frame)) {
                continue;
            }
            assertThat(source.warnings()).isEmpty();
        }
    }

    @Test
    void tsharkReadsTheInterfacesAndTheNanoseconds() throws Exception {
        assumeTrue(Environment.tsharkAvailable(), "tshark is not installed");
        Path file = dir.resolve("two.pcapng");
        List<String> expected = new ArrayList<>();
        try (CaptureWriter writer = PcapNgWriter.create(file, List.of(new CaptureWriter.Interface("veth-a", 1),
                new CaptureWriter.Interface("tun0", 101)), 65_535)) {
            Frame frame = new Frame();
            for (int i = 0; i < 6; i++) {
                int length = 60 + i; // lengths that need padding
                byte[] bytes = new byte[length];
                long nanos = 1_700_000_000_123_456_789L + i * 1_000_000_001L;
                frame.set(ByteBuffer.wrap(bytes), 0, length, length + 100, nanos, i % 2 == 0 ? 1 : 101, i % 2, 0, i + 1);
                writer.write(frame);
                expected.add((i % 2) + "\t" + (i % 2 == 0 ? "veth-a" : "tun0") + "\t" + (nanos / 1_000_000_000L) + "."
                        + String.format("%09d", nanos % 1_000_000_000L) + "\t" + length + "\t" + (length + 100));
            }
        }
        Process tshark = new ProcessBuilder("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.interface_id",
                "-e", "frame.interface_name", "-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.waitFor()).as(out).isZero();
        assertThat(out.lines().toList()).isEqualTo(expected);
    }

    @Test
    void theFileOnDiskEndsOnABlockBoundaryAfterEveryWrite() throws Exception {
        Path file = dir.resolve("out.pcapng");
        try (CaptureWriter writer = CaptureWriter.create(file, List.of(new CaptureWriter.Interface("lo", 1)), 256)) {
            assertThat(writer.format()).as("named .pcapng").isEqualTo("pcapng");
            Frame frame = new Frame();
            for (int i = 0; i < 3000; i++) {
                int length = 1 + i % 300; // longer than the snaplen now and then
                writer.write(frame.wrap(ByteBuffer.wrap(new byte[length]), 0, length, length, i, 1));
                assertThat(blocksWhole(Files.readAllBytes(file))).as("after frame %d", i + 1).isTrue();
            }
        }
        assertThat(read(file)).hasSize(3000);
    }

    @Test
    void oneLinkTypeNamedPcapIsClassicPcap() throws Exception {
        try (CaptureWriter writer = CaptureWriter.create(dir.resolve("a.pcap"), List.of(new CaptureWriter.Interface(
                "eth0", 1), new CaptureWriter.Interface("eth1", 1)), 256)) {
            assertThat(writer.format()).isEqualTo("pcap");
        }
    }

    /** Whether the bytes are a sequence of whole pcapng blocks (each with both its lengths). */
    private static boolean blocksWhole(byte[] file) {
        ByteBuffer bytes = ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at < file.length) {
            if (file.length - at < 12) {
                return false;
            }
            int length = bytes.getInt(at + 4);
            if (length < 12 || length % 4 != 0 || at + length > file.length || bytes.getInt(at + length - 4) != length) {
                return false;
            }
            at += length;
        }
        return true;
    }

    private static List<Read> read(Path file) throws Exception {
        List<Read> frames = new ArrayList<>();
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            Frame frame = new Frame();
            while (source.next(frame)) {
                frames.add(Read.of(frame));
            }
        }
        return frames;
    }
}
