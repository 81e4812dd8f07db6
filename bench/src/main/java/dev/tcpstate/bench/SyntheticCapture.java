package dev.tcpstate.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes a large synthetic capture (Ethernet, IPv4, TCP with valid checksums, nanosecond pcap)
 * for benchmarks: many interleaved connections with whole lifecycles (clean closes by either
 * side, resets, refusals, silent peers that leave retransmissions) and a spoofed SYN flood.
 * Deterministic for a seed.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.tcpstate.bench.SyntheticCapture OUT.pcap CONNECTIONS [FLOOD_SYNS] [SEED]
 * </pre>
 */
public final class SyntheticCapture {
    private static final long MS = 1_000_000L;
    private static final int SERVER = 0x0A_63_00_01; // 10.99.0.1, servers 10.99.0.1-8
    private static final int CLIENT_NET = 0x0A_64_00_00; // 10.100.0.0/16
    private static final int SPOOF_NET = 0x0A_65_00_00; // 10.101.0.0/16
    private static final int WIDE_SPOOF_NET = 0xAC_10_00_00; // 172.16.0.0/12

    /** A packet waiting for its time; connections schedule their packets ahead. */
    private record Packet(long time, long order, int src, int dst, int sport, int dport, int flags, int seq, int ack,
            int length) {
    }

    private final PriorityQueue<Packet> pending = new PriorityQueue<>((a, b) -> a.time != b.time
            ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
    private final SplittableRandom random;
    private final OutputStream out;
    private final ByteBuffer frame = ByteBuffer.allocate(14 + 20 + 20 + 1460).order(ByteOrder.BIG_ENDIAN);
    private final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private long order;
    private boolean wideSpoofing;
    private long written;

    private SyntheticCapture(OutputStream out, long seed) {
        this.out = out;
        this.random = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: SyntheticCapture OUT.pcap CONNECTIONS [FLOOD_SYNS] [SEED] [wide]");
            System.err.println("  wide: spoof flood sources from 172.16.0.0/12 (about 1 M addresses), not 10.101.0.0/16");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int connections = Integer.parseInt(args[1]);
        int flood = args.length > 2 ? Integer.parseInt(args[2]) : connections / 10;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            SyntheticCapture capture = new SyntheticCapture(stream, seed);
            capture.wideSpoofing = args.length > 4 && args[4].equals("wide");
            capture.header();
            long packets = capture.generate(connections, flood);
            System.err.printf("wrote %s: %,d packets, %,d connections, %,d spoofed SYNs%n", file, packets, connections,
                    flood);
        }
    }

    private void header() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xA1B23C4D).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144).putInt(1);
        out.write(h.array());
    }

    /** Connections start 20,000 a second; the flood runs through the middle third. */
    private long generate(int connections, int flood) throws IOException {
        long start = 1_800_000_000L * 1_000_000_000L;
        long spacing = 50_000; // ns between connection starts
        long floodStart = start + connections * spacing / 3;
        long floodSpacing = Math.max(1, connections * spacing / 3 / Math.max(1, flood));
        int f = 0;
        for (int c = 0; c < connections; c++) {
            long t = start + c * spacing;
            while (f < flood && floodStart + f * floodSpacing <= t) {
                spoofed(floodStart + f * floodSpacing, f);
                f++;
            }
            connection(t, c);
            flushUntil(t);
        }
        while (f < flood) {
            spoofed(floodStart + f * floodSpacing, f);
            f++;
        }
        flushUntil(Long.MAX_VALUE);
        return written;
    }

    private void connection(long t, int c) {
        int client = CLIENT_NET | (c % 60_000 + 1);
        int server = SERVER + c % 8;
        int sport = 20_000 + (c / 60_000) % 40_000;
        int dport = 443;
        int ci = random.nextInt();
        int si = random.nextInt();
        long rtt = MS / 2 + random.nextLong(2 * MS);
        int kind = random.nextInt(100);
        add(t, client, server, sport, dport, SYN, ci, 0, 0);
        if (kind < 3) { // refused
            add(t + rtt / 2, server, client, dport, sport, RST | ACK, 0, ci + 1, 0);
            return;
        }
        add(t + rtt / 2, server, client, dport, sport, SYN | ACK, si, ci + 1, 0);
        long u = t + rtt;
        add(u, client, server, sport, dport, ACK, ci + 1, si + 1, 0);
        int cs = ci + 1;
        int ss = si + 1;
        int exchanges = 1 + random.nextInt(6);
        for (int e = 0; e < exchanges; e++) {
            int request = 100 + random.nextInt(400);
            int response = 200 + random.nextInt(1260);
            add(u += MS, client, server, sport, dport, PSH | ACK, cs, ss, request);
            cs += request;
            add(u += rtt / 2, server, client, dport, sport, PSH | ACK, ss, cs, response);
            ss += response;
            add(u += rtt / 2, client, server, sport, dport, ACK, cs, ss, 0);
        }
        if (kind < 6) { // reset by the server
            add(u + MS, server, client, dport, sport, RST | ACK, ss, cs, 0);
        } else if (kind < 8) { // the server vanishes: the client retransmits into silence
            long rto = 200 * MS;
            for (int r = 0; r < 4; r++) {
                add(u += rto, client, server, sport, dport, PSH | ACK, cs, ss, 100);
                rto *= 2;
            }
        } else if (kind < 60) { // the client closes first
            add(u += MS, client, server, sport, dport, FIN | ACK, cs, ss, 0);
            add(u += rtt / 2, server, client, dport, sport, FIN | ACK, ss, cs + 1, 0);
            add(u + rtt / 2, client, server, sport, dport, ACK, cs + 1, ss + 1, 0);
        } else { // the server closes first
            add(u += MS, server, client, dport, sport, FIN | ACK, ss, cs, 0);
            add(u += rtt / 2, client, server, sport, dport, FIN | ACK, cs, ss + 1, 0);
            add(u + rtt / 2, server, client, dport, sport, ACK, ss + 1, cs + 1, 0);
        }
    }

    private void spoofed(long t, int f) {
        int source = wideSpoofing ? WIDE_SPOOF_NET | (random.nextInt((1 << 20) - 2) + 1)
                : SPOOF_NET | (random.nextInt(65_534) + 1);
        int port = 1024 + random.nextInt(60_000);
        int isn = random.nextInt();
        add(t, source, SERVER, port, 80, SYN, isn, 0, 0);
        add(t + MS / 10, SERVER, source, 80, port, SYN | ACK, random.nextInt(), isn + 1, 0);
    }

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    private void add(long time, int src, int dst, int sport, int dport, int flags, int seq, int ack, int length) {
        pending.add(new Packet(time, order++, src, dst, sport, dport, flags, seq, ack, length));
    }

    private void flushUntil(long time) throws IOException {
        while (!pending.isEmpty() && pending.peek().time() <= time) {
            write(pending.poll());
        }
    }

    private void write(Packet p) throws IOException {
        frame.clear();
        // Ethernet
        frame.putLong(0x0200_0000_0002_0200L).putInt(0x0000_0001).putShort((short) 0x0800);
        int ipLength = 20 + 20 + p.length();
        // IPv4 header
        int ip = frame.position();
        frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(p.src()).putInt(p.dst());
        frame.putShort(ip + 10, (short) checksum(frame.array(), ip, 20, 0));
        // TCP header
        int tcp = frame.position();
        frame.putShort((short) p.sport()).putShort((short) p.dport()).putInt(p.seq()).putInt(p.ack())
                .put((byte) 0x50).put((byte) p.flags()).putShort((short) 65_535).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < p.length(); i++) {
            frame.put((byte) 0);
        }
        long pseudo = ((p.src() >>> 16) & 0xFFFF) + (p.src() & 0xFFFF) + ((p.dst() >>> 16) & 0xFFFF) + (p.dst() & 0xFFFF)
                + 6 + 20 + p.length();
        frame.putShort(tcp + 16, (short) checksum(frame.array(), tcp, 20 + p.length(), pseudo));
        int length = frame.position();
        record.clear();
        record.putInt((int) (p.time() / 1_000_000_000L)).putInt((int) (p.time() % 1_000_000_000L)).putInt(length)
                .putInt(length);
        out.write(record.array());
        out.write(frame.array(), 0, length);
        written++;
    }

    private static int checksum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xFF) << 8) | (data[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
