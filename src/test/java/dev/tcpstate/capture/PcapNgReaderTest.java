package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Frames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapNgReaderTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void readsSeveralSectionsInBothByteOrdersWithInterfacesOfDifferentLinkTypes() throws IOException {
        byte[] ethernet = Frames.pattern(60, 1);
        byte[] cooked = Frames.pattern(72, 2);
        byte[] raw = Frames.pattern(40, 3);
        byte[] simple = Frames.pattern(44, 4);
        byte[] old = Frames.pattern(48, 5);
        Path file = CaptureWriter.pcapng()
                .section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 65_535, -1, 0)             // Ethernet, default µs
                .interfaceBlock(276, 262_144, 9, 0)           // Linux cooked v2, ns
                .enhancedPacket(0, 1_700_000_000_000_001L, ethernet, 60)
                .enhancedPacket(1, 1_700_000_000_000_000_007L, cooked, 100)
                .section(ByteOrder.BIG_ENDIAN)                // interface ids start again
                .interfaceBlock(101, 65_535, 3, 0)            // raw IP, ms
                .enhancedPacket(0, 1_700_000_001_500L, raw, 40)
                .simplePacket(simple, 44)
                .obsoletePacket(0, 1_700_000_002_250L, old)
                .writeTo(dir.resolve("sections.pcapng"));

        try (PcapNgReader source = (PcapNgReader) CaptureFiles.open(file.toString())) {
            List<Frames.Copy> frames = Frames.readAll(source);

            assertThat(frames).containsExactly(
                    new Frames.Copy(1, 1_700_000_000_000_001_000L, 1, 0, 60, ethernet),
                    new Frames.Copy(2, 1_700_000_000_000_000_007L, 276, 1, 100, cooked),
                    new Frames.Copy(3, 1_700_000_001_500_000_000L, 101, 0, 40, raw),
                    // a Simple Packet Block has no timestamp: it keeps the previous packet's
                    new Frames.Copy(4, 1_700_000_001_500_000_000L, 101, 0, 44, simple),
                    new Frames.Copy(5, 1_700_000_002_250_000_000L, 101, 0, 48, old));
            assertThat(source.sections()).isEqualTo(2);
            assertThat(source.interfaces()).extracting(PcapNgInterface::linkType).containsExactly(1, 276, 101);
            assertThat(source.interfaces()).extracting(PcapNgInterface::name).containsOnly("eth0");
            assertThat(source.warnings()).isEmpty();
        }
    }

    @Test
    void convertsDecimalAndBinaryTimestampResolutionsAndOffsets() throws IOException {
        Path file = CaptureWriter.pcapng()
                .section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 0, 0x80 | 20, 0)   // 2^-20 s units
                .interfaceBlock(1, 0, 0, 0)           // whole seconds
                .interfaceBlock(1, 0, 12, 0)          // picoseconds
                .interfaceBlock(1, 0, 6, 1_000)       // µs, plus 1000 s if_tsoffset
                .interfaceBlock(1, 0, 0x80 | 63, 0)   // 2^-63 s units
                .enhancedPacket(0, (1_700_000_000L << 20) | (1 << 19), Frames.pattern(20, 0), 20)
                .enhancedPacket(1, 1_700_000_000L, Frames.pattern(20, 0), 20)
                .enhancedPacket(2, 1_700_000_123_456_789_012L, Frames.pattern(20, 0), 20)
                .enhancedPacket(3, 5_000_001L, Frames.pattern(20, 0), 20)
                .enhancedPacket(4, Long.MIN_VALUE, Frames.pattern(20, 0), 20)
                .writeTo(dir.resolve("resolutions.pcapng"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThat(Frames.readAll(source)).extracting(Frames.Copy::timestampNanos).containsExactly(
                    1_700_000_000L * SECOND + SECOND / 2,
                    1_700_000_000L * SECOND,
                    1_700_000_123_456_789L,
                    1_005L * SECOND + 1_000L,
                    // 2^63 units of 2^-63 s = 1 s: the unsigned high bit must not turn negative
                    SECOND);
        }
    }

    @Test
    void skipsBlocksItDoesNotKnow() throws IOException {
        CaptureWriter writer = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 0, -1, 0);
        Path file = writer
                .block(0x0000_0004, writer.body().u16(0).u16(0))                  // name resolution
                .block(0x0000_0005, writer.body().u32(0).u32(0).u32(0).u16(0).u16(0)) // statistics
                .block(0x4000_0BAD, writer.body().u32(32473).bytes(new byte[12]))  // custom
                .enhancedPacket(0, 7, Frames.pattern(30, 9), 30)
                .writeTo(dir.resolve("unknown.pcapng"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThat(Frames.readAll(source)).singleElement().satisfies(frame -> {
                assertThat(frame.data()).isEqualTo(Frames.pattern(30, 9));
                assertThat(frame.timestampNanos()).isEqualTo(7_000L);
            });
        }
    }

    @Test
    void aTrailingLengthThatDisagreesIsCorrupt() throws IOException {
        CaptureWriter writer = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 0, -1, 0);
        int offset = writer.size();
        Path file = writer.rawBlock(6, 48, new byte[36], 52).writeTo(dir.resolve("liar.pcapng"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThatThrownBy(() -> Frames.readAll(source)).isInstanceOf(CaptureFormatException.class)
                    .hasMessage(file + ": offset " + (offset + 44)
                            + ": block trailing length: 52 bytes (expected: 48 bytes, as the block header says)");
        }
    }

    @Test
    void aBlockLongerThanTheWholeFileIsCorrupt() throws IOException {
        CaptureWriter writer = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 0, -1, 0);
        int offset = writer.size();
        Path file = writer.rawBlock(6, 1_000_000, new byte[36], 1_000_000).writeTo(dir.resolve("huge.pcapng"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThatThrownBy(() -> Frames.readAll(source)).isInstanceOf(CaptureFormatException.class)
                    .hasMessage(file + ": offset " + (offset + 4) + ": block length: 1000000 bytes (expected: at most the "
                            + Files.size(file) + " bytes of the whole file)");
        }
    }

    @Test
    void aBlockLengthThatIsNotAMultipleOfFourIsCorrupt() throws IOException {
        CaptureWriter writer = CaptureWriter.pcapng().section(ByteOrder.BIG_ENDIAN).interfaceBlock(1, 0, -1, 0);
        int offset = writer.size();
        Path file = writer.rawBlock(6, 47, new byte[36], 47).writeTo(dir.resolve("odd.pcapng"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThatThrownBy(() -> Frames.readAll(source)).isInstanceOf(CaptureFormatException.class)
                    .hasMessageContaining("offset " + (offset + 4) + ": block length: 47 bytes (expected: a multiple of 4");
        }
    }

    @Test
    void aCapturedLengthLargerThanItsBlockIsCorrupt() throws IOException {
        CaptureWriter writer = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 0, -1, 0);
        int offset = writer.size();
        Path file = writer.block(6, writer.body().u32(0).u32(0).u32(0).u32(400).u32(400).bytes(new byte[40]))
                .writeTo(dir.resolve("overflow.pcapng"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThatThrownBy(() -> Frames.readAll(source)).isInstanceOf(CaptureFormatException.class)
                    .hasMessageContaining("offset " + (offset + 20) + ": captured length: 400 bytes (expected: at most 40");
        }
    }

    @Test
    void aPacketForAnUndescribedInterfaceIsCorrupt() throws IOException {
        Path file = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 0, -1, 0)
                .enhancedPacket(3, 1, Frames.pattern(20, 0), 20).writeTo(dir.resolve("if3.pcapng"));
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThatThrownBy(() -> Frames.readAll(source)).isInstanceOf(CaptureFormatException.class)
                    .hasMessageContaining("interface id: 3 (expected: less than 1");
        }
    }

    @Test
    void aBadByteOrderMagicIsCorrupt() throws IOException {
        CaptureWriter writer = CaptureWriter.pcapng();
        Path file = writer.block(0x0A0D0D0A, writer.body().u32(0x12345678).u16(1).u16(0).u64(-1))
                .writeTo(dir.resolve("bom.pcapng"));
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            // the magic is shown as its bytes stand in the file (written little-endian here)
            assertThatThrownBy(() -> Frames.readAll(source)).isInstanceOf(CaptureFormatException.class)
                    .hasMessage(file + ": offset 8: byte-order magic: 78563412 (expected: 1a2b3c4d in either byte order)");
        }
    }

    @Test
    void aTruncatedLastBlockIsAWarningAndEverythingBeforeItIsRead() throws IOException {
        CaptureWriter writer = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 0, -1, 0)
                .enhancedPacket(0, 1, Frames.pattern(60, 1), 60);
        int offset = writer.size();
        byte[] whole = writer.enhancedPacket(0, 2, Frames.pattern(60, 2), 60).toByteArray();
        Path file = Files.write(dir.resolve("cut.pcapng"), Arrays.copyOf(whole, whole.length - 10));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThat(Frames.readAll(source)).hasSize(1);
            assertThat(source.warnings()).singleElement().satisfies(warning -> {
                assertThat(warning.offset()).isEqualTo(offset);
                assertThat(warning.message()).startsWith("truncated last block:");
            });
        }
    }

    /**
     * pcapng's side of the lying length that fuzzing found on the stream path (StreamAndGzipTest):
     * a block claiming 100 MB, 212 bytes of it present, costs a warning, not 100 MB of heap.
     */
    @Test
    void aLyingBlockLengthOnAStreamIsACutBlockNotAnAllocation() throws IOException {
        CaptureWriter writer = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 0, -1, 0)
                .enhancedPacket(0, 1, Frames.pattern(60, 1), 60);
        int offset = writer.size();
        byte[] capture = writer.rawBlock(6, 100_000_000, Frames.pattern(200, 2), 100_000_000).toByteArray();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        try (PacketSource source = CaptureFiles.openStream("<stdin>", new ByteArrayInputStream(capture))) {
            assertThat(Frames.readAll(source)).hasSize(1);
            assertThat(source.warnings()).singleElement().satisfies(warning -> {
                assertThat(warning.offset()).isEqualTo(offset);
                assertThat(warning.message()).isEqualTo("truncated last block: 212 of 100000000 bytes present; "
                        + "the capture ends here");
            });
        }
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(8 << 20);
    }
}
