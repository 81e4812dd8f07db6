package dev.tcpstate.decode;

import static dev.tcpstate.decode.DecodeResult.BAD_IP_CHECKSUM;
import static dev.tcpstate.decode.DecodeResult.BAD_IP_HEADER_LENGTH;
import static dev.tcpstate.decode.DecodeResult.BAD_IP_LENGTH;
import static dev.tcpstate.decode.DecodeResult.BAD_IP_VERSION;
import static dev.tcpstate.decode.DecodeResult.BAD_TCP_CHECKSUM;
import static dev.tcpstate.decode.DecodeResult.BAD_TCP_DATA_OFFSET;
import static dev.tcpstate.decode.DecodeResult.IPV6_EXTENSION_CHAIN;
import static dev.tcpstate.decode.DecodeResult.IP_FRAGMENT;
import static dev.tcpstate.decode.DecodeResult.NOT_IP;
import static dev.tcpstate.decode.DecodeResult.NOT_TCP;
import static dev.tcpstate.decode.DecodeResult.TCP;
import static dev.tcpstate.decode.DecodeResult.TRUNCATED_IP_HEADER;
import static dev.tcpstate.decode.DecodeResult.TRUNCATED_LINK_HEADER;
import static dev.tcpstate.decode.DecodeResult.TRUNCATED_TCP_HEADER;
import static dev.tcpstate.decode.DecodeResult.UNSUPPORTED_LINK_TYPE;
import static dev.tcpstate.testing.PacketBuilder.AF_INET;
import static dev.tcpstate.testing.PacketBuilder.AF_INET6_BSD;
import static dev.tcpstate.testing.PacketBuilder.AF_INET6_DARWIN;
import static dev.tcpstate.testing.PacketBuilder.AF_INET6_FREEBSD;
import static dev.tcpstate.testing.PacketBuilder.AF_INET6_LINUX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.testing.PacketBuilder;
import dev.tcpstate.testing.PacketBuilder.Packet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    // ------------------------------------------------------------------ shared helpers

    /** A decode's outcome together with the segment it filled. */
    record Decoded(DecodeResult result, TcpSegment segment) {
    }

    static Decoded decode(Frame frame, ChecksumMode mode) {
        TcpSegment segment = new TcpSegment();
        return new Decoded(new FrameDecoder(mode).decode(frame, segment), segment);
    }

    static Decoded decode(Packet packet) {
        return decode(packet.frame(), ChecksumMode.IGNORE);
    }

    static Decoded validate(Packet packet) {
        return decode(packet.frame(), ChecksumMode.VALIDATE);
    }

    static DecodeResult resultOf(Packet packet) {
        return decode(packet).result();
    }

    /** One link-layer wrapping of the same IP datagram, with the link type it must produce. */
    record Encapsulation(String name, int ipVersion, int linkType, UnaryOperator<PacketBuilder> link) {
        PacketBuilder apply(PacketBuilder builder) {
            return link.apply(builder);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Encapsulation> encapsulations() {
        List<Encapsulation> rows = new ArrayList<>();
        for (int v : new int[] {4, 6}) {
            String ip = " IPv" + v;
            rows.add(new Encapsulation("Ethernet" + ip, v, 1, b -> b.ethernet()));
            rows.add(new Encapsulation("802.1Q" + ip, v, 1, b -> b.vlan(100)));
            rows.add(new Encapsulation("QinQ 88a8+8100" + ip, v, 1, b -> b.qinq(200, 100)));
            rows.add(new Encapsulation("QinQ 9100+8100" + ip, v, 1, b -> b.tag(0x9100, 7).vlan(8)));
            rows.add(new Encapsulation("PPPoE session" + ip, v, 1, b -> b.pppoe()));
            rows.add(new Encapsulation("MPLS 1 label" + ip, v, 1, b -> b.mpls(1000)));
            rows.add(new Encapsulation("MPLS 3 labels" + ip, v, 1, b -> b.mpls(16, 0xFFFFF, 3)));
            rows.add(new Encapsulation("802.1Q + MPLS" + ip, v, 1, b -> b.vlan(5).mpls(77)));
            rows.add(new Encapsulation("Linux SLL" + ip, v, 113, b -> b.sll()));
            rows.add(new Encapsulation("Linux SLL + 802.1Q" + ip, v, 113, b -> b.sll().vlan(9)));
            rows.add(new Encapsulation("Linux SLL2" + ip, v, 276, b -> b.sll2()));
            rows.add(new Encapsulation("RAW 101" + ip, v, 101, b -> b.raw(101)));
            rows.add(new Encapsulation("RAW 12" + ip, v, 12, b -> b.raw(12)));
            rows.add(new Encapsulation("RAW 14" + ip, v, 14, b -> b.raw(14)));
        }
        rows.add(new Encapsulation("NULL little-endian AF_INET", 4, 0,
                b -> b.bsdNull(ByteOrder.LITTLE_ENDIAN).family(AF_INET)));
        rows.add(new Encapsulation("NULL big-endian AF_INET", 4, 0,
                b -> b.bsdNull(ByteOrder.BIG_ENDIAN).family(AF_INET)));
        for (int af6 : new int[] {AF_INET6_LINUX, AF_INET6_BSD, AF_INET6_FREEBSD, AF_INET6_DARWIN}) {
            rows.add(new Encapsulation("NULL little-endian AF_INET6=" + af6, 6, 0,
                    b -> b.bsdNull(ByteOrder.LITTLE_ENDIAN).family(af6)));
            rows.add(new Encapsulation("NULL big-endian AF_INET6=" + af6, 6, 0,
                    b -> b.bsdNull(ByteOrder.BIG_ENDIAN).family(af6)));
        }
        rows.add(new Encapsulation("LOOP AF_INET", 4, 108, b -> b.loop().family(AF_INET)));
        rows.add(new Encapsulation("LOOP AF_INET6=24", 6, 108, b -> b.loop().family(AF_INET6_BSD)));
        rows.add(new Encapsulation("LOOP AF_INET6=30", 6, 108, b -> b.loop().family(AF_INET6_DARWIN)));
        rows.add(new Encapsulation("LINKTYPE_IPV4 (228)", 4, 228, b -> b.linkIpv4()));
        rows.add(new Encapsulation("LINKTYPE_IPV6 (229)", 6, 229, b -> b.linkIpv6()));
        return rows.stream();
    }

    // Values chosen to catch sign, byte-order and bit-position mistakes: top bits set everywhere.
    static final String SRC4 = "192.0.2.250";
    static final String DST4 = "203.0.113.7";
    static final String SRC6 = "fd00:200::1";
    static final String DST6 = "2001:db8:ffff:1::fffe";
    static final int SRC_PORT = 54321;
    static final int DST_PORT = 443;
    static final int SEQ = 0xFFFFFFF0;
    static final int ACK = 0x80000001;
    static final int ALL_FLAGS = 0x1FF;
    static final int WINDOW = 0xFFFE;
    static final int URGENT = 0x8001;
    static final int TTL = 200;
    static final int MSS = 0xFDE8;
    static final int WSCALE = 14;
    static final int TSVAL = 0xFEDCBA98;
    static final int TSECR = 0x01234567;
    static final int[] SACK = {0xFFFFFF00, 0x00000010, 0x7FFFFFF0, 0x80000010};
    static final int PAYLOAD = 13; // odd: exercises the checksum's trailing byte

    /** A segment with every field set to a distinctive value and a full 40 bytes of options. */
    static PacketBuilder everyField(int ipVersion) {
        PacketBuilder b = PacketBuilder.tcp();
        if (ipVersion == 4) {
            b.ipv4(SRC4, DST4);
        } else {
            b.ipv6(SRC6, DST6);
        }
        return b.ttl(TTL).ports(SRC_PORT, DST_PORT).seq(SEQ).ack(ACK).flags(ALL_FLAGS).window(WINDOW)
                .urgentPointer(URGENT)
                // 4 + 1 + 3 + 2 + 10 + 18 = 38 option bytes, EOL-padded to 40: data offset 15
                .mss(MSS).nop().windowScale(WSCALE).sackPermitted().timestamps(TSVAL, TSECR).sack(SACK)
                .payload(PAYLOAD);
    }

    static void assertEveryField(TcpSegment s, int ipVersion) {
        // Compared as one map, so a failure shows every wrong field at once.
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("ipVersion", ipVersion);
        expected.put("source", ipVersion == 4 ? SRC4 : SRC6);
        expected.put("destination", ipVersion == 4 ? DST4 : DST6);
        expected.put("v4-mapped", ipVersion == 4);
        expected.put("sourcePort", SRC_PORT);
        expected.put("destinationPort", DST_PORT);
        expected.put("seq", SEQ);
        expected.put("ack", ACK);
        expected.put("flags", ALL_FLAGS);
        expected.put("window", WINDOW);
        expected.put("urgentPointer", URGENT);
        expected.put("headerLength", 60);
        expected.put("payloadLength", PAYLOAD);
        expected.put("payloadCaptured", PAYLOAD);
        expected.put("ttl", TTL);
        expected.put("ipLength", (ipVersion == 4 ? 20 : 40) + 60 + PAYLOAD);
        expected.put("firstFragment", false);
        expected.put("mss", MSS);
        expected.put("windowScale", WSCALE);
        expected.put("sackPermitted", true);
        expected.put("sackBlocks", 2);
        expected.put("sack", List.of(SACK[0], SACK[1], SACK[2], SACK[3]));
        expected.put("hasTimestamps", true);
        expected.put("tsval", TSVAL);
        expected.put("tsecr", TSECR);
        expected.put("optionsMalformed", false);
        expected.put("optionsTruncated", false);
        // SYN and FIN are both among ALL_FLAGS: each takes one sequence number
        expected.put("sequenceLength", PAYLOAD + 2);

        Map<String, Object> actual = new LinkedHashMap<>();
        actual.put("ipVersion", s.ipVersion());
        actual.put("source", s.sourceAddress());
        actual.put("destination", s.destinationAddress());
        actual.put("v4-mapped", IpAddresses.isIpv4(s.sourceHigh(), s.sourceLow()));
        actual.put("sourcePort", s.sourcePort());
        actual.put("destinationPort", s.destinationPort());
        actual.put("seq", s.sequence());
        actual.put("ack", s.acknowledgement());
        actual.put("flags", s.flags());
        actual.put("window", s.window());
        actual.put("urgentPointer", s.urgentPointer());
        actual.put("headerLength", s.headerLength());
        actual.put("payloadLength", s.payloadLength());
        actual.put("payloadCaptured", s.payloadCaptured());
        actual.put("ttl", s.ttl());
        actual.put("ipLength", s.ipLength());
        actual.put("firstFragment", s.firstFragment());
        actual.put("mss", s.mss());
        actual.put("windowScale", s.windowScale());
        actual.put("sackPermitted", s.sackPermitted());
        actual.put("sackBlocks", s.sackBlocks());
        actual.put("sack", List.of(s.sackLeft(0), s.sackRight(0), s.sackLeft(1), s.sackRight(1)));
        actual.put("hasTimestamps", s.hasTimestamps());
        actual.put("tsval", s.timestampValue());
        actual.put("tsecr", s.timestampEcho());
        actual.put("optionsMalformed", s.optionsMalformed());
        actual.put("optionsTruncated", s.optionsTruncated());
        actual.put("sequenceLength", s.sequenceLength());
        assertThat(actual).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ every field, every encapsulation

    @ParameterizedTest(name = "{0}")
    @MethodSource("encapsulations")
    void decodesEveryFieldThroughEachEncapsulation(Encapsulation encapsulation) {
        Packet packet = encapsulation.apply(everyField(encapsulation.ipVersion())).build();
        assertThat(packet.linkType()).isEqualTo(encapsulation.linkType());

        Decoded ignored = decode(packet);
        assertThat(ignored.result()).isEqualTo(TCP);
        assertEveryField(ignored.segment(), encapsulation.ipVersion());
        assertThat(ignored.segment().checksum()).isEqualTo(ChecksumStatus.UNCHECKED);

        // The same frame validates: the decoder found the IP and TCP headers where the checksums are.
        Decoded validated = validate(packet);
        assertThat(validated.result()).isEqualTo(TCP);
        assertEveryField(validated.segment(), encapsulation.ipVersion());
        assertThat(validated.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encapsulations")
    void decodesAFrameThatStartsInsideALargerBuffer(Encapsulation encapsulation) {
        Packet packet = encapsulation.apply(everyField(encapsulation.ipVersion())).build();
        // Frame at offset 37 of a buffer full of 0xFF, whose limit is the frame's end.
        byte[] big = new byte[37 + packet.length() + 50];
        java.util.Arrays.fill(big, (byte) 0xFF);
        System.arraycopy(packet.bytes(), 0, big, 37, packet.length());
        ByteBuffer buffer = ByteBuffer.wrap(big).limit(37 + packet.length());
        Frame frame = new Frame().wrap(buffer, 37, packet.length(), packet.length(), 0, packet.linkType());

        Decoded decoded = decode(frame, ChecksumMode.VALIDATE);

        assertThat(decoded.result()).isEqualTo(TCP);
        assertEveryField(decoded.segment(), encapsulation.ipVersion());
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @Test
    void copiesTheFrameTimestampIntoTheSegment() {
        Packet packet = PacketBuilder.tcp().build();
        Frame frame = new Frame().wrap(ByteBuffer.wrap(packet.bytes()), 0, packet.length(), packet.length(),
                1_700_000_000_123_456_789L, 1);
        Decoded decoded = decode(frame, ChecksumMode.IGNORE);
        assertThat(decoded.segment().timestampNanos()).isEqualTo(1_700_000_000_123_456_789L);
    }

    // ------------------------------------------------------------------ flags

    static IntStream singleFlags() {
        return IntStream.range(0, 9).map(bit -> 1 << bit);
    }

    @ParameterizedTest(name = "flag 0x{0}")
    @MethodSource("singleFlags")
    void eachFlagBitMapsToItsOwnTcpFlagsConstant(int flag) {
        // One bit at a time, so a swapped or shifted bit cannot hide behind "all set".
        Decoded decoded = decode(PacketBuilder.tcp().flags(flag).build());
        assertThat(decoded.segment().flags()).isEqualTo(flag);
        assertThat(decoded.segment().has(flag)).isTrue();
    }

    @Test
    void flagConstantsMatchTheHeaderBitPositions() {
        // byte 13 is CWR ECE URG ACK PSH RST SYN FIN from the top; AE is byte 12's low bit
        assertThat(new int[] {TcpFlags.FIN, TcpFlags.SYN, TcpFlags.RST, TcpFlags.PSH, TcpFlags.ACK, TcpFlags.URG,
                TcpFlags.ECE, TcpFlags.CWR, TcpFlags.AE}).containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256);
        Packet packet = PacketBuilder.tcp().flags(0).build();
        Packet withAe = packet.withByte(packet.tcpOffset() + 12, (5 << 4) | 0x01);
        assertThat(decode(withAe).segment().flags()).isEqualTo(TcpFlags.AE);
    }

    @Test
    void reservedBitsOfByte12AreNotFlags() {
        Packet packet = PacketBuilder.tcp().flags(TcpFlags.ACK).build();
        // data offset 5, the three reserved bits set, AE clear
        Packet reserved = packet.withByte(packet.tcpOffset() + 12, (5 << 4) | 0x0E);
        Decoded decoded = decode(reserved);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().flags()).isEqualTo(TcpFlags.ACK);
        assertThat(decoded.segment().headerLength()).isEqualTo(20);
    }

    // ------------------------------------------------------------------ lengths

    @Test
    void ethernetPaddingAfterAnEmptySegmentIsNotPayload() {
        // 14 + 20 + 20 = 54 bytes; Ethernet pads to 60 with 6 bytes that are not part of the datagram
        Packet packet = PacketBuilder.tcp().flags(TcpFlags.ACK).ethernetPadding(6).build();
        assertThat(packet.length()).isEqualTo(60);

        Decoded decoded = validate(packet);

        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().payloadLength()).isZero();
        assertThat(decoded.segment().payloadCaptured()).isZero();
        assertThat(decoded.segment().ipLength()).isEqualTo(40);
        // the checksum covers the IP length only: padding in it would make it BAD
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @Test
    void ethernetPaddingAfterAShortPayloadIsNotPayload() {
        Packet packet = PacketBuilder.tcp().payload(3).trailer((byte) 0xAA, (byte) 0xBB, (byte) 0xCC).build();
        Decoded decoded = validate(packet);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().payloadLength()).isEqualTo(3);
        assertThat(decoded.segment().payloadCaptured()).isEqualTo(3);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void snaplenCutSegmentKeepsTheFullPayloadLength(int ipVersion) {
        Packet packet = ip(PacketBuilder.tcp(), ipVersion).payload(1000).build();
        Frame cut = packet.frame(packet.payloadOffset() + 100);

        Decoded decoded = decode(cut, ChecksumMode.IGNORE);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().payloadLength()).isEqualTo(1000);
        assertThat(decoded.segment().payloadCaptured()).isEqualTo(100);
        assertThat(decoded.segment().ipLength()).isEqualTo((ipVersion == 4 ? 20 : 40) + 20 + 1000);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.UNCHECKED);

        // A cut segment cannot be checked: it is kept, marked unverifiable.
        Decoded validated = decode(packet.frame(packet.payloadOffset() + 100), ChecksumMode.VALIDATE);
        assertThat(validated.result()).isEqualTo(TCP);
        assertThat(validated.segment().checksum()).isEqualTo(ChecksumStatus.UNVERIFIABLE);
        assertThat(validated.segment().payloadLength()).isEqualTo(1000);
    }

    @Test
    void snaplenCutOneByteShortIsUnverifiableEvenWithABadChecksum() {
        Packet packet = PacketBuilder.tcp().payload(50).corruptTcpChecksum().build();
        Decoded validated = decode(packet.frame(packet.length() - 1), ChecksumMode.VALIDATE);
        assertThat(validated.result()).isEqualTo(TCP);
        assertThat(validated.segment().checksum()).isEqualTo(ChecksumStatus.UNVERIFIABLE);
        assertThat(validated.segment().payloadCaptured()).isEqualTo(49);
    }

    @Test
    void ipv4TotalLengthZeroInAWholeFrameMeansTheCapturedLength() {
        // Segmentation offload: a 3000-byte super-packet with total length 0.
        Packet packet = PacketBuilder.tcp().payload(3000).ipTotalLength(0).build();
        Decoded decoded = validate(packet);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().payloadLength()).isEqualTo(3000);
        assertThat(decoded.segment().payloadCaptured()).isEqualTo(3000);
        assertThat(decoded.segment().ipLength()).isEqualTo(3040);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @Test
    void ipv6PayloadLengthZeroInAWholeFrameMeansTheCapturedLength() {
        Packet packet = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").payload(2000).ipv6PayloadLength(0).build();
        Decoded decoded = validate(packet);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().payloadLength()).isEqualTo(2000);
        assertThat(decoded.segment().ipLength()).isEqualTo(2060);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void lengthZeroUnderASnaplenFallsBackToTheWireLength(int ipVersion) {
        PacketBuilder builder = ip(PacketBuilder.tcp(), ipVersion).payload(3000);
        Packet packet = (ipVersion == 4 ? builder.ipTotalLength(0) : builder.ipv6PayloadLength(0)).build();
        Frame cut = packet.frame(200); // originalLength stays the full frame length
        assertThat(cut.originalLength()).isEqualTo(packet.length());

        Decoded decoded = decode(cut, ChecksumMode.IGNORE);

        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().payloadLength()).isEqualTo(3000);
        assertThat(decoded.segment().payloadCaptured()).isEqualTo(200 - packet.payloadOffset());
        assertThat(decoded.segment().ipLength()).isEqualTo(packet.length() - packet.ipOffset());
    }

    @Test
    void ipv4HeaderWithOptionsMovesTheTcpHeader() {
        Packet packet = PacketBuilder.tcp().ihl(15).ports(1111, 2222).seq(77).payload(5).build();
        Decoded decoded = validate(packet);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().sourcePort()).isEqualTo(1111);
        assertThat(decoded.segment().destinationPort()).isEqualTo(2222);
        assertThat(decoded.segment().sequence()).isEqualTo(77);
        assertThat(decoded.segment().ipLength()).isEqualTo(60 + 20 + 5);
        assertThat(decoded.segment().payloadLength()).isEqualTo(5);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @Test
    void sequenceLengthCountsPayloadSynAndFin() {
        assertThat(decode(PacketBuilder.tcp().flags(TcpFlags.SYN).build()).segment().sequenceLength()).isEqualTo(1);
        assertThat(decode(PacketBuilder.tcp().flags(TcpFlags.SYN | TcpFlags.ACK).build()).segment()
                .sequenceLength()).isEqualTo(1);
        assertThat(decode(PacketBuilder.tcp().flags(TcpFlags.FIN | TcpFlags.ACK).payload(5).build()).segment()
                .sequenceLength()).isEqualTo(6);
        assertThat(decode(PacketBuilder.tcp().flags(TcpFlags.SYN | TcpFlags.FIN).payload(10).build()).segment()
                .sequenceLength()).isEqualTo(12);
        assertThat(decode(PacketBuilder.tcp().flags(TcpFlags.ACK | TcpFlags.PSH).payload(7).build()).segment()
                .sequenceLength()).isEqualTo(7);
        assertThat(decode(PacketBuilder.tcp().flags(TcpFlags.RST).build()).segment().sequenceLength()).isZero();
        // every other flag set, SYN and FIN clear: payload only
        int others = 0x1FF & ~(TcpFlags.SYN | TcpFlags.FIN);
        assertThat(decode(PacketBuilder.tcp().flags(others).payload(4).build()).segment().sequenceLength())
                .isEqualTo(4);
    }

    // ------------------------------------------------------------------ IPv6 extension headers

    static Stream<Arguments> ipv6Extensions() {
        return Stream.of(
                Arguments.of("hop-by-hop 8", (UnaryOperator<PacketBuilder>) b -> b.hopByHop(8), 8),
                Arguments.of("hop-by-hop 24", (UnaryOperator<PacketBuilder>) b -> b.hopByHop(24), 24),
                Arguments.of("routing 24", (UnaryOperator<PacketBuilder>) b -> b.routing(24), 24),
                Arguments.of("destination options 8", (UnaryOperator<PacketBuilder>) b -> b.destinationOptions(8), 8),
                Arguments.of("destination options 16",
                        (UnaryOperator<PacketBuilder>) b -> b.destinationOptions(16), 16),
                Arguments.of("atomic fragment", (UnaryOperator<PacketBuilder>) b -> b.fragmentHeader(0, false), 8),
                Arguments.of("AH 12", (UnaryOperator<PacketBuilder>) b -> b.authentication(12), 12),
                Arguments.of("AH 24", (UnaryOperator<PacketBuilder>) b -> b.authentication(24), 24),
                Arguments.of("mobility 135", (UnaryOperator<PacketBuilder>) b -> b.extension(135, 16), 16),
                Arguments.of("all five in order",
                        (UnaryOperator<PacketBuilder>) b -> b.hopByHop(8).destinationOptions(16).routing(24)
                                .fragmentHeader(0, false).authentication(16).destinationOptions(8),
                        8 + 16 + 24 + 8 + 16 + 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv6Extensions")
    void ipv6ExtensionHeadersAreSkippedToTheTcpHeader(String name, UnaryOperator<PacketBuilder> extensions,
            int extensionBytes) {
        Packet packet = extensions.apply(everyField(6)).build();
        assertThat(packet.tcpOffset() - packet.ipOffset()).isEqualTo(40 + extensionBytes);

        Decoded decoded = validate(packet);

        assertThat(decoded.result()).isEqualTo(TCP);
        TcpSegment s = decoded.segment();
        assertThat(s.sourcePort()).isEqualTo(SRC_PORT);
        assertThat(s.sequence()).isEqualTo(SEQ);
        assertThat(s.headerLength()).isEqualTo(60);
        assertThat(s.payloadLength()).isEqualTo(PAYLOAD);
        assertThat(s.mss()).isEqualTo(MSS);
        assertThat(s.ipLength()).isEqualTo(40 + extensionBytes + 60 + PAYLOAD);
        // the pseudo-header length excludes the extension headers
        assertThat(s.checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @Test
    void ipv6ExtensionChainToUdpIsNotTcp() {
        assertThat(resultOf(PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").hopByHop(8).ipProtocol(17).build()))
                .isEqualTo(NOT_TCP);
    }

    @Test
    void ipv6EndlessExtensionChainIsRejected() {
        PacketBuilder builder = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2");
        for (int i = 0; i < 100; i++) {
            builder.destinationOptions(8);
        }
        assertThat(resultOf(builder.build())).isEqualTo(IPV6_EXTENSION_CHAIN);
    }

    @Test
    void ipv6ExtensionRunningPastThePayloadLengthIsBadIpLength() {
        // payload length 8 covers the hop-by-hop header only; the 16-byte routing header overruns it
        Packet packet = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").hopByHop(8).routing(16)
                .ipv6PayloadLength(8 + 8).build();
        assertThat(resultOf(packet)).isEqualTo(BAD_IP_LENGTH);
    }

    // ------------------------------------------------------------------ fragments

    @Test
    void ipv4NonFirstFragmentsAreSkipped() {
        assertThat(resultOf(PacketBuilder.tcp().moreFragments().fragmentOffset(185).payload(40).build()))
                .isEqualTo(IP_FRAGMENT);
        // the last fragment: MF clear, offset set
        assertThat(resultOf(PacketBuilder.tcp().fragmentOffset(1).payload(40).build())).isEqualTo(IP_FRAGMENT);
        // the highest offset bit
        assertThat(resultOf(PacketBuilder.tcp().fragmentOffset(0x1000).build())).isEqualTo(IP_FRAGMENT);
    }

    @Test
    void ipv4FirstFragmentIsTcpMarkedAsFirstFragment() {
        Packet packet = PacketBuilder.tcp().moreFragments().ports(5555, 80).payload(64).build();
        Decoded decoded = decode(packet);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().firstFragment()).isTrue();
        assertThat(decoded.segment().sourcePort()).isEqualTo(5555);

        // Its checksum covers the whole datagram, most of which is in other frames.
        Decoded validated = validate(PacketBuilder.tcp().moreFragments().payload(64).corruptTcpChecksum().build());
        assertThat(validated.result()).isEqualTo(TCP);
        assertThat(validated.segment().checksum()).isEqualTo(ChecksumStatus.UNVERIFIABLE);
    }

    @Test
    void ipv4DontFragmentAloneIsAnOrdinarySegment() {
        Decoded decoded = validate(PacketBuilder.tcp().dontFragment().build());
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().firstFragment()).isFalse();
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @ParameterizedTest(name = "offset {0}")
    @ValueSource(ints = {1, 185, 0x1FFF})
    void ipv6FragmentHeaderWithAnOffsetIsSkipped(int offset) {
        Packet packet = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").fragmentHeader(offset, offset != 0x1FFF)
                .build();
        assertThat(resultOf(packet)).isEqualTo(IP_FRAGMENT);
    }

    @Test
    void ipv6FirstFragmentIsTcpMarkedAsFirstFragment() {
        Packet packet = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").hopByHop(8).fragmentHeader(0, true)
                .payload(30).build();
        Decoded decoded = validate(packet);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().firstFragment()).isTrue();
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.UNVERIFIABLE);
    }

    @Test
    void firstFragmentFlagIsClearedForTheNextFrame() {
        // The segment is reused: a fragment's mark must not stick to the next frame.
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        TcpSegment segment = new TcpSegment();
        assertThat(decoder.decode(PacketBuilder.tcp().moreFragments().build().frame(), segment)).isEqualTo(TCP);
        assertThat(segment.firstFragment()).isTrue();
        assertThat(decoder.decode(PacketBuilder.tcp().build().frame(), segment)).isEqualTo(TCP);
        assertThat(segment.firstFragment()).isFalse();
        assertThat(decoder.decode(PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").fragmentHeader(0, true).build()
                .frame(), segment)).isEqualTo(TCP);
        assertThat(segment.firstFragment()).isTrue();
        assertThat(decoder.decode(PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").build().frame(), segment))
                .isEqualTo(TCP);
        assertThat(segment.firstFragment()).isFalse();
    }

    // ------------------------------------------------------------------ not TCP, not IP, unsupported

    @ParameterizedTest(name = "IPv{0} protocol {1}")
    @MethodSource("nonTcpProtocols")
    void otherIpProtocolsAreNotTcp(int ipVersion, int protocol) {
        assertThat(resultOf(ip(PacketBuilder.tcp(), ipVersion).ipProtocol(protocol).build())).isEqualTo(NOT_TCP);
    }

    static Stream<Arguments> nonTcpProtocols() {
        // UDP, ICMP, ESP (IPv4); UDP, ICMPv6, no next header, ESP (IPv6). IP-in-IP and GRE are
        // tunnels tcpstate follows (TunnelDecodingTest)
        return Stream.of(Arguments.of(4, 17), Arguments.of(4, 1), Arguments.of(4, 50), Arguments.of(6, 17), Arguments.of(6, 58), Arguments.of(6, 59),
                Arguments.of(6, 50));
    }

    @Test
    void nonIpLinkPayloadsAreNotIp() {
        assertThat(resultOf(PacketBuilder.tcp().etherType(PacketBuilder.ETHERTYPE_ARP).build())).isEqualTo(NOT_IP);
        assertThat(resultOf(PacketBuilder.tcp().sll().etherType(PacketBuilder.ETHERTYPE_ARP).build()))
                .isEqualTo(NOT_IP);
        assertThat(resultOf(PacketBuilder.tcp().sll2().etherType(0x88CC).build())).isEqualTo(NOT_IP); // LLDP
        assertThat(resultOf(PacketBuilder.tcp().vlan(3).etherType(PacketBuilder.ETHERTYPE_ARP).build()))
                .isEqualTo(NOT_IP);
        // an 802.3 length field, not an EtherType
        assertThat(resultOf(PacketBuilder.tcp().etherType(0x0040).build())).isEqualTo(NOT_IP);
        // PPP LCP inside a PPPoE session
        assertThat(resultOf(PacketBuilder.tcp().pppProtocol(0xC021).build())).isEqualTo(NOT_IP);
        // BSD loopback with an address family that is not IP (AF_APPLETALK 16, AF_UNIX 1)
        assertThat(resultOf(PacketBuilder.tcp().bsdNull(ByteOrder.LITTLE_ENDIAN).family(16).build()))
                .isEqualTo(NOT_IP);
        assertThat(resultOf(PacketBuilder.tcp().loop().family(1).build())).isEqualTo(NOT_IP);
        // raw IP and MPLS payloads whose version nibble is neither 4 nor 6
        assertThat(resultOf(PacketBuilder.tcp().raw(101).ipVersionNibble(5).build())).isEqualTo(NOT_IP);
        assertThat(resultOf(PacketBuilder.tcp().mpls(20).ipVersionNibble(0).build())).isEqualTo(NOT_IP);
    }

    @Test
    void endlessVlanTagsAreNotIp() {
        PacketBuilder builder = PacketBuilder.tcp();
        for (int i = 0; i < 40; i++) {
            builder.vlan(i);
        }
        assertThat(resultOf(builder.build())).isEqualTo(NOT_IP);
    }

    @Test
    void mplsStackWithoutBottomOfStackIsNotIp() {
        // 40 labels without the S bit, then a valid IPv4 TCP datagram: the decoder must neither
        // take a label for the IP header nor walk the stack forever
        Packet packet = PacketBuilder.tcp().mpls(1).build();
        byte[] bytes = packet.bytes();
        int ipLength = packet.length() - packet.ipOffset();
        ByteBuffer many = ByteBuffer.allocate(14 + 4 * 40 + ipLength);
        many.put(bytes, 0, 14);
        for (int i = 0; i < 40; i++) {
            many.putInt(((i + 16) << 12) | 64);
        }
        many.put(bytes, packet.ipOffset(), ipLength);
        Frame frame = new Frame().wrap(ByteBuffer.wrap(many.array()), 0, many.capacity(), many.capacity(), 0, 1);
        assertThat(decode(frame, ChecksumMode.IGNORE).result()).isEqualTo(NOT_IP);
    }

    @ParameterizedTest(name = "link type {0}")
    @ValueSource(ints = {105, 127, 2, 9, 50, 104, 192, 147, 277, 65535, -1})
    void unknownLinkTypesAreUnsupported(int linkType) {
        Packet packet = PacketBuilder.tcp().build();
        Frame frame = new Frame().wrap(ByteBuffer.wrap(packet.bytes()), 0, packet.length(), packet.length(), 0,
                linkType);
        assertThat(decode(frame, ChecksumMode.IGNORE).result()).isEqualTo(UNSUPPORTED_LINK_TYPE);
    }

    // ------------------------------------------------------------------ truncation

    /**
     * What a capture cut after {@code captured} bytes must decode to: the layer the cut falls in.
     * Options are parsed as far as they go; the payload counts what is there.
     */
    static DecodeResult expectedForCut(Packet packet, int captured) {
        if (captured < packet.ipOffset()) {
            return TRUNCATED_LINK_HEADER;
        }
        if (captured < packet.tcpOffset()) {
            return TRUNCATED_IP_HEADER;
        }
        if (captured < packet.tcpOffset() + 20) {
            return TRUNCATED_TCP_HEADER;
        }
        return TCP;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encapsulations")
    void everyTruncationPointGivesTheLayerItFallsIn(Encapsulation encapsulation) {
        Packet packet = encapsulation.apply(everyField(encapsulation.ipVersion())).build();
        int tcp = packet.tcpOffset();
        List<String> wrong = new ArrayList<>();
        for (int captured = 0; captured < packet.length(); captured++) {
            for (ChecksumMode mode : ChecksumMode.values()) {
                Decoded decoded = decode(packet.frame(captured), mode);
                String at = "cut at " + captured + " " + mode + ": ";
                DecodeResult expected = expectedForCut(packet, captured);
                if (decoded.result() != expected) {
                    wrong.add(at + decoded.result() + ", expected " + expected);
                    continue;
                }
                if (expected != TCP) {
                    continue;
                }
                TcpSegment s = decoded.segment();
                // The fixed header is whole, so all of it is right; an option is known exactly when
                // all its bytes were captured (MSS 20..24, NOP, WS 25..28, SACK-perm 28..30,
                // timestamps 30..40, SACK 40..58).
                List<Object> actual = List.of(s.sequence(), s.flags(), s.payloadLength(), s.payloadCaptured(),
                        s.optionsTruncated(), s.optionsMalformed(), s.mss(), s.windowScale(), s.sackPermitted(),
                        s.hasTimestamps(), s.sackBlocks(), s.checksum());
                List<Object> wanted = List.of(SEQ, ALL_FLAGS, PAYLOAD, Math.max(0, captured - packet.payloadOffset()),
                        captured < packet.payloadOffset(), false, captured >= tcp + 24 ? MSS : -1,
                        captured >= tcp + 28 ? WSCALE : -1, captured >= tcp + 30, captured >= tcp + 40,
                        captured >= tcp + 58 ? 2 : 0,
                        mode == ChecksumMode.IGNORE ? ChecksumStatus.UNCHECKED : ChecksumStatus.UNVERIFIABLE);
                if (!actual.equals(wanted)) {
                    wrong.add(at + actual + ", expected " + wanted);
                }
            }
        }
        assertThat(wrong).as("seq, flags, payloadLength, payloadCaptured, optionsTruncated, optionsMalformed,"
                + " mss, windowScale, sackPermitted, hasTimestamps, sackBlocks, checksum").isEmpty();
    }

    @Test
    void truncationInsideIpv4OptionsIsATruncatedIpHeader() {
        Packet packet = PacketBuilder.tcp().ihl(12).build();
        for (int captured = 14; captured < 14 + 48; captured++) {
            assertThat(decode(packet.frame(captured), ChecksumMode.IGNORE).result()).as("cut at %d", captured)
                    .isEqualTo(TRUNCATED_IP_HEADER);
        }
        assertThat(decode(packet.frame(14 + 48), ChecksumMode.IGNORE).result()).isEqualTo(TRUNCATED_TCP_HEADER);
    }

    @Test
    void truncationInsideIpv6ExtensionHeaders() {
        // hop-by-hop (8) then destination options (16) then TCP. An extension header is skipped as
        // soon as its next-header and length bytes are in; a cut before them is an extension-chain
        // problem, a cut after them lands where the TCP header would start.
        Packet packet = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").hopByHop(8).destinationOptions(16).build();
        int first = packet.ipOffset() + 40;
        int second = first + 8;
        assertThat(packet.tcpOffset()).isEqualTo(second + 16);
        for (int captured = first; captured < packet.tcpOffset(); captured++) {
            DecodeResult expected = captured < second + 2 ? IPV6_EXTENSION_CHAIN : TRUNCATED_TCP_HEADER;
            assertThat(decode(packet.frame(captured), ChecksumMode.IGNORE).result()).as("cut at %d", captured)
                    .isEqualTo(expected);
        }
    }

    @Test
    void truncationInsideAnIpv6FragmentHeaderIsAnExtensionChainProblem() {
        // the fragment header's offset is read, so all 8 bytes must be there
        Packet packet = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").fragmentHeader(0, false).build();
        int first = packet.ipOffset() + 40;
        for (int captured = first; captured < first + 8; captured++) {
            assertThat(decode(packet.frame(captured), ChecksumMode.IGNORE).result()).as("cut at %d", captured)
                    .isEqualTo(IPV6_EXTENSION_CHAIN);
        }
        assertThat(decode(packet.frame(first + 8), ChecksumMode.IGNORE).result()).isEqualTo(TRUNCATED_TCP_HEADER);
    }

    // ------------------------------------------------------------------ malformed IP / TCP headers

    @ParameterizedTest(name = "IHL {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void ipv4HeaderLengthBelowFiveWordsIsBad(int ihl) {
        assertThat(resultOf(PacketBuilder.tcp().ihl(ihl).build())).isEqualTo(BAD_IP_HEADER_LENGTH);
    }

    @Test
    void ipv4TotalLengthShorterThanTheHeaderIsBad() {
        assertThat(resultOf(PacketBuilder.tcp().ipTotalLength(19).build())).isEqualTo(BAD_IP_LENGTH);
        assertThat(resultOf(PacketBuilder.tcp().ipTotalLength(1).build())).isEqualTo(BAD_IP_LENGTH);
        assertThat(resultOf(PacketBuilder.tcp().ihl(8).ipTotalLength(28).build())).isEqualTo(BAD_IP_LENGTH);
        assertThat(resultOf(PacketBuilder.tcp().ihl(8).ipTotalLength(31).build())).isEqualTo(BAD_IP_LENGTH);
    }

    @ParameterizedTest(name = "data offset {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void tcpDataOffsetBelowFiveWordsIsBad(int dataOffset) {
        assertThat(resultOf(PacketBuilder.tcp().dataOffset(dataOffset).payload(40).build()))
                .isEqualTo(BAD_TCP_DATA_OFFSET);
        assertThat(resultOf(PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").dataOffset(dataOffset).payload(40)
                .build())).isEqualTo(BAD_TCP_DATA_OFFSET);
    }

    @Test
    void tcpDataOffsetBeyondTheIpPayloadIsBad() {
        // a 60-byte TCP header, but the IP length leaves room for only 40 bytes of it; the frame
        // still holds all 60 (so this is not a capture cut)
        Packet v4 = PacketBuilder.tcp().dataOffset(15).ipTotalLength(20 + 40).build();
        assertThat(v4.length()).isEqualTo(14 + 20 + 60);
        assertThat(resultOf(v4)).isEqualTo(BAD_TCP_DATA_OFFSET);
        Packet v6 = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").dataOffset(6).ipv6PayloadLength(20).build();
        assertThat(resultOf(v6)).isEqualTo(BAD_TCP_DATA_OFFSET);
        // exactly the header: fine, no payload
        Decoded exact = decode(PacketBuilder.tcp().dataOffset(15).payload(10).ipTotalLength(20 + 60).build());
        assertThat(exact.result()).isEqualTo(TCP);
        assertThat(exact.segment().payloadLength()).isZero();
    }

    @Test
    void ipVersionNibbleMustMatchTheLinkLayer() {
        // EtherType IPv4 carrying a header that says 6, and the other way round
        assertThat(resultOf(PacketBuilder.tcp().ipVersionNibble(6).build())).isEqualTo(BAD_IP_VERSION);
        assertThat(resultOf(PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").ipVersionNibble(4).build()))
                .isEqualTo(BAD_IP_VERSION);
        assertThat(resultOf(PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").linkIpv4().build()))
                .isEqualTo(BAD_IP_VERSION);
        assertThat(resultOf(PacketBuilder.tcp().linkIpv6().payload(40).build())).isEqualTo(BAD_IP_VERSION);
        assertThat(resultOf(PacketBuilder.tcp().pppoe().ipVersionNibble(6).build())).isEqualTo(BAD_IP_VERSION);
        assertThat(resultOf(PacketBuilder.tcp().bsdNull(ByteOrder.LITTLE_ENDIAN).family(AF_INET6_BSD).payload(40)
                .build())).isEqualTo(BAD_IP_VERSION);
        assertThat(resultOf(PacketBuilder.tcp().sll2().ipVersionNibble(5).build())).isEqualTo(BAD_IP_VERSION);
    }

    // ------------------------------------------------------------------ checksums

    static Stream<Arguments> checksumCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int payload : new int[] {0, 1, 2, 3, 13, 1001, 1460}) {
            cases.add(Arguments.of("IPv4, " + payload + " B", (UnaryOperator<PacketBuilder>) b -> b, payload));
            cases.add(Arguments.of("IPv4 IHL 9, " + payload + " B", (UnaryOperator<PacketBuilder>) b -> b.ihl(9),
                    payload));
            cases.add(Arguments.of("IPv6, " + payload + " B",
                    (UnaryOperator<PacketBuilder>) b -> b.ipv6(SRC6, DST6), payload));
            cases.add(Arguments.of("IPv6 + hop-by-hop + AH, " + payload + " B",
                    (UnaryOperator<PacketBuilder>) b -> b.ipv6(SRC6, DST6).hopByHop(16).authentication(20), payload));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checksumCases")
    void validChecksumsValidate(String name, UnaryOperator<PacketBuilder> ip, int payload) {
        Decoded decoded = validate(ip.apply(PacketBuilder.tcp().mss(1400)).payload(payload).build());
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
        assertThat(decoded.segment().payloadLength()).isEqualTo(payload);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checksumCases")
    void corruptTcpChecksumIsRejectedOnlyWhenValidating(String name, UnaryOperator<PacketBuilder> ip,
            int payload) {
        Packet packet = ip.apply(PacketBuilder.tcp()).payload(payload).corruptTcpChecksum().build();
        assertThat(validate(packet).result()).isEqualTo(BAD_TCP_CHECKSUM);

        Decoded ignored = decode(packet);
        assertThat(ignored.result()).isEqualTo(TCP);
        assertThat(ignored.segment().checksum()).isEqualTo(ChecksumStatus.UNCHECKED);
    }

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(ints = {0, 1, 2, 3, 999})
    void corruptIpv4HeaderChecksumIsRejectedOnlyWhenValidating(int payload) {
        Packet packet = PacketBuilder.tcp().payload(payload).corruptIpChecksum().build();
        assertThat(validate(packet).result()).isEqualTo(BAD_IP_CHECKSUM);
        assertThat(validate(PacketBuilder.tcp().ihl(7).payload(payload).corruptIpChecksum().build()).result())
                .isEqualTo(BAD_IP_CHECKSUM);

        Decoded ignored = decode(packet);
        assertThat(ignored.result()).isEqualTo(TCP);
        assertThat(ignored.segment().checksum()).isEqualTo(ChecksumStatus.UNCHECKED);
    }

    @Test
    void ipv4HeaderChecksumCoversTheOptions() {
        Packet packet = PacketBuilder.tcp().ihl(8).build();
        // the decoder does not interpret IP options, but the header checksum covers them
        Packet changed = packet.withByte(packet.ipOffset() + 21, 0x07);
        assertThat(validate(packet).result()).isEqualTo(TCP);
        assertThat(validate(changed).result()).isEqualTo(BAD_IP_CHECKSUM);
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void tcpChecksumCoversThePseudoHeaderAddresses(int ipVersion) {
        // A checksum that is right for other addresses is wrong for these: the pseudo-header counts.
        Packet original = ip(PacketBuilder.tcp(), ipVersion).payload(21).build();
        int checksum = ((original.bytes()[original.tcpOffset() + 16] & 0xFF) << 8)
                | (original.bytes()[original.tcpOffset() + 17] & 0xFF);
        PacketBuilder moved = PacketBuilder.tcp().payload(21).tcpChecksum(checksum);
        if (ipVersion == 4) {
            moved.ipv4("10.9.8.7", "10.0.0.2");
        } else {
            moved.ipv6("fd00::1:7", DST6);
        }
        assertThat(validate(original).result()).isEqualTo(TCP);
        assertThat(validate(moved.build()).result()).isEqualTo(BAD_TCP_CHECKSUM);
    }

    @Test
    void tcpChecksumCoversThePayload() {
        Packet packet = PacketBuilder.tcp().payload(101).build();
        assertThat(validate(packet).result()).isEqualTo(TCP);
        // the last (odd) payload byte
        Packet changed = packet.withByte(packet.ipEnd() - 1, packet.bytes()[packet.ipEnd() - 1] ^ 0x40);
        assertThat(validate(changed).result()).isEqualTo(BAD_TCP_CHECKSUM);
    }

    @Test
    void ipv6ChecksumWithExtensionHeadersUsesTheUpperLayerLength() {
        // A checksum computed as if the extension headers were part of the TCP length is wrong.
        Packet good = PacketBuilder.tcp().ipv6(SRC6, DST6).destinationOptions(8).payload(7).build();
        assertThat(validate(good).result()).isEqualTo(TCP);
        assertThat(validate(good).segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
        int checksum = ((good.bytes()[good.tcpOffset() + 16] & 0xFF) << 8) | (good.bytes()[good.tcpOffset() + 17] & 0xFF);
        int withExtensionLength = ~fold((~checksum & 0xFFFF) + 8) & 0xFFFF; // the sum with 8 more length
        Packet wrong = PacketBuilder.tcp().ipv6(SRC6, DST6).destinationOptions(8).payload(7)
                .tcpChecksum(withExtensionLength).build();
        assertThat(validate(wrong).result()).isEqualTo(BAD_TCP_CHECKSUM);
    }

    @Test
    void ipv6RoutingHeaderWithNoSegmentsLeftValidatesAgainstTheHeaderDestination() {
        // the packet has arrived: the header's destination is the final one
        Packet packet = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").routingHeader(4, 0, "fd00::2", "fd00::a")
                .payload(9).build();
        Decoded decoded = validate(packet);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
        assertThat(decoded.segment().ipLength()).isEqualTo(40 + 40 + 20 + 9);
    }

    @ParameterizedTest(name = "routing type {0}")
    @ValueSource(ints = {0, 4})
    void ipv6RoutingHeaderWithSegmentsLeftValidatesAgainstTheFinalDestination(int routingType) {
        // Sent from fd00::1 via fd00::a (the header's destination now) to fd00::2. Segment routing
        // (type 4) lists the final destination first; type 0 lists it last.
        Packet packet = routingType == 4
                ? PacketBuilder.tcp().ipv6("fd00::1", "fd00::a").routingHeader(4, 1, "fd00::2", "fd00::a")
                        .payload(9).build()
                : PacketBuilder.tcp().ipv6("fd00::1", "fd00::a").routingHeader(0, 1, "fd00::2").payload(9).build();
        Decoded decoded = validate(packet);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    @Test
    void ipChecksumIsNotCheckedWhenIgnoring() {
        Decoded decoded = decode(PacketBuilder.tcp().corruptIpChecksum().corruptTcpChecksum().build());
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().checksum()).isEqualTo(ChecksumStatus.UNCHECKED);
    }

    @ParameterizedTest
    @EnumSource(ChecksumMode.class)
    void skippedFramesDoNotDependOnTheChecksumMode(ChecksumMode mode) {
        // reasons other than checksums come out the same in both modes
        assertThat(decode(PacketBuilder.tcp().ipProtocol(17).corruptIpChecksum().build().frame(), mode).result())
                .isEqualTo(NOT_TCP);
        assertThat(decode(PacketBuilder.tcp().fragmentOffset(3).build().frame(), mode).result())
                .isEqualTo(IP_FRAGMENT);
        assertThat(decode(PacketBuilder.tcp().etherType(PacketBuilder.ETHERTYPE_ARP).build().frame(), mode)
                .result()).isEqualTo(NOT_IP);
    }
    // ------------------------------------------------------------------ TCP options

    @Test
    void noOptionsMeansAbsentValues() {
        TcpSegment s = decode(PacketBuilder.tcp().build()).segment();
        assertThat(s.mss()).isEqualTo(-1);
        assertThat(s.windowScale()).isEqualTo(-1);
        assertThat(s.sackPermitted()).isFalse();
        assertThat(s.sackBlocks()).isZero();
        assertThat(s.hasTimestamps()).isFalse();
        assertThat(s.optionsMalformed()).isFalse();
        assertThat(s.optionsTruncated()).isFalse();
    }

    @Test
    void optionsDoNotLeakIntoTheNextSegment() {
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        TcpSegment segment = new TcpSegment();
        decoder.decode(everyField(4).build().frame(), segment);
        assertThat(segment.mss()).isEqualTo(MSS);
        decoder.decode(PacketBuilder.tcp().option(1, 0x1E, 0).build().frame(), segment); // malformed
        assertThat(segment.optionsMalformed()).isTrue();
        assertThat(decoder.decode(PacketBuilder.tcp().build().frame(), segment)).isEqualTo(TCP);
        assertThat(segment.mss()).isEqualTo(-1);
        assertThat(segment.windowScale()).isEqualTo(-1);
        assertThat(segment.sackPermitted()).isFalse();
        assertThat(segment.sackBlocks()).isZero();
        assertThat(segment.hasTimestamps()).isFalse();
        assertThat(segment.optionsMalformed()).isFalse();
    }

    @Test
    void fourSackBlocksAreAllRead() {
        int[] edges = {1, 2, 0x80000000, 0xFFFFFFFF, 5, 6, 0x7FFFFFFF, 0x80000001};
        // 2 NOPs + 34 bytes of SACK: 36 option bytes, the most four blocks can take with alignment
        TcpSegment s = decode(PacketBuilder.tcp().nop().nop().sack(edges).build()).segment();
        assertThat(s.headerLength()).isEqualTo(56);
        assertThat(s.sackBlocks()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(s.sackLeft(i)).as("left %d", i).isEqualTo(edges[2 * i]);
            assertThat(s.sackRight(i)).as("right %d", i).isEqualTo(edges[2 * i + 1]);
        }
        assertThat(s.optionsMalformed()).isFalse();
    }

    @Test
    void unknownOptionsAreSkippedByTheirLength() {
        // MD5 signature (19, 18 bytes) and an experimental option (254, 4 bytes) before the MSS
        int[] md5 = new int[18];
        md5[0] = 19;
        md5[1] = 18;
        TcpSegment s = decode(PacketBuilder.tcp().option(md5).option(254, 4, 0xF9, 0x89).mss(536).windowScale(0)
                .build()).segment();
        assertThat(s.mss()).isEqualTo(536);
        assertThat(s.windowScale()).isZero();
        assertThat(s.optionsMalformed()).isFalse();
    }

    @Test
    void optionsAfterEndOfListAreIgnored() {
        TcpSegment s = decode(PacketBuilder.tcp().nop().eol().mss(1460).build()).segment();
        assertThat(s.mss()).isEqualTo(-1);
        assertThat(s.optionsMalformed()).isFalse();
    }

    @Test
    void nopPaddingAfterTheOptionsIsHarmless() {
        TcpSegment s = decode(PacketBuilder.tcp().mss(1200).windowScale(3).padWith(1).dataOffset(15).build())
                .segment();
        assertThat(s.mss()).isEqualTo(1200);
        assertThat(s.windowScale()).isEqualTo(3);
        assertThat(s.headerLength()).isEqualTo(60);
        assertThat(s.optionsMalformed()).isFalse();
    }

    @ParameterizedTest(name = "length byte {0}")
    @ValueSource(ints = {0, 1})
    void optionLengthBelowTwoIsMalformedButTheSegmentIsKept(int length) {
        Decoded decoded = decode(PacketBuilder.tcp().mss(1300).option(30, length, 0, 0).windowScale(5).payload(4)
                .build());
        assertThat(decoded.result()).isEqualTo(TCP);
        TcpSegment s = decoded.segment();
        assertThat(s.optionsMalformed()).isTrue();
        assertThat(s.optionsTruncated()).isFalse();
        assertThat(s.mss()).as("options before the bad one still count").isEqualTo(1300);
        assertThat(s.windowScale()).as("parsing stops at the bad one").isEqualTo(-1);
        assertThat(s.payloadLength()).isEqualTo(4);
    }

    @Test
    void optionRunningPastTheHeaderIsMalformed() {
        // kind 30 claims 12 bytes, only 8 remain in the header; the payload follows directly
        Decoded decoded = decode(PacketBuilder.tcp().mss(1300).option(30, 12, 0, 0, 0, 0, 0, 0).payload(20).build());
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().headerLength()).isEqualTo(32);
        assertThat(decoded.segment().optionsMalformed()).isTrue();
        assertThat(decoded.segment().optionsTruncated()).isFalse();
        assertThat(decoded.segment().mss()).isEqualTo(1300);
        assertThat(decoded.segment().payloadLength()).isEqualTo(20);
    }

    @Test
    void optionKindAsTheLastHeaderByteIsMalformed() {
        // NOP NOP NOP then a kind byte with no room for its length
        Decoded decoded = decode(PacketBuilder.tcp().option(1, 1, 1, 2).payload(20).build());
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().optionsMalformed()).isTrue();
        assertThat(decoded.segment().mss()).isEqualTo(-1);
    }

    @Test
    void knownOptionsWithTheWrongLengthAreMalformed() {
        // MSS of 3 bytes, window scale of 4, SACK-permitted of 3, timestamps of 8, SACK of 2+7
        assertThat(decode(PacketBuilder.tcp().option(2, 3, 5).build()).segment().optionsMalformed()).isTrue();
        assertThat(decode(PacketBuilder.tcp().option(2, 3, 5).build()).segment().mss()).isEqualTo(-1);
        assertThat(decode(PacketBuilder.tcp().option(3, 4, 7, 0).build()).segment().windowScale()).isEqualTo(-1);
        assertThat(decode(PacketBuilder.tcp().option(3, 4, 7, 0).build()).segment().optionsMalformed()).isTrue();
        assertThat(decode(PacketBuilder.tcp().option(4, 3, 0).build()).segment().optionsMalformed()).isTrue();
        assertThat(decode(PacketBuilder.tcp().option(4, 3, 0).build()).segment().sackPermitted()).isFalse();
        assertThat(decode(PacketBuilder.tcp().option(8, 8, 0, 0, 0, 1, 0, 0).build()).segment().hasTimestamps())
                .isFalse();
        assertThat(decode(PacketBuilder.tcp().option(8, 8, 0, 0, 0, 1, 0, 0).build()).segment().optionsMalformed())
                .isTrue();
        assertThat(decode(PacketBuilder.tcp().option(5, 9, 0, 0, 0, 1, 0, 0, 0).build()).segment()
                .optionsMalformed()).isTrue();
    }

    @Test
    void optionsCutByTheSnaplenAreTruncatedNotMalformed() {
        Packet packet = PacketBuilder.tcp().mss(1460).nop().windowScale(7).sackPermitted().timestamps(1, 2)
                .payload(100).build();
        int tcp = packet.tcpOffset();
        // cut in the middle of the timestamps option
        Decoded decoded = decode(packet.frame(tcp + 20 + 10 + 4), ChecksumMode.IGNORE);
        assertThat(decoded.result()).isEqualTo(TCP);
        TcpSegment s = decoded.segment();
        assertThat(s.optionsTruncated()).isTrue();
        assertThat(s.optionsMalformed()).isFalse();
        assertThat(s.mss()).isEqualTo(1460);
        assertThat(s.windowScale()).isEqualTo(7);
        assertThat(s.sackPermitted()).isTrue();
        assertThat(s.hasTimestamps()).isFalse();
        assertThat(s.payloadLength()).isEqualTo(100);
        assertThat(s.payloadCaptured()).isZero();
        // cut right after the kind byte of an option
        Decoded kindOnly = decode(packet.frame(tcp + 21), ChecksumMode.IGNORE);
        assertThat(kindOnly.segment().optionsTruncated()).isTrue();
        assertThat(kindOnly.segment().optionsMalformed()).isFalse();
        assertThat(kindOnly.segment().mss()).isEqualTo(-1);
    }

    @Test
    void optionCutByTheSnaplenThatAlsoOverrunsTheHeaderIsMalformed() {
        // the option claims 30 bytes in a header with 12 option bytes; the capture ends inside it
        Packet packet = PacketBuilder.tcp().option(30, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).payload(50).build();
        Decoded decoded = decode(packet.frame(packet.tcpOffset() + 26), ChecksumMode.IGNORE);
        assertThat(decoded.result()).isEqualTo(TCP);
        assertThat(decoded.segment().optionsTruncated()).isTrue();
        assertThat(decoded.segment().optionsMalformed()).isTrue();
    }

    @Test
    void optionsWhollyCapturedWithThePayloadCutAreNotTruncated() {
        Packet packet = PacketBuilder.tcp().mss(1460).payload(100).build();
        Decoded decoded = decode(packet.frame(packet.payloadOffset() + 1), ChecksumMode.IGNORE);
        assertThat(decoded.segment().optionsTruncated()).isFalse();
        assertThat(decoded.segment().mss()).isEqualTo(1460);
        assertThat(decoded.segment().payloadCaptured()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ PacketBuilder sanity

    @Nested
    class PacketBuilderChecks {
        // The builder is the other half of every assertion above: check its bytes against known layouts.

        @Test
        void ipv4ChecksumOfAKnownHeader() {
            // the classic example header from RFC 1071 discussions: 4500 0073 0000 4000 4011 ---- c0a8 0001 c0a8 00c7
            byte[] header = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, (byte) 0xC0,
                    (byte) 0xA8, 0x00, 0x01, (byte) 0xC0, (byte) 0xA8, 0x00, (byte) 0xC7};
            assertThat(PacketBuilder.checksum(header, 0, 20, 0)).isEqualTo(0xB861);
        }

        @Test
        void layoutOfAPlainEthernetFrame() {
            Packet packet = PacketBuilder.tcp().ports(0x1234, 0x5678).seq(0x01020304).ack(0x05060708)
                    .flags(TcpFlags.SYN | TcpFlags.AE).window(0x1000).mss(0x05B4).build();
            byte[] b = packet.bytes();
            assertThat(packet.ipOffset()).isEqualTo(14);
            assertThat(packet.tcpOffset()).isEqualTo(34);
            assertThat(packet.payloadOffset()).isEqualTo(58);
            assertThat(b[12] & 0xFF).isEqualTo(0x08);
            assertThat(b[14] & 0xFF).isEqualTo(0x45);
            assertThat(((b[16] & 0xFF) << 8) | (b[17] & 0xFF)).isEqualTo(20 + 24);
            assertThat(b[23]).isEqualTo((byte) 6);
            assertThat(java.util.Arrays.copyOfRange(b, 34, 58)).containsExactly(0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4,
                    5, 6, 7, 8, 0x61, 0x02, 0x10, 0x00, b[50], b[51], 0, 0, 2, 4, 0x05, (byte) 0xB4);
        }
    }

    // ------------------------------------------------------------------ helpers

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    static PacketBuilder ip(PacketBuilder builder, int ipVersion) {
        return ipVersion == 4 ? builder.ipv4(SRC4, DST4) : builder.ipv6(SRC6, DST6);
    }
}
