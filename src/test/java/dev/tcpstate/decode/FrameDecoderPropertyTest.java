package dev.tcpstate.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.testing.PacketBuilder;
import dev.tcpstate.testing.PacketBuilder.Packet;
import dev.tcpstate.testing.TunnelFrames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random tests of the decoder. Every case derives its own seed from the run's seed, and a
 * failure names both, so one case can be replayed. Override with
 * {@code -Dtcpstate.decode.seed=N} and {@code -Dtcpstate.decode.iterations=N}.
 */
class FrameDecoderPropertyTest {
    private static final long SEED = Long.getLong("tcpstate.decode.seed", 0x7C957A7E_5EEDL);
    private static final int ITERATIONS = Integer.getInteger("tcpstate.decode.iterations", 300_000);
    private static final int[] LINK_TYPES = {0, 1, 10, 12, 14, 101, 108, 113, 228, 229, 276};

    // ------------------------------------------------------------------ a. robustness

    /**
     * Random and mutated frames, on every link type, in buffers that end exactly where the frame
     * ends (any read past it throws), and again at an offset inside a larger buffer whose bytes
     * before the frame are junk (any read before it changes the outcome): the decoder must never
     * throw, must give the same answer both ways, and a TCP answer must be self-consistent.
     */
    @Test
    void arbitraryBytesNeverThrowNorReadOutsideTheFrame() {
        List<Packet> templates = templates();
        Random master = new Random(SEED);
        Stats stats = new Stats();
        for (int i = 0; i < ITERATIONS; i++) {
            long caseSeed = master.nextLong();
            Random random = new Random(caseSeed);
            byte[] bytes;
            int linkType;
            if (random.nextInt(3) == 0) {
                bytes = new byte[random.nextInt(201)];
                random.nextBytes(bytes);
                linkType = randomLinkType(random);
            } else {
                Packet template = templates.get(random.nextInt(templates.size()));
                bytes = mutate(template.bytes(), random);
                linkType = random.nextInt(5) == 0 ? randomLinkType(random) : template.linkType();
            }
            try {
                checkOneFrame(bytes, linkType, random, stats);
            } catch (Throwable failure) {
                throw new AssertionError("decoder property failed: run seed " + SEED + " (-Dtcpstate.decode.seed="
                        + SEED + "), iteration " + i + ", case seed " + caseSeed + ", link type " + linkType
                        + ", frame " + HexFormat.of().formatHex(bytes), failure);
            }
        }
        // The mutations must reach the TCP layer often, or the invariants above were never tried.
        assertThat(stats.tcp).as("TCP results among %d cases", ITERATIONS).isGreaterThan(ITERATIONS / 10);
        assertThat(stats.results).as("results seen").containsExactlyInAnyOrder(DecodeResult.values());
    }

    private static final class Stats {
        int tcp;
        final java.util.EnumSet<DecodeResult> results = java.util.EnumSet.noneOf(DecodeResult.class);
    }

    private static void checkOneFrame(byte[] bytes, int linkType, Random random, Stats stats) {
        int n = bytes.length;
        // the wire length may exceed the captured length (a snaplen); both placements share it,
        // since IP length 0 (offload) packets take their size from it
        int wireLength = n + random.nextInt(3);
        // exactly sized buffer
        Frame exact = new Frame().wrap(ByteBuffer.wrap(Arrays.copyOf(bytes, n)), 0, n, wireLength, 0, linkType);
        // the same bytes at an offset, junk before them, the buffer ending where the frame ends
        int offset = 1 + random.nextInt(64);
        byte[] big = new byte[offset + n + 32];
        random.nextBytes(big);
        System.arraycopy(bytes, 0, big, offset, n);
        ByteBuffer sliced = ByteBuffer.wrap(big, 0, offset + n).slice();
        require(sliced.capacity() == offset + n, "slice must end at the frame's end");
        Frame inside = new Frame().wrap(sliced, offset, n, wireLength, 0, linkType);

        DecodeResult[] results = new DecodeResult[2];
        TcpSegment[] segments = new TcpSegment[2];
        for (ChecksumMode mode : ChecksumMode.values()) {
            FrameDecoder decoder = new FrameDecoder(mode);
            // a fresh segment and one reused from earlier frames: no field may depend on history
            TcpSegment fresh = new TcpSegment();
            TcpSegment reused = REUSED[mode.ordinal()];
            DecodeResult a = decoder.decode(exact, fresh);
            DecodeResult b = decoder.decode(inside, reused);
            require(a != null, "null result");
            require(b == a, "at an offset the result is %s, exactly sized %s (%s)", b, a, mode);
            stats.results.add(a);
            if (a == DecodeResult.TCP) {
                List<Object> expected = snapshot(fresh);
                List<Object> actual = snapshot(reused);
                require(expected.equals(actual), "fields differ at an offset / in a reused segment (%s):%n %s%n %s",
                        mode, expected, actual);
                checkInvariants(fresh, mode, n);
            }
            results[mode.ordinal()] = a;
            segments[mode.ordinal()] = fresh;
        }
        // The checksum mode only adds reasons to skip; it never changes what a segment decodes to.
        DecodeResult validated = results[ChecksumMode.VALIDATE.ordinal()];
        DecodeResult ignored = results[ChecksumMode.IGNORE.ordinal()];
        if (ignored != DecodeResult.TCP) {
            // the IPv4 header checksum is checked before the TCP header is looked at
            // (and a tunnel's UDP checksum before the tunnel is entered)
            require(validated == ignored || validated == DecodeResult.BAD_IP_CHECKSUM
                    || validated == DecodeResult.BAD_UDP_CHECKSUM, "IGNORE gives %s but VALIDATE %s", ignored, validated);
        } else {
            stats.tcp++;
            require(validated == DecodeResult.TCP || validated == DecodeResult.BAD_IP_CHECKSUM
                    || validated == DecodeResult.BAD_TCP_CHECKSUM || validated == DecodeResult.BAD_UDP_CHECKSUM,
                    "IGNORE gives TCP but VALIDATE %s", validated);
            if (validated == DecodeResult.TCP) {
                TcpSegment v = segments[ChecksumMode.VALIDATE.ordinal()];
                v.checksum = ChecksumStatus.UNCHECKED;
                List<Object> expected = snapshot(segments[ChecksumMode.IGNORE.ordinal()]);
                require(snapshot(v).equals(expected), "VALIDATE and IGNORE decode different fields:%n %s%n %s",
                        snapshot(v), expected);
            }
        }
    }

    private static final TcpSegment[] REUSED = {new TcpSegment(), new TcpSegment()};

    private static void checkInvariants(TcpSegment s, ChecksumMode mode, int captured) {
        require(s.ipVersion() == 4 || s.ipVersion() == 6, "ipVersion %d", s.ipVersion());
        if (s.ipVersion() == 4) {
            require(IpAddresses.isIpv4(s.sourceHigh(), s.sourceLow())
                    && IpAddresses.isIpv4(s.destinationHigh(), s.destinationLow()), "IPv4 addresses not v4-mapped");
        }
        require(s.headerLength() >= 20 && s.headerLength() <= 60 && s.headerLength() % 4 == 0,
                "headerLength %d", s.headerLength());
        require(s.payloadLength() >= 0, "payloadLength %d", s.payloadLength());
        require(s.payloadCaptured() >= 0 && s.payloadCaptured() <= s.payloadLength(),
                "payloadCaptured %d of %d", s.payloadCaptured(), s.payloadLength());
        int ipHeaders = s.ipLength() - s.headerLength() - s.payloadLength();
        require(ipHeaders % 4 == 0 && (s.ipVersion() == 4 ? ipHeaders >= 20 && ipHeaders <= 60 : ipHeaders >= 40),
                "ipLength %d leaves %d bytes of IP headers", s.ipLength(), ipHeaders);
        // the bytes accounted for must have been captured
        int minimalIp = s.ipVersion() == 4 ? 20 : 40;
        if (s.optionsTruncated()) {
            require(s.payloadCaptured() == 0, "payload captured after truncated options");
            require(captured >= minimalIp + 20, "TCP with %d bytes captured", captured);
        } else {
            require(captured >= minimalIp + s.headerLength() + s.payloadCaptured(),
                    "%d captured bytes cannot hold %d header + %d payload", captured, s.headerLength(),
                    s.payloadCaptured());
        }
        require(s.sourcePort() >>> 16 == 0 && s.destinationPort() >>> 16 == 0, "ports");
        require(s.window() >>> 16 == 0 && s.urgentPointer() >>> 16 == 0, "window / urgent pointer");
        require(s.flags() >= 0 && s.flags() <= 0x1FF, "flags %x", s.flags());
        require(s.ttl() >= 0 && s.ttl() <= 0xFF, "ttl %d", s.ttl());
        require(s.mss() >= -1 && s.mss() <= 0xFFFF, "mss %d", s.mss());
        require(s.windowScale() >= -1 && s.windowScale() <= 0xFF, "windowScale %d", s.windowScale());
        require(s.sackBlocks() >= 0 && s.sackBlocks() <= TcpSegment.MAX_SACK_BLOCKS, "sackBlocks %d", s.sackBlocks());
        int expectedSequenceLength = s.payloadLength() + (s.has(TcpFlags.SYN) ? 1 : 0) + (s.has(TcpFlags.FIN) ? 1 : 0);
        require(s.sequenceLength() == expectedSequenceLength, "sequenceLength %d", s.sequenceLength());
        if (mode == ChecksumMode.IGNORE) {
            require(s.checksum() == ChecksumStatus.UNCHECKED, "IGNORE gave checksum %s", s.checksum());
        } else if (s.checksum() == ChecksumStatus.GOOD) {
            // only a whole, unfragmented segment can have been checked
            require(s.payloadCaptured() == s.payloadLength() && !s.optionsTruncated() && !s.firstFragment(),
                    "GOOD checksum on a partial segment");
        } else {
            require(s.checksum() == ChecksumStatus.UNVERIFIABLE, "VALIDATE gave checksum %s", s.checksum());
            // or, for IPv6, a routing header with segments left that names no final destination
            require(s.firstFragment() || s.payloadCaptured() < s.payloadLength() || s.optionsTruncated()
                    || s.ipVersion() == 6, "UNVERIFIABLE although the segment is whole");
        }
    }

    /** Plain checks for the hot loop (AssertJ is comparatively slow at a few million calls). */
    private static void require(boolean condition, String message, Object... arguments) {
        if (!condition) {
            throw new AssertionError(String.format(message, arguments));
        }
    }

    /** Every field a segment exposes, for equality checks. */
    static List<Object> snapshot(TcpSegment s) {
        List<Object> fields = new ArrayList<>(List.of(s.ipVersion(), s.sourceHigh(), s.sourceLow(),
                s.destinationHigh(), s.destinationLow(), s.ttl(), s.ipLength(), s.firstFragment(), s.sourcePort(),
                s.destinationPort(), s.sequence(), s.acknowledgement(), s.flags(), s.window(), s.urgentPointer(),
                s.headerLength(), s.payloadLength(), s.payloadCaptured(), s.checksum(), s.mss(), s.windowScale(),
                s.sackPermitted(), s.sackBlocks(), s.hasTimestamps(), s.optionsMalformed(), s.optionsTruncated()));
        if (s.hasTimestamps()) {
            fields.add(s.timestampValue());
            fields.add(s.timestampEcho());
        }
        for (int i = 0; i < s.sackBlocks(); i++) {
            fields.add(s.sackLeft(i));
            fields.add(s.sackRight(i));
        }
        return fields;
    }

    private static int randomLinkType(Random random) {
        return random.nextInt(11) == 0 ? random.nextInt(300) : LINK_TYPES[random.nextInt(LINK_TYPES.length)];
    }

    /** Valid frames of every shape the decoder knows, to start mutations from. */
    private static List<Packet> templates() {
        List<Packet> templates = new ArrayList<>();
        FrameDecoderTest.encapsulations().forEach(e -> {
            templates.add(e.apply(FrameDecoderTest.everyField(e.ipVersion())).build());
            templates.add(e.apply(FrameDecoderTest.ip(PacketBuilder.tcp(), e.ipVersion())).payload(3).build());
        });
        templates.add(PacketBuilder.tcp().ihl(15).mss(1460).ethernetPadding(6).build());
        templates.add(PacketBuilder.tcp().ihl(7).moreFragments().payload(30).build());
        templates.add(PacketBuilder.tcp().ipTotalLength(0).payload(100).build());
        templates.add(PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").hopByHop(8).routing(24).fragmentHeader(0, true)
                .authentication(16).destinationOptions(8).mss(1220).payload(5).build());
        templates.add(PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").ipv6PayloadLength(0).sack(1, 2, 3, 4, 5, 6)
                .build());
        templates.add(PacketBuilder.tcp().nop().nop().sack(1, 2, 3, 4, 5, 6, 7, 8).payload(1).build());
        templates.add(PacketBuilder.tcp().option(30, 12, 0, 0).payload(9).build());
        templates.add(PacketBuilder.tcp().pppoe().ipv6("fd00::1", "fd00::2").timestamps(-1, -2).build());
        templates.add(PacketBuilder.tcp().sll2().vlan(4).mpls(1, 2).build());
        templates.add(PacketBuilder.tcp().bsdNull(ByteOrder.BIG_ENDIAN).ipv6("::1", "::1").build());
        // tunnels, an outer fragment of one, tunnels nested past the depth Zeek follows, FDDI
        for (byte[] tunnelled : TunnelDecodingTest.sampleFrames()) {
            templates.add(new Packet(tunnelled, 1, 14, 0, 0, tunnelled.length));
        }
        byte[] gtp = TunnelFrames.udp(TunnelFrames.address("10.0.0.1"), TunnelFrames.address("10.0.0.2"), 2152, 2152,
                TunnelFrames.gtpU(0x02, 0, TunnelFrames.tcp4("10.1.1.1", "10.2.2.2", 1, 2, TcpFlags.SYN)));
        for (byte[] fragment : TunnelFrames.fragments("10.0.0.1", "10.0.0.2", 17, 9, gtp, 40)) {
            byte[] frame = TunnelFrames.ethernet(0x0800, fragment);
            templates.add(new Packet(frame, 1, 14, 0, 0, frame.length));
        }
        byte[] deep = TunnelFrames.tcp6("fd00::1", "fd00::2", 1, 2, TcpFlags.SYN);
        for (int level = 0; level <= 4; level++) {
            deep = TunnelFrames.ipv6("2001:db8::1", "2001:db8::2", 41, deep);
        }
        templates.add(new Packet(TunnelFrames.ethernet(0x86DD, deep), 1, 14, 0, 0, deep.length + 14));
        byte[] fddi = TunnelFrames.fddi(0x0800, TunnelFrames.tcp4("10.1.1.1", "10.2.2.2", 1, 2, TcpFlags.ACK));
        templates.add(new Packet(fddi, 10, 21, 0, 0, fddi.length));
        return templates;
    }

    /** Flips bytes and bits, plants boundary values, cuts or extends a valid frame. */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int edits = random.nextInt(4);
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            // bias edits towards the headers, where the decoder looks
            int at = random.nextInt(Math.min(bytes.length, random.nextBoolean() ? 80 : bytes.length));
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> bytes[at] = (byte) new int[] {0x00, 0xFF, 0x01, 0x7F, 0x80, 0x0F, 0xF0, 0x45, 0x60}
                        [random.nextInt(9)];
                default -> {
                    if (at + 1 < bytes.length) {
                        int value = new int[] {0, 1, 0xFFFF, 0x8000, 20, 40, bytes.length}[random.nextInt(7)];
                        bytes[at] = (byte) (value >>> 8);
                        bytes[at + 1] = (byte) value;
                    }
                }
            }
        }
        int shape = random.nextInt(4);
        if (shape == 0) {
            bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        } else if (shape == 1) {
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
            for (int i = bytes.length; i < longer.length; i++) {
                longer[i] = (byte) random.nextInt(256);
            }
            bytes = longer;
        }
        return bytes;
    }

    // ------------------------------------------------------------------ b. header offsets

    /**
     * Every IPv4 header length × every TCP data offset: the TCP header is found where it is, the
     * payload length is exact, and an MSS option first in the options is read.
     */
    @Test
    void everyIpv4HeaderLengthWithEveryDataOffset() {
        Random master = new Random(SEED ^ 0x4);
        int cases = 0;
        for (int ihl = 5; ihl <= 15; ihl++) {
            for (int dataOffset = 5; dataOffset <= 15; dataOffset++) {
                for (int trial = 0; trial < 8; trial++) {
                    long caseSeed = master.nextLong();
                    int ihlWords = ihl;
                    checkOffsets(caseSeed, "IHL " + ihl, b -> b.ihl(ihlWords), dataOffset, 4, ihl * 4, "10.0.0.1");
                    cases++;
                }
            }
        }
        assertThat(cases).isEqualTo(121 * 8);
    }

    /** The same for IPv6 behind zero to three extension headers. */
    @Test
    void everyIpv6ExtensionDepthWithEveryDataOffset() {
        Random master = new Random(SEED ^ 0x6);
        for (int depth = 0; depth <= 3; depth++) {
            for (int dataOffset = 5; dataOffset <= 15; dataOffset++) {
                for (int trial = 0; trial < 12; trial++) {
                    long caseSeed = master.nextLong();
                    Random random = new Random(caseSeed);
                    List<int[]> chain = new ArrayList<>();
                    int extensionBytes = 0;
                    for (int k = 0; k < depth; k++) {
                        int[] extension = EXTENSIONS[random.nextInt(EXTENSIONS.length)];
                        chain.add(extension);
                        extensionBytes += extension[1];
                    }
                    String name = "IPv6 extensions " + chain.stream().map(x -> x[0] + "/" + x[1]).toList();
                    String source = "2001:db8::" + Integer.toHexString(1 + random.nextInt(0xFFFF));
                    checkOffsets(caseSeed, name, b -> {
                        b.ipv6(source, "fd00::80");
                        chain.forEach(x -> b.extension(x[0], x[1]));
                        return b;
                    }, dataOffset, 6, 40 + extensionBytes, source);
                }
            }
        }
    }

    /** {type, length} of the extension headers to chain. */
    private static final int[][] EXTENSIONS = {{0, 8}, {0, 16}, {43, 24}, {60, 8}, {60, 32}, {44, 8}, {51, 12},
            {51, 20}};

    private static void checkOffsets(long caseSeed, String name,
            java.util.function.UnaryOperator<PacketBuilder> ipLayer, int dataOffset, int ipVersion, int ipHeaders,
            String sourceAddress) {
        Random random = new Random(caseSeed);
        int sourcePort = random.nextInt(0x10000);
        int destinationPort = random.nextInt(0x10000);
        int sequence = random.nextInt();
        int acknowledgement = random.nextInt();
        int flags = random.nextInt(0x200);
        int window = random.nextInt(0x10000);
        int payload = random.nextInt(301);
        int mss = random.nextInt(0x10000);
        PacketBuilder builder = PacketBuilder.tcp().ports(sourcePort, destinationPort).seq(sequence)
                .ack(acknowledgement).flags(flags).window(window).payload(payload).dataOffset(dataOffset)
                .padWith(random.nextBoolean() ? 0 : 1);
        int room = dataOffset * 4 - 20;
        int windowScale = -1;
        boolean timestamps = false;
        int tsval = random.nextInt();
        if (room >= 4) {
            builder.mss(mss);
            room -= 4;
        }
        if (room >= 10 && random.nextBoolean()) {
            timestamps = true;
            builder.timestamps(tsval, ~tsval);
            room -= 10;
        }
        if (room >= 3) {
            windowScale = random.nextInt(15);
            builder.windowScale(windowScale);
        }
        switch (random.nextInt(4)) {
            case 1 -> builder.vlan(random.nextInt(4096));
            case 2 -> builder.sll();
            case 3 -> builder.raw(101);
            default -> builder.ethernet();
        }
        Packet packet = ipLayer.apply(builder).build();
        String context = name + ", data offset " + dataOffset + ", payload " + payload + " (run seed " + SEED
                + ", case seed " + caseSeed + ")";

        TcpSegment s = new TcpSegment();
        DecodeResult result = new FrameDecoder(ChecksumMode.VALIDATE).decode(packet.frame(), s);

        assertThat(result).as(context).isEqualTo(DecodeResult.TCP);
        assertThat(s.checksum()).as(context).isEqualTo(ChecksumStatus.GOOD);
        assertThat(s.ipVersion()).as(context).isEqualTo(ipVersion);
        assertThat(s.sourcePort()).as(context).isEqualTo(sourcePort);
        assertThat(s.destinationPort()).as(context).isEqualTo(destinationPort);
        assertThat(s.sequence()).as(context).isEqualTo(sequence);
        assertThat(s.acknowledgement()).as(context).isEqualTo(acknowledgement);
        assertThat(s.flags()).as(context).isEqualTo(flags);
        assertThat(s.window()).as(context).isEqualTo(window);
        assertThat(s.headerLength()).as(context).isEqualTo(dataOffset * 4);
        assertThat(s.payloadLength()).as(context).isEqualTo(payload);
        assertThat(s.payloadCaptured()).as(context).isEqualTo(payload);
        assertThat(s.ipLength()).as(context).isEqualTo(ipHeaders + dataOffset * 4 + payload);
        assertThat(s.mss()).as(context).isEqualTo(dataOffset >= 6 ? mss : -1);
        assertThat(s.windowScale()).as(context).isEqualTo(windowScale);
        assertThat(s.hasTimestamps()).as(context).isEqualTo(timestamps);
        if (timestamps) {
            assertThat(s.timestampValue()).as(context).isEqualTo(tsval);
            assertThat(s.timestampEcho()).as(context).isEqualTo(~tsval);
        }
        assertThat(s.optionsMalformed()).as(context).isFalse();
        assertThat(s.sourceAddress()).as(context).isEqualTo(sourceAddress);
    }
}
