package dev.tcpstate.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.testing.Environment;
import java.lang.management.ManagementFactory;
import dev.tcpstate.testing.PacketBuilder;
import dev.tcpstate.testing.TunnelFrames;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void decodingTunnelsAndReassemblingTheirOuterFragmentsAllocatesNothingPerFrame() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "no allocation counter in this JVM");
        // every tunnel once, then a GTP-U datagram in three outer fragments, over and over
        List<Frame> frames = new ArrayList<>();
        for (byte[] bytes : TunnelDecodingTest.sampleFrames()) {
            frames.add(new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, 0, 1));
        }
        byte[] inner = PacketBuilder.tcp().raw(101).ipv4("10.2.2.2", "10.1.1.1").payload(1200).build().bytes();
        byte[] udp = TunnelFrames.udp(TunnelFrames.address("192.0.2.1"), TunnelFrames.address("192.0.2.2"), 2152, 2152,
                TunnelFrames.gtpU(0, 0, inner));
        for (byte[] fragment : TunnelFrames.fragments("192.0.2.1", "192.0.2.2", 17, 77, udp, 512)) {
            byte[] bytes = TunnelFrames.ethernet(0x0800, fragment);
            frames.add(new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, 0, 1));
        }
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.VALIDATE);
        TcpSegment segment = new TcpSegment();
        decodeAll(frames, decoder, segment, 1000); // class loading, first use, the reassembler's buffers
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        long decoded = decodeAll(frames, decoder, segment, 2000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        long count = 2000L * frames.size();
        assertThat(decoded).as("TCP segments from tunnels").isEqualTo(2000L * (frames.size() - 2));
        assertThat(allocated).as("bytes allocated over %d frames", count).isLessThan(count);
    }

    private static long decodeAll(List<Frame> frames, FrameDecoder decoder, TcpSegment segment, int rounds) {
        long tcp = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < frames.size(); i++) {
                if (decoder.decode(frames.get(i), segment) == DecodeResult.TCP) {
                    tcp++;
                }
            }
        }
        return tcp;
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
