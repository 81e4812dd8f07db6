package dev.tcpstate.bench;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.flow.ConnectionTracker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Heap bytes per tracked connection, all included (table slot, timers, age queues, both views):
 * opens N connections (handshake and a data segment each, none ended), and compares the live
 * heap after a full collection with the heap before. Also the bytes a record waiting for its
 * TIME-WAIT costs: the same N connections closed by the client, held until 2×MSL.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.tcpstate.bench.HeapProbe [N]
 * </pre>
 */
public final class HeapProbe {
    private static final long MS = 1_000_000L;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;

    private final ByteBuffer frame = ByteBuffer.allocate(14 + 20 + 20 + 100).order(ByteOrder.BIG_ENDIAN);
    private final FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
    private final TcpSegment segment = new TcpSegment();
    private final Frame view = new Frame();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        new HeapProbe().run(n);
    }

    private void run(int n) throws InterruptedException {
        AnalysisConfig config = AnalysisConfig.defaults();
        long[] finals = {0};
        ConnectionTracker tracker = new ConnectionTracker(config.likelyServerPorts(), config.timeWaitNanos(),
                config.timeouts(), (record, at) -> finals[0]++);
        tracker.limit(config.maxFlows());
        tracker.reuseConnections();
        // warm the classes and the tables' first sizes, so they do not count
        long time = 1_800_000_000_000_000_000L;
        long before = liveHeap();
        for (int i = 0; i < n; i++) {
            int client = 0x0A64_0000 + i / 20_000;
            int port = 20_000 + i % 20_000;
            time += MS / 100;
            send(tracker, time, client, port, 0x0A63_0001, 80, SYN, 1000, 0, 0);
            send(tracker, time + 1, 0x0A63_0001, 80, client, port, SYN | ACK, 5000, 1001, 0);
            send(tracker, time + 2, client, port, 0x0A63_0001, 80, ACK, 1001, 5001, 0);
            send(tracker, time + 3, client, port, 0x0A63_0001, 80, ACK | PSH, 1001, 5001, 100);
        }
        long open = liveHeap();
        System.out.printf("%,d connections open (tracker holds %,d): %,d bytes of heap each%n", n, tracker.size(),
                (open - before) / n);
        if (Boolean.getBoolean("probe.pause.open")) {
            Thread.sleep(8000); // time for jmap -histo:live on the open connections
        }
        for (int i = 0; i < n; i++) {
            int client = 0x0A64_0000 + i / 20_000;
            int port = 20_000 + i % 20_000;
            time += MS / 100;
            send(tracker, time, client, port, 0x0A63_0001, 80, FIN | ACK, 1101, 5001, 0);
            send(tracker, time + 1, 0x0A63_0001, 80, client, port, FIN | ACK, 5001, 1102, 0);
            send(tracker, time + 2, client, port, 0x0A63_0001, 80, ACK, 1102, 5002, 0);
        }
        // past Zeek's close delay, inside 2×MSL: every record is logged and waits for its TIME-WAIT
        send(tracker, time + 10_000 * MS, 0x0A01_0001, 1, 0x0A01_0002, 2, ACK, 1, 1, 0);
        long held = liveHeap();
        System.out.printf("%,d records waiting for their TIME-WAIT (tracker holds %,d open, %,d remembered, %,d final)"
                + ": %,d bytes of heap each%n", n, tracker.size(), tracker.remembered(), finals[0],
                (held - before) / n);
        if (Boolean.getBoolean("probe.pause")) {
            Thread.sleep(5000); // time for jmap -histo:live
        }
        tracker.finish(time + 10_000 * MS);
    }

    private void send(ConnectionTracker tracker, long time, int source, int sourcePort, int destination,
            int destinationPort, int flags, int seq, int ack, int payload) {
        frame.clear();
        frame.putLong(0x0200_0000_0002_0200L).putInt(0x0000_0001).putShort((short) 0x0800);
        frame.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payload)).putShort((short) 0)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).putInt(source)
                .putInt(destination);
        frame.putShort((short) sourcePort).putShort((short) destinationPort).putInt(seq).putInt(ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            frame.put((byte) 0);
        }
        int length = frame.position();
        view.wrap(frame, 0, length, length, time, 1);
        if (decoder.decode(view, segment) != DecodeResult.TCP) {
            throw new IllegalStateException("not TCP");
        }
        tracker.packet(segment, false);
    }

    /** Heap in use after full collections have settled. */
    private static long liveHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
