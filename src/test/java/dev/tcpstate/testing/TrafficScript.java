package dev.tcpstate.testing;

import dev.tcpstate.decode.TcpFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Synthetic TCP traffic for detector tests: whole connection lifecycles (clean closes by either
 * side, refusals, unanswered SYNs with retries, spoofed SYNs, peers that vanish, unsolicited
 * SYN-ACKs), written as one Ethernet pcap in time order. Times are nanoseconds.
 */
public final class TrafficScript {
    private static final long MS = 1_000_000L;

    private record Packet(long time, long order, byte[] bytes) {
    }

    private final List<Packet> packets = new ArrayList<>();
    private long order;

    /** One segment from {@code src} to {@code dst}. */
    public TrafficScript send(long time, String src, int srcPort, String dst, int dstPort, int flags, long seq, long ack,
            int payload) {
        PacketBuilder builder = PacketBuilder.tcp().ipv4(src, dst).ports(srcPort, dstPort).flags(flags).seq((int) seq)
                .ack((int) ack).window(65535);
        if (payload > 0) {
            builder.payload(payload);
        }
        packets.add(new Packet(time, order++, builder.build().bytes()));
        return this;
    }

    /**
     * A whole connection: handshake (RTT {@code rtt}), 100 bytes each way, then a close begun by the
     * client ({@code clientClosesFirst}) or the server.
     */
    public TrafficScript connection(long start, String client, int clientPort, String server, int serverPort, long rtt,
            boolean clientClosesFirst) {
        long c = 1000;
        long s = 5000;
        long t = start;
        send(t, client, clientPort, server, serverPort, TcpFlags.SYN, c, 0, 0);
        send(t += rtt / 2, server, serverPort, client, clientPort, TcpFlags.SYN | TcpFlags.ACK, s, c + 1, 0);
        send(t += rtt / 2, client, clientPort, server, serverPort, TcpFlags.ACK, c + 1, s + 1, 0);
        send(t += MS, client, clientPort, server, serverPort, TcpFlags.PSH | TcpFlags.ACK, c + 1, s + 1, 100);
        send(t += rtt / 2, server, serverPort, client, clientPort, TcpFlags.PSH | TcpFlags.ACK, s + 1, c + 101, 100);
        long cf = c + 101;
        long sf = s + 101;
        if (clientClosesFirst) {
            send(t += rtt / 2, client, clientPort, server, serverPort, TcpFlags.FIN | TcpFlags.ACK, cf, sf, 0);
            send(t += rtt / 2, server, serverPort, client, clientPort, TcpFlags.FIN | TcpFlags.ACK, sf, cf + 1, 0);
            send(t + rtt / 2, client, clientPort, server, serverPort, TcpFlags.ACK, cf + 1, sf + 1, 0);
        } else {
            send(t += rtt / 2, server, serverPort, client, clientPort, TcpFlags.FIN | TcpFlags.ACK, sf, cf, 0);
            send(t += rtt / 2, client, clientPort, server, serverPort, TcpFlags.FIN | TcpFlags.ACK, cf, sf + 1, 0);
            send(t + rtt / 2, server, serverPort, client, clientPort, TcpFlags.ACK, sf + 1, cf + 1, 0);
        }
        return this;
    }

    /** The same SYN sent at each of {@code times}; nothing answers. */
    public TrafficScript unanswered(String client, int clientPort, String server, int serverPort, long... times) {
        for (long time : times) {
            send(time, client, clientPort, server, serverPort, TcpFlags.SYN, 777, 0, 0);
        }
        return this;
    }

    /** A SYN answered by RST-ACK: nothing listens. */
    public TrafficScript refused(long time, String client, int clientPort, String server, int serverPort) {
        send(time, client, clientPort, server, serverPort, TcpFlags.SYN, 100, 0, 0);
        return send(time + MS, server, serverPort, client, clientPort, TcpFlags.RST | TcpFlags.ACK, 0, 101, 0);
    }

    /** A (spoofed) SYN the server answers with a SYN-ACK that is never acknowledged. */
    public TrafficScript spoofedSyn(long time, String source, int sourcePort, String server, int serverPort) {
        send(time, source, sourcePort, server, serverPort, TcpFlags.SYN, 42, 0, 0);
        return send(time + MS / 10, server, serverPort, source, sourcePort, TcpFlags.SYN | TcpFlags.ACK, 9000, 43, 0);
    }

    /** A SYN-ACK from {@code host} towards an address that never sent a SYN. */
    public TrafficScript unsolicitedSynAck(long time, String host, int port, String target, int targetPort) {
        return send(time, host, port, target, targetPort, TcpFlags.SYN | TcpFlags.ACK, 9000, 4242, 0);
    }

    /**
     * A connection whose server vanishes after the handshake: the client sends 100 bytes and
     * retransmits them {@code copies} times; with {@code resetAtEnd} the server's host answers RST.
     */
    public TrafficScript vanishingServer(long start, String client, int clientPort, String server, int serverPort,
            int copies, boolean resetAtEnd) {
        long t = start;
        send(t, client, clientPort, server, serverPort, TcpFlags.SYN, 1000, 0, 0);
        send(t += MS, server, serverPort, client, clientPort, TcpFlags.SYN | TcpFlags.ACK, 5000, 1001, 0);
        send(t += MS, client, clientPort, server, serverPort, TcpFlags.ACK, 1001, 5001, 0);
        long rto = 200 * MS;
        for (int i = 0; i <= copies; i++) {
            send(t += rto, client, clientPort, server, serverPort, TcpFlags.PSH | TcpFlags.ACK, 1001, 5001, 100);
            rto *= 2;
        }
        if (resetAtEnd) {
            send(t + MS, server, serverPort, client, clientPort, TcpFlags.RST, 5001, 0, 0);
        }
        return this;
    }

    /** Everything so far, in time order, as an Ethernet pcap with nanosecond timestamps. */
    public Path writeTo(Path file) {
        CaptureWriter writer = CaptureWriter.pcap(java.nio.ByteOrder.LITTLE_ENDIAN, 0xA1B23C4D, 262_144, 1);
        packets.sort(Comparator.comparingLong(Packet::time).thenComparingLong(Packet::order));
        for (Packet packet : packets) {
            writer.record(packet.time() / 1_000_000_000L, packet.time() % 1_000_000_000L, packet.bytes(),
                    packet.bytes().length);
        }
        return writer.writeTo(file);
    }

    public int size() {
        return packets.size();
    }
}
