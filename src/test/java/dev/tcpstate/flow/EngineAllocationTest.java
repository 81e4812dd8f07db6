package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.testing.TrafficScript;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine allocates per connection, never per packet: both views of a connection (Zeek's and
 * the RFC machine), the flow table, the timers and the history take every packet of a long data
 * transfer without allocating, as the JVM's per-thread allocation counter shows.
 */
class EngineAllocationTest {
    private static final long MS = 1_000_000L;

    @Test
    void aLongTransferAllocatesNothingPerPacket(@TempDir Path dir) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "no allocation counter in this JVM");
        Path capture = transfers(dir.resolve("transfer.pcap"), 4, 12_000);

        run(capture, threads); // a first pass pays for class loading and first-use linking
        long[] measured = run(capture, threads);
        long packets = measured[0];
        long records = measured[1];
        long allocated = measured[2];

        assertThat(packets).isEqualTo(4 * (2L * 12_000 + 6));
        assertThat(records).isEqualTo(4);
        // what four connections cost once (their state, the table, timer entries), and less than a
        // byte per packet on top: one 16-byte object every 16 packets would fail this
        long perConnectionBudget = 4 * 4096;
        assertThat(allocated).as("bytes allocated over %d packets of %d connections", packets, records)
                .isLessThan(perConnectionBudget + packets);
    }

    /** Returns {packets, records, bytes allocated by tracking them (reading and decoding included)}. */
    private static long[] run(Path capture, com.sun.management.ThreadMXBean threads) throws Exception {
        long[] records = {0};
        ConnectionTracker tracker = new ConnectionTracker(Set.of(), 60_000_000_000L, ZeekRules.Timeouts.ZEEK_DEFAULTS,
                (record, at) -> records[0]++);
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        long packets = 0;
        long thread = Thread.currentThread().getId();
        try (PacketSource source = CaptureFiles.open(capture.toString())) {
            long before = threads.getThreadAllocatedBytes(thread);
            while (source.next(frame)) {
                if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                    tracker.packet(segment, false);
                    packets++;
                }
            }
            tracker.finish(tracker.clock());
            return new long[] {packets, records[0], threads.getThreadAllocatedBytes(thread) - before};
        }
    }

    /** {@code connections} interleaved transfers of {@code segments} 1000-byte segments, each acknowledged. */
    private static Path transfers(Path file, int connections, int segments) {
        TrafficScript script = new TrafficScript();
        for (int c = 0; c < connections; c++) {
            String client = "10.0.0." + (c + 1);
            int port = 40000 + c;
            long t = c * MS;
            long cs = 1000;
            long ss = 900_000;
            script.send(t, client, port, "10.9.0.1", 5001, TcpFlags.SYN, cs, 0, 0);
            script.send(t += MS, "10.9.0.1", 5001, client, port, TcpFlags.SYN | TcpFlags.ACK, ss, cs + 1, 0);
            script.send(t += MS, client, port, "10.9.0.1", 5001, TcpFlags.ACK, cs + 1, ss + 1, 0);
            long seq = cs + 1;
            for (int i = 0; i < segments; i++) {
                script.send(t += MS, client, port, "10.9.0.1", 5001, TcpFlags.PSH | TcpFlags.ACK, seq, ss + 1, 1000);
                seq += 1000;
                script.send(t += MS / 10, "10.9.0.1", 5001, client, port, TcpFlags.ACK, ss + 1, seq, 0);
            }
            script.send(t += MS, client, port, "10.9.0.1", 5001, TcpFlags.FIN | TcpFlags.ACK, seq, ss + 1, 0);
            script.send(t += MS, "10.9.0.1", 5001, client, port, TcpFlags.FIN | TcpFlags.ACK, ss + 1, seq + 1, 0);
            script.send(t + MS, client, port, "10.9.0.1", 5001, TcpFlags.ACK, seq + 1, ss + 2, 0);
        }
        return script.writeTo(file);
    }
}
