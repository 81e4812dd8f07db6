package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.testing.HeapWatchdog;
import dev.tcpstate.testing.JavaProcess;
import dev.tcpstate.testing.PacketBuilder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ten million spoofed SYNs, ten million four-tuples, through the engine in a JVM whose heap is
 * sized for the cap and not for the flood. A watchdog samples the heap live after each
 * collection; if anything the engine keeps grew with the flows instead of the cap, the child
 * would run out of memory or the watchdog would see it. (This measures the engine;
 * {@code StreamingMemoryTest} measures the commands.)
 */
class FloodWatchdogTest {
    private static final int FLOWS = 10_000_000;
    private static final int CAP = 50_000;
    /** About 1 KB per tracked connection, plus the JVM's own: what the cap allows and no more. */
    private static final long LIVE_BOUND = 120L << 20;

    @Test
    void tenMillionFlowsStayUnderTheCap() throws Exception {
        JavaProcess.Result result = JavaProcess.run(List.of("-Xmx192m", "-XX:+UseSerialGC"), Flood.class,
                Integer.toString(FLOWS), Integer.toString(CAP));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        // logged records, tracked at the most, remembered at the most, evictions, live heap at the most
        String[] numbers = result.stdout().strip().split(" ");
        assertThat(Long.parseLong(numbers[0])).as("every flow logged once").isEqualTo(FLOWS);
        assertThat(Long.parseLong(numbers[1])).as("tracked at once").isEqualTo(CAP);
        assertThat(Long.parseLong(numbers[2])).as("remembered at once").isLessThanOrEqualTo(CAP);
        assertThat(Long.parseLong(numbers[3])).as("evicted").isGreaterThan(FLOWS - 2L * CAP);
        assertThat(Long.parseLong(numbers[4])).as("heap live after a collection, at the most").isLessThan(LIVE_BOUND)
                .isGreaterThan(0);
    }

    /** The child: feeds the flood and prints what the watchdog and the tracker saw. */
    public static final class Flood {
        public static void main(String[] args) throws Exception {
            int flows = Integer.parseInt(args[0]);
            int cap = Integer.parseInt(args[1]);
            long[] logged = new long[1];
            ConnectionTracker tracker = new ConnectionTracker(Set.of(80), 60_000_000_000L, ZeekRules.Timeouts.ZEEK_DEFAULTS,
                    (record, at) -> logged[0]++);
            tracker.limit(cap);
            HeapWatchdog watchdog = new HeapWatchdog();
            watchdog.start();
            byte[] syn = PacketBuilder.tcp().ipv4("10.0.0.1", "10.99.0.1").ports(1024, 80).flags(TcpFlags.SYN)
                    .window(1024).build().bytes();
            ByteBuffer buffer = ByteBuffer.wrap(syn);
            Frame frame = new Frame();
            TcpSegment segment = new TcpSegment();
            FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
            int mostTracked = 0;
            int mostRemembered = 0;
            for (int i = 0; i < flows; i++) {
                // a new source address and port each time: every SYN is its own four-tuple
                buffer.putInt(26, 0x0A00_0000 | (i & 0xFF_FFFF));
                buffer.putShort(34, (short) (1024 + (i >>> 24)));
                buffer.putInt(38, i); // its own sequence number
                // 100,000 SYNs a second of packet time: 100 s for ten million
                frame.wrap(buffer, 0, syn.length, syn.length, 1_000_000_000L + i * 10_000L, 1);
                if (decoder.decode(frame, segment) != DecodeResult.TCP) {
                    throw new IllegalStateException("the SYN did not decode");
                }
                tracker.packet(segment, false);
                if ((i & 1023) == 0) {
                    mostTracked = Math.max(mostTracked, tracker.size());
                    mostRemembered = Math.max(mostRemembered, tracker.remembered());
                }
            }
            mostTracked = Math.max(mostTracked, tracker.size());
            tracker.finish(tracker.clock());
            watchdog.interrupt();
            watchdog.join();
            System.out.println(logged[0] + " " + mostTracked + " " + mostRemembered + " " + tracker.evictions() + " "
                    + watchdog.mostLive());
        }
    }
}
