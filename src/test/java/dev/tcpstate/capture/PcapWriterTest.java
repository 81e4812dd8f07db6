package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch --write}'s file: at every moment it ends on a record boundary, so a process killed
 * at any point leaves a capture the readers take whole; what was written reads back as written.
 */
class PcapWriterTest {
    private static final int SNAPLEN = 65_535;
    private static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    @Test
    void theFileOnDiskEndsOnARecordBoundaryAfterEveryWrite() throws Exception {
        Path file = dir.resolve("out.pcap");
        Random random = new Random(7);
        Set<Long> boundaries = new HashSet<>(List.of(24L));
        long end = 24;
        Frame frame = new Frame();
        try (PcapWriter writer = PcapWriter.create(file, LinkType.EN10MB.code(), SNAPLEN)) {
            for (int i = 0; i < 1500; i++) {
                int length = 1 + random.nextInt(i % 100 == 0 ? SNAPLEN : 1500);
                writer.write(frame.wrap(ByteBuffer.wrap(new byte[length + 3]), 3, length, length + 10, T0 + i, 1));
                end += 16 + length;
                boundaries.add(end);
                assertThat(boundaries).as("file size after frame %d", i + 1).contains(Files.size(file));
            }
            writer.flush();
            assertThat(Files.size(file)).as("flush writes everything").isEqualTo(end);
        }
        assertThat(Files.size(file)).isEqualTo(end);
    }

    @Test
    void whatIsWrittenReadsBackAsWrittenWithNoWarning() throws Exception {
        Path file = dir.resolve("out.pcap");
        List<byte[]> written = new ArrayList<>();
        Frame frame = new Frame();
        try (PcapWriter writer = PcapWriter.create(file, LinkType.EN10MB.code(), SNAPLEN)) {
            for (int i = 0; i < 300; i++) {
                byte[] bytes = new byte[60 + i * 200];
                new Random(i).nextBytes(bytes);
                written.add(bytes);
                writer.write(frame.wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, T0 + i * 1_000L, 1));
            }
            assertThat(writer.frames()).isEqualTo(300);
        }
        try (PacketSource source = CaptureFiles.open(file.toString())) {
            Frame read = new Frame();
            int n = 0;
            while (source.next(read)) {
                assertThat(read.copyBytes()).as("frame %d", n + 1).isEqualTo(written.get(n));
                assertThat(read.timestampNanos()).isEqualTo(T0 + n * 1_000L);
                n++;
            }
            assertThat(n).isEqualTo(300);
            assertThat(source.warnings()).isEmpty();
        }
    }
}
