package dev.tcpstate.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.testing.Environment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path allocates nothing: reading a capture file and decoding every frame is
 * measured with the JVM's per-thread allocation counter, which counts every byte allocated.
 */
class ZeroAllocationTest {
    @Test
    void readingAndDecodingARealCaptureAllocatesNothingPerFrame() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "no allocation counter in this JVM");
        Path sample = Environment.samples().resolve("time-wait-burst.pcap");
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.VALIDATE);
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();

        // a first pass pays for class loading and first-use linking of every code path
        readAndDecode(sample, decoder, frame, segment, threads);

        long[] measured = readAndDecode(sample, decoder, frame, segment, threads);
        long frames = measured[0];
        long allocated = measured[1];

        assertThat(frames).isGreaterThan(10_000);
        // Less than one byte per frame: the smallest object is 16 bytes, so even one object every
        // 16 frames fails this, while a one-off (the JIT recompiling mid-loop: about 1 KB seen
        // in the full suite) does not.
        assertThat(allocated).as("bytes allocated over %d frames", frames).isLessThan(frames);
    }

    /** Reads the whole capture; returns {frames, bytes allocated by the loop, not by opening}. */
    private static long[] readAndDecode(Path sample, FrameDecoder decoder, Frame frame, TcpSegment segment,
            com.sun.management.ThreadMXBean threads) throws Exception {
        try (PacketSource source = CaptureFiles.open(sample.toString())) {
            long thread = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(thread);
            long frames = 0;
            long tcp = 0;
            while (source.next(frame)) {
                frames++;
                if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                    tcp++;
                }
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertThat(tcp).isPositive().isLessThanOrEqualTo(frames);
            return new long[] {frames, allocated};
        }
    }
}
