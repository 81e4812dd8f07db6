package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Frames;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PcapReaderTest {
    @TempDir
    Path dir;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 262_144L),
                Arguments.of(ByteOrder.BIG_ENDIAN, 0xA1B2C3D4, 65_535L),
                Arguments.of(ByteOrder.LITTLE_ENDIAN, 0xA1B23C4D, 96L),
                Arguments.of(ByteOrder.BIG_ENDIAN, 0xA1B23C4D, 0x7FFF_FFFFL));
    }

    @ParameterizedTest(name = "{0} magic {1} snaplen {2}")
    @MethodSource("variants")
    void readsEveryRecordWithExactTimestampsInEitherByteOrderAndResolution(ByteOrder order, int magic, long snaplen)
            throws IOException {
        boolean nanos = magic == 0xA1B23C4D;
        byte[] first = Frames.pattern(60, 1);
        byte[] second = Frames.pattern(90, 2);
        byte[] empty = new byte[0];
        Path file = CaptureWriter.pcap(order, magic, snaplen, 1)
                .record(1_700_000_000L, nanos ? 123_456_789 : 123_456, first, 60)
                .record(1_700_000_001L, nanos ? 999_999_999 : 999_999, second, 1514)
                .record(4_000_000_000L, 0, empty, 0)
                .writeTo(dir.resolve("variant.pcap"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            List<Frames.Copy> frames = Frames.readAll(source);

            assertThat(frames).containsExactly(
                    new Frames.Copy(1, 1_700_000_000_123_456_789L - (nanos ? 0 : 789), 1, 0, 60, first),
                    new Frames.Copy(2, 1_700_000_001_999_999_999L - (nanos ? 0 : 999), 1, 0, 1514, second),
                    // seconds are unsigned 32-bit: 4e9 is after 2038, not before 1970
                    new Frames.Copy(3, 4_000_000_000_000_000_000L, 1, 0, 0, empty));
            assertThat(source.warnings()).isEmpty();
            assertThat(source.format()).isEqualTo("pcap");
            assertThat(source.details()).contains(order == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian")
                    .contains(nanos ? "nanosecond" : "microsecond").contains("snaplen " + snaplen);
        }
    }

    @Test
    void readsTheModifiedFormatWithItsLongerRecordHeaders() throws IOException {
        byte[] data = Frames.pattern(54, 3);
        Path file = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2CD34, 65_535, 1)
                .modifiedRecord(10, 5, data).modifiedRecord(11, 6, data).writeTo(dir.resolve("modified.pcap"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            List<Frames.Copy> frames = Frames.readAll(source);
            assertThat(frames).extracting(Frames.Copy::timestampNanos).containsExactly(10_000_005_000L, 11_000_006_000L);
            assertThat(frames.get(1).data()).isEqualTo(data);
        }
    }

    @Test
    void masksTheFcsBitsOutOfTheLinkTypeField() throws IOException {
        // Bits 28..31 of the link-type field say whether frames carry an FCS (pcap spec).
        Path file = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 65_535, 0x1400_0001)
                .record(1, 0, Frames.pattern(64, 0), 64).writeTo(dir.resolve("fcs.pcap"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThat(Frames.readAll(source)).extracting(Frames.Copy::linkType).containsExactly(1);
        }
    }

    @Test
    void aHeaderOnlyFileHasNoFrames() throws IOException {
        Path file = CaptureWriter.pcap(1).writeTo(dir.resolve("empty.pcap"));
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThat(Frames.readAll(source)).isEmpty();
            assertThat(source.warnings()).isEmpty();
        }
    }

    @Test
    void aTruncatedLastRecordIsAWarningAndEverythingBeforeItIsRead() throws IOException {
        CaptureWriter writer = CaptureWriter.pcap(1).record(1, 0, Frames.pattern(80, 1), 80);
        int cutRecordOffset = writer.size();
        byte[] whole = writer.record(2, 0, Frames.pattern(80, 2), 80).toByteArray();
        Path file = dir.resolve("cut.pcap");
        java.nio.file.Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 30));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThat(Frames.readAll(source)).hasSize(1);
            assertThat(source.warnings()).singleElement().satisfies(warning -> {
                assertThat(warning.offset()).isEqualTo(cutRecordOffset);
                assertThat(warning.message()).contains("truncated last record").contains("66 of 96 bytes");
            });
        }
    }

    @Test
    void aTruncatedLastRecordHeaderIsAWarning() throws IOException {
        CaptureWriter writer = CaptureWriter.pcap(1).record(1, 0, Frames.pattern(80, 1), 80);
        int offset = writer.size();
        Path file = writer.u32(2).u32(0).writeTo(dir.resolve("cut-header.pcap"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThat(Frames.readAll(source)).hasSize(1);
            assertThat(source.warnings()).singleElement()
                    .satisfies(warning -> assertThat(warning.offset()).isEqualTo(offset))
                    .satisfies(warning -> assertThat(warning.message()).contains("record header: 8 of 16 bytes"));
        }
    }

    @Test
    void aRecordLongerThanTheSnaplenIsCorruptWithItsOffset() throws IOException {
        CaptureWriter writer = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 128, 1)
                .record(1, 0, Frames.pattern(100, 1), 100);
        int offset = writer.size();
        Path file = writer.recordHeader(2, 0, 129, 129).bytes(Frames.pattern(129, 2)).writeTo(dir.resolve("long.pcap"));

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThatThrownBy(() -> Frames.readAll(source)).isInstanceOf(CaptureFormatException.class)
                    .hasMessage(file + ": offset " + (offset + 8)
                            + ": record length: 129 bytes (expected: at most the snaplen, 128 bytes)");
        }
    }

    @Test
    void aRecordLengthBeyondAnySnaplenIsCorruptEvenNearTheEndOfTheFile() throws IOException {
        Path file = CaptureWriter.pcap(1).recordHeader(1, 0, 0xFFFF_FFF0L, 60).bytes(Frames.pattern(60, 1))
                .writeTo(dir.resolve("huge.pcap"));
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            assertThatThrownBy(() -> Frames.readAll(source)).isInstanceOf(CaptureFormatException.class)
                    .hasMessageContaining("offset 32: record length: 4294967280 bytes");
        }
    }

    @Test
    void aRecordLongerThanTheWholeFileIsCorruptNotACutOffCapture() throws IOException {
        // the snaplen allows it, but a record longer than libpcap's largest snaplen and than the
        // whole file is no cut-off capture
        CaptureWriter writer = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 0x7FFF_FFFF, 1)
                .record(1, 0, Frames.pattern(60, 1), 60);
        int offset = writer.size();
        Path file = writer.recordHeader(2, 0, 300_000, 300_000).bytes(Frames.pattern(500, 2))
                .writeTo(dir.resolve("longer-than-file.pcap"));
        long size = java.nio.file.Files.size(file);

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            Frame frame = new Frame();
            assertThat(source.next(frame)).isTrue();
            assertThatThrownBy(() -> source.next(frame)).isInstanceOf(CaptureFormatException.class)
                    .hasMessage(file + ": offset " + (offset + 8) + ": record length: 300000 bytes (expected: at most the "
                            + size + " bytes of the whole file)");
        }
    }

    @Test
    void aWrongMagicNamesTheFileTheOffsetAndWhatWasExpected() throws IOException {
        Path file = dir.resolve("text.pcap");
        java.nio.file.Files.writeString(file, "hello, this is not a capture");
        assertThatThrownBy(() -> CaptureFiles.open(file.toString())).isInstanceOf(CaptureFormatException.class)
                .hasMessage(file + ": offset 0: magic: 68656c6c (expected: pcap a1b2c3d4/a1b23c4d (either byte "
                        + "order), pcapng 0a0d0d0a, or gzip 1f8b)");
    }

    @Test
    void aTruncatedFileHeaderIsCorrupt() throws IOException {
        byte[] header = CaptureWriter.pcap(1).toByteArray();
        Path file = dir.resolve("short.pcap");
        java.nio.file.Files.write(file, java.util.Arrays.copyOf(header, 20));
        assertThatThrownBy(() -> CaptureFiles.open(file.toString())).isInstanceOf(CaptureFormatException.class)
                .hasMessage(file + ": offset 0: file header: 20 bytes (expected: 24 bytes of pcap file header)");
    }

    @Test
    void anEmptyFileIsCorrupt() throws IOException {
        Path file = dir.resolve("empty");
        java.nio.file.Files.write(file, new byte[0]);
        assertThatThrownBy(() -> CaptureFiles.open(file.toString())).isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("offset 0: file: empty");
    }

    @Test
    void anUnknownMajorVersionIsCorrupt() throws IOException {
        byte[] header = CaptureWriter.pcap(1).toByteArray();
        header[4] = 3;
        Path file = java.nio.file.Files.write(dir.resolve("v3.pcap"), header);
        assertThatThrownBy(() -> CaptureFiles.open(file.toString())).isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("offset 4: version: 3.4 (expected: 2.x)");
    }

    @Test
    void missingFilesAndDirectoriesAreReportedByName() {
        assertThatThrownBy(() -> CaptureFiles.open(dir.resolve("absent.pcap").toString()))
                .isInstanceOf(IOException.class).hasMessageEndingWith("absent.pcap: no such file");
        assertThatThrownBy(() -> CaptureFiles.open(dir.toString()))
                .isInstanceOf(IOException.class).hasMessageContaining("is a directory");
    }
}
