package dev.tcpstate.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.testing.PacketBuilder;
import dev.tcpstate.testing.PacketBuilder.Packet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes every sample capture with tcpstate and with tshark, an independent dissector, and
 * requires the same frames to be TCP with the same field values. Nothing here knows what the
 * samples contain: they are recorded by someone else and may come and go. Skipped (not failed)
 * when tshark is missing or there are no samples; {@code -Dtcpstate.tshark=PATH} and
 * {@code -Dtcpstate.samples=DIR} point elsewhere.
 */
class TsharkCrossCheckTest {
    private static final Path TSHARK = Path.of(System.getProperty("tcpstate.tshark", "/usr/bin/tshark"));
    private static final Path SAMPLES = Path.of(System.getProperty("tcpstate.samples", "samples"));

    private static final List<String> FIELDS = List.of("frame.number", "frame.protocols", "ip.src", "ip.dst",
            "ipv6.src", "ipv6.dst", "ip.ttl", "ipv6.hlim", "ip.len", "ipv6.plen", "tcp.srcport", "tcp.dstport",
            "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.len", "tcp.window_size_value", "tcp.urgent_pointer",
            "tcp.hdr_len", "tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.sack_perm",
            "tcp.options.sack_le", "tcp.options.sack_re", "tcp.options.timestamp.tsval",
            "tcp.options.timestamp.tsecr");

    /** tshark settings that keep one line per frame with raw values: no reassembly, no relative numbers. */
    private static final List<String> PREFERENCES = List.of("ip.defragment:FALSE", "ipv6.defragment:FALSE",
            "tcp.desegment_tcp_streams:FALSE", "tcp.relative_sequence_numbers:FALSE",
            "tcp.analyze_sequence_numbers:FALSE", "tcp.calculate_timestamps:FALSE");

    private static ExecutorService pool;

    @TempDir
    static Path snapshots;

    @AfterAll
    static void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @TestFactory
    Stream<DynamicTest> everySampleDecodesLikeTshark() throws IOException {
        // Skips are reported as one skipped test (surefire does not show an aborted factory).
        if (!Files.isExecutable(TSHARK)) {
            return skipped("tshark not installed at " + TSHARK);
        }
        if (!Files.isDirectory(SAMPLES)) {
            return skipped("no samples directory at " + SAMPLES.toAbsolutePath());
        }
        List<Path> captures;
        try (Stream<Path> files = Files.list(SAMPLES)) {
            captures = files.filter(Files::isRegularFile).filter(TsharkCrossCheckTest::isCapture).sorted().toList();
        }
        if (captures.isEmpty()) {
            return skipped("no captures in " + SAMPLES.toAbsolutePath() + " yet");
        }

        // Run tshark on a few files at once, each on a private copy: the samples are being written
        // right now, and both decoders must see the same bytes.
        return crossCheckAll(captures);
    }

    /**
     * The same comparison on frames from {@link PacketBuilder}: every encapsulation and the odd
     * cases (padding, snaplen cuts, fragments, IPv4 options, IPv6 extension headers, SACK), so
     * that tshark also vouches for what the samples do not contain.
     */
    @TestFactory
    Stream<DynamicTest> builtFramesDecodeLikeTshark() throws IOException {
        if (!Files.isExecutable(TSHARK)) {
            return skipped("tshark not installed at " + TSHARK);
        }
        // one pcapng with an interface per link type: one tshark start for all of them
        Path file = Files.createDirectories(snapshots.resolve("built")).resolve("built-frames.pcapng");
        Files.write(file, pcapng(builtFrames()));
        return crossCheckAll(List.of(file));
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        }
        return pool;
    }

    private static Stream<DynamicTest> crossCheckAll(List<Path> captures) {
        Map<Path, CompletableFuture<Run>> runs = new LinkedHashMap<>();
        for (Path capture : captures) {
            runs.put(capture, CompletableFuture.supplyAsync(() -> runTshark(capture), pool()));
        }
        return runs.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey().getFileName().toString(),
                () -> crossCheck(entry.getKey(), entry.getValue().get(120, TimeUnit.SECONDS))));
    }

    private static List<Frame> builtFrames() {
        List<Frame> frames = new ArrayList<>();
        FrameDecoderTest.encapsulations()
                // tshark's BSD loopback knows the BSD AF_INET6 values only, not Linux's 10
                .filter(e -> !e.name().endsWith("AF_INET6=" + PacketBuilder.AF_INET6_LINUX))
                .forEach(e -> {
                    frames.add(e.apply(FrameDecoderTest.everyField(e.ipVersion())).build().frame());
                    frames.add(e.apply(FrameDecoderTest.ip(PacketBuilder.tcp(), e.ipVersion())).flags(TcpFlags.SYN)
                            .mss(1460).sackPermitted().timestamps(7, 0).nop().windowScale(7).build().frame());
                });
        String a = "fd00::1";
        String b = "fd00::2";
        List<Packet> ethernet = List.of(
                PacketBuilder.tcp().ethernetPadding(6).build(),
                PacketBuilder.tcp().ipv6(a, b).payload(1).ethernetPadding(9).build(),
                PacketBuilder.tcp().ihl(15).mss(1380).payload(5).build(),
                PacketBuilder.tcp().moreFragments().payload(100).build(),
                PacketBuilder.tcp().fragmentOffset(20).payload(100).build(),
                PacketBuilder.tcp().ipProtocol(17).build(),
                PacketBuilder.tcp().etherType(PacketBuilder.ETHERTYPE_ARP).build(),
                PacketBuilder.tcp().ipTotalLength(0).payload(2000).build(),
                PacketBuilder.tcp().ipv6(a, b).hopByHop(8).routing(24).destinationOptions(16).payload(3).build(),
                PacketBuilder.tcp().ipv6(a, b).authentication(16).fragmentHeader(0, false).build(),
                PacketBuilder.tcp().ipv6(a, b).fragmentHeader(0, true).payload(64).build(),
                PacketBuilder.tcp().ipv6(a, b).fragmentHeader(3, false).payload(64).build(),
                PacketBuilder.tcp().ipv6(a, "fd00::a").routingHeader(4, 1, b, "fd00::a").build(),
                PacketBuilder.tcp().nop().nop().sack(1, 2, 0x80000000, 0xFFFFFFFF, 5, 6, 7, 8).build(),
                PacketBuilder.tcp().mss(536).padWith(1).dataOffset(15).payload(2).build(),
                PacketBuilder.tcp().flags(TcpFlags.URG | TcpFlags.ACK | TcpFlags.ECE | TcpFlags.CWR).urgentPointer(3)
                        .payload(10).build());
        for (Packet packet : ethernet) {
            frames.add(packet.frame());
        }
        // tunnels (VXLAN, Geneve, GRE and ERSPAN, PPTP, Aruba, GRE over UDP, GTP-U, IP-in-IP, PBB, VN-Tag):
        // the segment is the innermost one, for tcpstate and tshark alike
        for (byte[] tunnelled : TunnelDecodingTest.sampleFrames()) {
            frames.add(new Frame().wrap(java.nio.ByteBuffer.wrap(tunnelled), 0, tunnelled.length, tunnelled.length, 0,
                    1));
        }
        // snaplen cuts: in the payload, in the options
        Packet big = PacketBuilder.tcp().mss(1460).timestamps(5, 6).payload(1400).build();
        frames.add(big.frame(96));
        frames.add(big.frame(big.tcpOffset() + 26));
        Packet big6 = PacketBuilder.tcp().ipv6(a, b).hopByHop(8).payload(1200).build();
        frames.add(big6.frame(128));
        return frames;
    }

    /**
     * A little-endian pcapng file of {@code frames}: one interface per link type, each frame in an
     * enhanced packet block that keeps its original length.
     */
    private static byte[] pcapng(List<Frame> frames) {
        List<Integer> linkTypes = frames.stream().map(Frame::linkType).distinct().toList();
        int size = 28 + 20 * linkTypes.size()
                + frames.stream().mapToInt(f -> 32 + (f.capturedLength() + 3) / 4 * 4).sum();
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1)
                .putInt(28);
        for (int linkType : linkTypes) {
            out.putInt(1).putInt(20).putShort((short) linkType).putShort((short) 0).putInt(0).putInt(20);
        }
        long micros = 1_700_000_000_000_000L;
        for (Frame frame : frames) {
            int padded = (frame.capturedLength() + 3) / 4 * 4;
            out.putInt(6).putInt(32 + padded).putInt(linkTypes.indexOf(frame.linkType()))
                    .putInt((int) (micros >>> 32)).putInt((int) micros).putInt(frame.capturedLength())
                    .putInt(frame.originalLength()).put(frame.copyBytes());
            out.position(out.position() + padded - frame.capturedLength());
            out.putInt(32 + padded);
            micros += 1000;
        }
        return out.array();
    }

    private static Stream<DynamicTest> skipped(String reason) {
        return Stream.of(DynamicTest.dynamicTest("tshark cross-check", () -> abort(reason)));
    }

    private static boolean isCapture(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".pcap") || name.endsWith(".pcapng")
                || name.endsWith(".pcap.gz") || name.endsWith(".pcapng.gz"));
    }

    /** The snapshot both decoders read, and what tshark made of it. */
    record Run(Path snapshot, int exitCode, List<String> lines, String errors) {
    }

    private static Run runTshark(Path capture) {
        try {
            Path snapshot = snapshots.resolve(capture.getFileName());
            Files.copy(capture, snapshot, StandardCopyOption.REPLACE_EXISTING);
            List<String> command = new ArrayList<>(List.of(TSHARK.toString(), "-n", "-r", snapshot.toString()));
            for (String preference : PREFERENCES) {
                command.add("-o");
                command.add(preference);
            }
            command.addAll(List.of("-T", "fields", "-E", "separator=,", "-E", "aggregator=;", "-E", "occurrence=a"));
            for (String field : FIELDS) {
                command.add("-e");
                command.add(field);
            }
            Path out = snapshots.resolve(capture.getFileName() + ".fields");
            Path err = snapshots.resolve(capture.getFileName() + ".stderr");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("tshark timed out on " + capture);
            }
            return new Run(snapshot, process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run tshark on " + capture, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** tshark's view of one frame, column by column. */
    private static final class Row {
        final Map<String, String> values = new LinkedHashMap<>();

        Row(String line) {
            String[] columns = line.split(",", -1);
            assertThat(columns).as("tshark columns in %s", line).hasSize(FIELDS.size());
            for (int i = 0; i < columns.length; i++) {
                values.put(FIELDS.get(i), columns[i]);
            }
        }

        String get(String field) {
            return values.get(field);
        }

        /** The innermost occurrence: a tunnelled frame has one IP header per layer. */
        String innermost(String field) {
            String value = values.get(field);
            return value.substring(value.lastIndexOf(';') + 1);
        }

        long innermostNumber(String field) {
            return Long.parseLong(innermost(field));
        }

        /** Whether the innermost IP header under TCP is IPv4. */
        boolean innermostIpv4() {
            List<String> layers = Arrays.asList(get("frame.protocols").split(":"));
            List<String> belowTcp = layers.subList(0, layers.indexOf("tcp"));
            return belowTcp.lastIndexOf("ip") > belowTcp.lastIndexOf("ipv6");
        }

        boolean has(String field) {
            return !values.get(field).isEmpty();
        }

        long number(String field) {
            String value = get(field);
            return value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
        }

        /**
         * A TCP segment of the capture, as tcpstate means it: an IP header under the link layer,
         * then TCP, or the innermost TCP of a tunnel tcpstate follows. TCP headers quoted inside
         * ICMP errors are not segments of this capture's connections, and tcpstate rightly calls
         * those frames NOT_TCP.
         */
        boolean topLevelTcp() {
            if (!has("tcp.srcport")) {
                return false;
            }
            List<String> layers = Arrays.asList(get("frame.protocols").split(":"));
            List<String> belowTcp = layers.subList(0, layers.indexOf("tcp"));
            return belowTcp.stream().noneMatch(p -> p.startsWith("icmp"));
        }

        /** Whether tshark found the TCP header inside a tunnel. */
        boolean tunnelled() {
            List<String> layers = Arrays.asList(get("frame.protocols").split(":"));
            List<String> belowTcp = layers.subList(0, layers.indexOf("tcp"));
            return belowTcp.stream().filter(p -> p.equals("ip") || p.equals("ipv6")).count() > 1;
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }

    private static void crossCheck(Path capture, Run run) throws IOException {
        // the built frames are all decodable; samples may hold tunnels tcpstate does not follow
        boolean strictTunnels = capture.getFileName().toString().startsWith("built-");
        if (Files.size(run.snapshot()) < 24 || run.exitCode() != 0 && run.errors().contains("cut short")) {
            // A capture still being written when copied is not a decoder test case.
            abort("incomplete capture " + capture + ": " + run.errors().strip());
        }
        assertThat(run.exitCode()).as("tshark on %s: %s", capture, run.errors()).isZero();
        Map<Long, Row> tshark = new LinkedHashMap<>();
        for (String line : run.lines()) {
            Row row = new Row(line);
            tshark.put(row.number("frame.number"), row);
        }

        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        TcpSegment segment = new TcpSegment();
        Frame frame = new Frame();
        List<String> wrong = new ArrayList<>();
        int frames = 0;
        int tcp = 0;
        try (PacketSource source = CaptureFiles.open(run.snapshot().toString())) {
            while (source.next(frame)) {
                frames++;
                DecodeResult result = decoder.decode(frame, segment);
                Row row = tshark.get(frame.number());
                String where = "frame " + frame.number();
                if (row == null) {
                    wrong.add(where + ": read by tcpstate, not listed by tshark");
                } else if (!row.topLevelTcp()) {
                    if (result == DecodeResult.TCP) {
                        wrong.add(where + ": TCP for tcpstate, " + row.get("frame.protocols") + " for tshark");
                    }
                } else if (result != DecodeResult.TCP && row.tunnelled() && !strictTunnels) {
                    // a tunnel in someone's sample that tcpstate does not follow (L2TP, MPLS in GRE, ...)
                    continue;
                } else if (result != DecodeResult.TCP) {
                    tcp++;
                    wrong.add(where + ": " + result + " for tcpstate, TCP for tshark " + row);
                } else {
                    tcp++;
                    compare(wrong, where, row, segment);
                }
            }
        }
        assertThat(wrong).as("tcpstate vs tshark on %s", capture).isEmpty();
        assertThat(frames).as("frames read by tcpstate vs listed by tshark in %s", capture)
                .isEqualTo(tshark.size());
        // a sample without TCP would make this test vacuous for it
        assertThat(tcp).as("TCP frames in %s", capture).isPositive();
    }

    private static void same(List<String> wrong, String where, String field, Object tcpstate, Object tshark) {
        if (!tcpstate.equals(tshark)) {
            wrong.add(where + " " + field + ": tcpstate " + tcpstate + ", tshark " + tshark);
        }
    }

    private static void compare(List<String> wrong, String where, Row row, TcpSegment s) {
        boolean v4 = row.innermostIpv4();
        same(wrong, where, "ip version", s.ipVersion(), v4 ? 4 : 6);
        same(wrong, where, "source", s.sourceAddress(), row.innermost(v4 ? "ip.src" : "ipv6.src"));
        same(wrong, where, "destination", s.destinationAddress(), row.innermost(v4 ? "ip.dst" : "ipv6.dst"));
        same(wrong, where, "ttl", (long) s.ttl(), row.innermostNumber(v4 ? "ip.ttl" : "ipv6.hlim"));
        same(wrong, where, "ip length", (long) s.ipLength(),
                v4 ? row.innermostNumber("ip.len") : 40 + row.innermostNumber("ipv6.plen"));
        same(wrong, where, "source port", (long) s.sourcePort(), row.number("tcp.srcport"));
        same(wrong, where, "destination port", (long) s.destinationPort(), row.number("tcp.dstport"));
        same(wrong, where, "seq", Integer.toUnsignedLong(s.sequence()), row.number("tcp.seq_raw"));
        same(wrong, where, "ack", Integer.toUnsignedLong(s.acknowledgement()), row.number("tcp.ack_raw"));
        // tshark's 12-bit field also holds the three reserved bits, which are not TCP flags
        same(wrong, where, "flags", (long) s.flags(), row.number("tcp.flags") & 0x1FF);
        same(wrong, where, "window", (long) s.window(), row.number("tcp.window_size_value"));
        same(wrong, where, "urgent pointer", (long) s.urgentPointer(), row.number("tcp.urgent_pointer"));
        same(wrong, where, "header length", (long) s.headerLength(), row.number("tcp.hdr_len"));
        if (row.has("tcp.len") || !s.firstFragment()) {
            // tshark leaves tcp.len empty for a first fragment it does not reassemble
            same(wrong, where, "payload length", (long) s.payloadLength(), row.number("tcp.len"));
        }
        same(wrong, where, "mss", (long) s.mss(),
                row.has("tcp.options.mss_val") ? row.number("tcp.options.mss_val") : -1L);
        same(wrong, where, "window scale", (long) s.windowScale(),
                row.has("tcp.options.wscale.shift") ? row.number("tcp.options.wscale.shift") : -1L);
        same(wrong, where, "SACK permitted", s.sackPermitted(), row.has("tcp.options.sack_perm"));
        same(wrong, where, "SACK blocks", sackBlocks(s), tsharkSack(row));
        same(wrong, where, "timestamps", s.hasTimestamps(), row.has("tcp.options.timestamp.tsval"));
        if (s.hasTimestamps() && row.has("tcp.options.timestamp.tsval")) {
            same(wrong, where, "tsval", Integer.toUnsignedLong(s.timestampValue()),
                    row.number("tcp.options.timestamp.tsval"));
            same(wrong, where, "tsecr", Integer.toUnsignedLong(s.timestampEcho()),
                    row.number("tcp.options.timestamp.tsecr"));
        }
    }

    private static String sackBlocks(TcpSegment s) {
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < s.sackBlocks(); i++) {
            blocks.add(Integer.toUnsignedString(s.sackLeft(i)) + "-" + Integer.toUnsignedString(s.sackRight(i)));
        }
        return String.join(" ", blocks);
    }

    private static String tsharkSack(Row row) {
        if (!row.has("tcp.options.sack_le")) {
            return "";
        }
        String[] left = row.get("tcp.options.sack_le").split(";");
        String[] right = row.get("tcp.options.sack_re").split(";");
        return java.util.stream.IntStream.range(0, left.length).mapToObj(i -> left[i] + "-" + right[i])
                .collect(Collectors.joining(" "));
    }
}
