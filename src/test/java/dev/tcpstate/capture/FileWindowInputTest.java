package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files are read in windows; records must come out whole across window ends. */
class FileWindowInputTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "window of {0} bytes")
    @ValueSource(longs = {1, 7, 64, 100, 1000, 4096})
    void recordsCrossingWindowEndsComeOutWhole(long window) throws IOException {
        Random random = new Random(window);
        CaptureWriter pcap = CaptureWriter.pcap(1);
        CaptureWriter pcapng = CaptureWriter.pcapng().section(ByteOrder.BIG_ENDIAN).interfaceBlock(1, 0, -1, 0);
        for (int i = 0; i < 200; i++) {
            byte[] data = Frames.pattern(random.nextInt(300), i);
            pcap.record(i, 0, data, data.length);
            pcapng.enhancedPacket(0, i, data, data.length);
        }
        for (CaptureWriter writer : List.of(pcap, pcapng)) {
            Path file = writer.writeTo(dir.resolve("windows"));
            List<Frames.Copy> expected;
            try (PacketSource whole = CaptureFiles.open(file.toString())) {
                expected = Frames.readAll(whole);
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try (PacketSource windowed = CaptureFiles.forMagic(file.toString(), new FileWindowInput(channel, (int) window))) {
                assertThat(Frames.readAll(windowed)).hasSize(200).isEqualTo(expected);
            }
        }
    }

    /**
     * A real file past 2 GiB (past any int offset), made sparse so it costs no disk: record
     * headers are written at their offsets and the payloads in between are holes reading as zero,
     * except for a marker in each record's last four bytes.
     */
    @Test
    void readsFilesLargerThanTwoGibibytes() throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).getUsableSpace() > (64L << 20),
                "needs a little free space in the temp directory for a sparse file");
        int payload = 256 * 1024 - 1024;
        int records = 9000; // 9000 * 255 KiB ≈ 2.2 GiB
        Path file = dir.resolve("big.pcap");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            channel.write(ByteBuffer.wrap(CaptureWriter.pcap(1).toByteArray()));
            long position = 24;
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer marker = ByteBuffer.allocate(4);
            for (int i = 0; i < records; i++) {
                header.clear();
                header.putInt(i).putInt(0).putInt(payload).putInt(payload).flip();
                channel.write(header, position);
                marker.clear();
                marker.putInt(i).flip();
                channel.write(marker, position + 16 + payload - 4);
                position += 16 + payload;
            }
        }
        assertThat(Files.size(file)).isGreaterThan(Integer.MAX_VALUE);

        try (PacketSource source = CaptureFiles.open(file.toString())) {
            Frame frame = new Frame();
            int count = 0;
            long lastOffset = 0;
            while (source.next(frame)) {
                assertThat(frame.capturedLength()).isEqualTo(payload);
                assertThat(frame.buffer().getInt(frame.offset() + payload - 4)).as("marker of record %d", count)
                        .isEqualTo(count);
                assertThat(frame.timestampNanos()).isEqualTo(count * 1_000_000_000L);
                lastOffset = frame.sourceOffset();
                count++;
            }
            assertThat(count).isEqualTo(records);
            assertThat(lastOffset).isGreaterThan(Integer.MAX_VALUE);
            assertThat(source.warnings()).isEmpty();
        }
    }
}
