package dev.tcpstate.testing;

import dev.tcpstate.capture.Frame;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one test frame byte by byte: a link layer, an IPv4 or IPv6 header (with options or
 * extension headers) and a TCP segment with options and payload. Lengths and checksums are
 * computed unless a test overrides them, so a test states only what it cares about:
 *
 * <pre>{@code
 * Packet p = PacketBuilder.tcp().vlan(10).ipv6("fd00::1", "fd00::2").flags(SYN).mss(1460).build();
 * }</pre>
 *
 * <p>Every override writes its value as given (a wrong length stays wrong), so broken frames are
 * as easy to build as good ones.
 */
public final class PacketBuilder {
    public static final int AF_INET = 2;
    /** AF_INET6 as Linux, FreeBSD/NetBSD/OpenBSD, FreeBSD/DragonFly and Darwin number it. */
    public static final int AF_INET6_LINUX = 10;
    public static final int AF_INET6_BSD = 24;
    public static final int AF_INET6_FREEBSD = 28;
    public static final int AF_INET6_DARWIN = 30;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;
    public static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    public static final int ETHERTYPE_MPLS = 0x8847;

    public static final int IPV6_HOP_BY_HOP = 0;
    public static final int IPV6_ROUTING = 43;
    public static final int IPV6_FRAGMENT = 44;
    public static final int IPV6_AUTHENTICATION = 51;
    public static final int IPV6_DESTINATION_OPTIONS = 60;

    private enum Link { ETHERNET, SLL, SLL2, NULL, LOOP, RAW, IPV4, IPV6 }

    // Link layer.
    private Link link = Link.ETHERNET;
    private int rawLinkType = 101;
    private final List<int[]> tags = new ArrayList<>(); // {tpid, tci}, outermost first
    private boolean pppoe;
    private Integer pppProtocol;
    private int[] mplsLabels = {};
    private Integer etherType;
    private ByteOrder nullOrder = ByteOrder.LITTLE_ENDIAN;
    private Integer family;
    private byte[] trailer = {};

    // IP layer (both versions).
    private int ipVersion = 4;
    private byte[] source = address("10.0.0.1");
    private byte[] destination = address("10.0.0.2");
    private int ttl = 64;
    private Integer ipProtocol;
    private Integer versionNibble;

    // IPv4 only.
    private int ihl = 5;
    private int identification = 0x1234;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffset;
    private Integer totalLength;
    private boolean corruptIpChecksum;

    // IPv6 only.
    private final List<byte[]> extensions = new ArrayList<>(); // byte 0 (next header) is filled in by build()
    private final List<Integer> extensionTypes = new ArrayList<>();
    private Integer ipv6PayloadLength;
    private byte[] finalDestination; // the pseudo-header destination when a routing header has segments left

    // TCP.
    private int sourcePort = 40000;
    private int destinationPort = 80;
    private int sequence = 1;
    private int acknowledgement;
    private int flags = 0x10;
    private int window = 65535;
    private int urgentPointer;
    private final ByteArrayOutputStream options = new ByteArrayOutputStream();
    private Integer dataOffset;
    private int padByte;
    private byte[] payload = {};
    private boolean corruptTcpChecksum;
    private Integer tcpChecksum;

    private PacketBuilder() {
    }

    /** IPv4 10.0.0.1:40000 → 10.0.0.2:80 over Ethernet, ACK, seq 1, window 65535, no options. */
    public static PacketBuilder tcp() {
        return new PacketBuilder();
    }

    // ---------------------------------------------------------------- link layer

    public PacketBuilder ethernet() {
        link = Link.ETHERNET;
        return this;
    }

    /** An 802.1Q tag (TPID 0x8100) inside any tags added before. */
    public PacketBuilder vlan(int vlanId) {
        return tag(ETHERTYPE_VLAN, vlanId);
    }

    /** A VLAN tag with a chosen TPID (0x8100, 0x88a8, 0x9100). */
    public PacketBuilder tag(int tpid, int vlanId) {
        tags.add(new int[] {tpid, (5 << 13) | (vlanId & 0x0FFF)}); // priority 5: not all-zero TCI bits
        return this;
    }

    /** 802.1ad: an outer service tag (0x88a8) around an inner 802.1Q tag. */
    public PacketBuilder qinq(int outerVlanId, int innerVlanId) {
        return tag(ETHERTYPE_QINQ, outerVlanId).tag(ETHERTYPE_VLAN, innerVlanId);
    }

    /** A PPPoE session header and PPP protocol (0x0021 / 0x0057 from the IP version). */
    public PacketBuilder pppoe() {
        pppoe = true;
        return this;
    }

    public PacketBuilder pppProtocol(int protocol) {
        pppoe = true;
        pppProtocol = protocol;
        return this;
    }

    /** An MPLS label stack, outermost first; the last label gets the bottom-of-stack bit. */
    public PacketBuilder mpls(int... labels) {
        mplsLabels = labels.clone();
        return this;
    }

    /** Overrides the EtherType (or SLL protocol) that would follow from the layers. */
    public PacketBuilder etherType(int type) {
        etherType = type;
        return this;
    }

    /** Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113). */
    public PacketBuilder sll() {
        link = Link.SLL;
        return this;
    }

    /** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276). */
    public PacketBuilder sll2() {
        link = Link.SLL2;
        return this;
    }

    /** BSD loopback (LINKTYPE_NULL 0): address family in the capturing host's byte order. */
    public PacketBuilder bsdNull(ByteOrder hostOrder) {
        link = Link.NULL;
        nullOrder = hostOrder;
        return this;
    }

    /** OpenBSD loopback (LINKTYPE_LOOP 108): address family in network byte order. */
    public PacketBuilder loop() {
        link = Link.LOOP;
        return this;
    }

    /** Address family for NULL/LOOP; default AF_INET or AF_INET6_LINUX from the IP version. */
    public PacketBuilder family(int addressFamily) {
        family = addressFamily;
        return this;
    }

    /** Raw IP with no link header, as link type 101, 12 or 14. */
    public PacketBuilder raw(int linkType) {
        link = Link.RAW;
        rawLinkType = linkType;
        return this;
    }

    /** LINKTYPE_IPV4 (228): raw IPv4 only. */
    public PacketBuilder linkIpv4() {
        link = Link.IPV4;
        return this;
    }

    /** LINKTYPE_IPV6 (229): raw IPv6 only. */
    public PacketBuilder linkIpv6() {
        link = Link.IPV6;
        return this;
    }

    /** Bytes after the IP datagram that are not part of it (Ethernet minimum-size padding). */
    public PacketBuilder trailer(byte... bytes) {
        trailer = bytes.clone();
        return this;
    }

    public PacketBuilder ethernetPadding(int count) {
        return trailer(new byte[count]);
    }

    // ---------------------------------------------------------------- IP layer

    public PacketBuilder ipv4(String sourceAddress, String destinationAddress) {
        ipVersion = 4;
        source = address(sourceAddress);
        destination = address(destinationAddress);
        check(source.length == 4 && destination.length == 4, "IPv4 addresses expected");
        return this;
    }

    public PacketBuilder ipv6(String sourceAddress, String destinationAddress) {
        ipVersion = 6;
        source = address(sourceAddress);
        destination = address(destinationAddress);
        check(source.length == 16 && destination.length == 16, "IPv6 addresses expected");
        return this;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public PacketBuilder ttl(int value) {
        ttl = value;
        return this;
    }

    /** Protocol / final next header other than TCP (6). */
    public PacketBuilder ipProtocol(int protocol) {
        ipProtocol = protocol;
        return this;
    }

    /** Writes this version nibble whatever the header really is. */
    public PacketBuilder ipVersionNibble(int version) {
        versionNibble = version;
        return this;
    }

    /** IPv4 header length in 32-bit words (5..15); words past 20 bytes are NOPs and a final EOL. */
    public PacketBuilder ihl(int words) {
        ihl = words;
        return this;
    }

    public PacketBuilder dontFragment() {
        dontFragment = true;
        return this;
    }

    public PacketBuilder moreFragments() {
        moreFragments = true;
        return this;
    }

    /** IPv4 fragment offset in 8-byte units. */
    public PacketBuilder fragmentOffset(int units) {
        fragmentOffset = units;
        return this;
    }

    /** IPv4 total length written as given (0 models segmentation offload). */
    public PacketBuilder ipTotalLength(int length) {
        totalLength = length;
        return this;
    }

    public PacketBuilder corruptIpChecksum() {
        corruptIpChecksum = true;
        return this;
    }

    /** IPv6 payload length written as given. */
    public PacketBuilder ipv6PayloadLength(int length) {
        ipv6PayloadLength = length;
        return this;
    }

    public PacketBuilder hopByHop(int length) {
        return extension(IPV6_HOP_BY_HOP, length);
    }

    public PacketBuilder routing(int length) {
        return extension(IPV6_ROUTING, length);
    }

    public PacketBuilder destinationOptions(int length) {
        return extension(IPV6_DESTINATION_OPTIONS, length);
    }

    /** AH; {@code length} a multiple of 4, at least 12. */
    public PacketBuilder authentication(int length) {
        return extension(IPV6_AUTHENTICATION, length);
    }

    /**
     * A routing header listing {@code addresses}, with {@code segmentsLeft} still to visit. When
     * segments are left, the TCP checksum is computed, as the sender does (RFC 8200 section 8.1),
     * over the final destination: the last address for types 0 and 2, segment list [0] for
     * segment routing (type 4, whose list is in reverse order).
     */
    public PacketBuilder routingHeader(int routingType, int segmentsLeft, String... addresses) {
        ByteBuffer header = ByteBuffer.allocate(8 + 16 * addresses.length);
        header.put((byte) 0).put((byte) (2 * addresses.length)).put((byte) routingType).put((byte) segmentsLeft);
        if (routingType == 4) {
            header.put((byte) (addresses.length - 1)).put((byte) 0).putShort((short) 0); // last entry, flags, tag
        } else {
            header.putInt(0);
        }
        for (String address : addresses) {
            header.put(address(address));
        }
        if (segmentsLeft > 0) {
            finalDestination = address(routingType == 4 ? addresses[0] : addresses[addresses.length - 1]);
        }
        extensions.add(header.array());
        extensionTypes.add(IPV6_ROUTING);
        return this;
    }

    /** An IPv6 fragment header; {@code offsetUnits} in 8-byte units. */
    public PacketBuilder fragmentHeader(int offsetUnits, boolean more) {
        byte[] header = new byte[8];
        int field = (offsetUnits << 3) | (more ? 1 : 0);
        header[2] = (byte) (field >>> 8);
        header[3] = (byte) field;
        header[7] = 0x2A; // identification
        extensions.add(header);
        extensionTypes.add(IPV6_FRAGMENT);
        return this;
    }

    /**
     * An IPv6 extension header of {@code type} and total {@code length} in bytes: a multiple of 8
     * for hop-by-hop, routing and destination options (and other 8-octet-unit types), of 4 for AH.
     */
    public PacketBuilder extension(int type, int length) {
        if (type == IPV6_FRAGMENT) {
            check(length == 8, "fragment header is 8 bytes");
            return fragmentHeader(0, false);
        }
        byte[] header = new byte[length];
        if (type == IPV6_AUTHENTICATION) {
            check(length >= 12 && length % 4 == 0, "AH length: multiple of 4, >= 12");
            header[1] = (byte) (length / 4 - 2);
            header[7] = 0x01; // SPI 1
            header[11] = 0x01; // sequence number 1
        } else {
            check(length >= 8 && length % 8 == 0, "extension length: multiple of 8, >= 8");
            header[1] = (byte) (length / 8 - 1);
            if (type == IPV6_HOP_BY_HOP || type == IPV6_DESTINATION_OPTIONS) {
                header[2] = 1; // PadN covering the rest
                header[3] = (byte) (length - 4);
            }
            // routing: type 0, segments left 0, so the destination stays the final one
        }
        extensions.add(header);
        extensionTypes.add(type);
        return this;
    }

    // ---------------------------------------------------------------- TCP

    public PacketBuilder ports(int sourcePortValue, int destinationPortValue) {
        sourcePort = sourcePortValue;
        destinationPort = destinationPortValue;
        return this;
    }

    public PacketBuilder seq(int value) {
        sequence = value;
        return this;
    }

    public PacketBuilder ack(int value) {
        acknowledgement = value;
        return this;
    }

    /** Flag bits as {@code TcpFlags} numbers them: 0x001..0x080 in byte 13, AE (0x100) in byte 12. */
    public PacketBuilder flags(int bits) {
        flags = bits;
        return this;
    }

    public PacketBuilder window(int value) {
        window = value;
        return this;
    }

    public PacketBuilder urgentPointer(int value) {
        urgentPointer = value;
        return this;
    }

    public PacketBuilder mss(int value) {
        return option(2, 4, value >>> 8, value);
    }

    public PacketBuilder windowScale(int shift) {
        return option(3, 3, shift);
    }

    public PacketBuilder sackPermitted() {
        return option(4, 2);
    }

    /** A SACK option with blocks given as left, right, left, right, ... */
    public PacketBuilder sack(int... edges) {
        check(edges.length % 2 == 0, "SACK edges come in pairs");
        ByteBuffer option = ByteBuffer.allocate(2 + 4 * edges.length);
        option.put((byte) 5).put((byte) (2 + 4 * edges.length));
        for (int edge : edges) {
            option.putInt(edge);
        }
        options.writeBytes(option.array());
        return this;
    }

    public PacketBuilder timestamps(int value, int echo) {
        options.writeBytes(ByteBuffer.allocate(10).put((byte) 8).put((byte) 10).putInt(value).putInt(echo).array());
        return this;
    }

    public PacketBuilder nop() {
        return option(1);
    }

    public PacketBuilder eol() {
        return option(0);
    }

    /** Option bytes exactly as given (each int's low byte), for malformed options. */
    public PacketBuilder option(int... bytes) {
        for (int b : bytes) {
            options.write(b);
        }
        return this;
    }

    /** TCP data offset in words (5..15); the room after the options is filled with the pad byte. */
    public PacketBuilder dataOffset(int words) {
        dataOffset = words;
        return this;
    }

    /** Byte that fills the options area up to the data offset: 0 (EOL, the default) or 1 (NOP). */
    public PacketBuilder padWith(int optionByte) {
        padByte = optionByte;
        return this;
    }

    public PacketBuilder payload(byte... bytes) {
        payload = bytes.clone();
        return this;
    }

    /** {@code length} payload bytes of a recognisable pattern. */
    public PacketBuilder payload(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (0x41 + i % 26);
        }
        payload = bytes;
        return this;
    }

    /** Builds the frame with a TCP checksum that is off by one bit. */
    public PacketBuilder corruptTcpChecksum() {
        corruptTcpChecksum = true;
        return this;
    }

    /** Writes this TCP checksum value instead of the computed one. */
    public PacketBuilder tcpChecksum(int value) {
        tcpChecksum = value;
        return this;
    }

    // ---------------------------------------------------------------- build

    /** A built frame and where its layers start, for tests that cut or poke it. */
    public record Packet(byte[] bytes, int linkType, int ipOffset, int tcpOffset, int payloadOffset, int ipEnd) {
        public int length() {
            return bytes.length;
        }

        /** The whole frame in a buffer exactly as long as it. */
        public Frame frame() {
            return frame(bytes.length);
        }

        /** The first {@code captured} bytes, as a snaplen would cut them, in an exactly sized buffer. */
        public Frame frame(int captured) {
            return new Frame().wrap(ByteBuffer.wrap(Arrays.copyOf(bytes, captured)), 0, captured, bytes.length, 0,
                    linkType);
        }

        /** A copy with byte {@code index} replaced. */
        public Packet withByte(int index, int value) {
            byte[] copy = bytes.clone();
            copy[index] = (byte) value;
            return new Packet(copy, linkType, ipOffset, tcpOffset, payloadOffset, ipEnd);
        }
    }

    public Packet build() {
        byte[] tcp = tcpSegment();
        byte[] ip = ipVersion == 4 ? ipv4Datagram(tcp) : ipv6Datagram(tcp);
        int tcpInIp = ip.length - tcp.length;
        byte[] header = linkHeader(ip.length);
        ByteBuffer frame = ByteBuffer.allocate(header.length + ip.length + trailer.length);
        frame.put(header).put(ip).put(trailer);
        int tcpOffset = header.length + tcpInIp;
        return new Packet(frame.array(), linkType(), header.length, tcpOffset, tcpOffset + tcpHeaderLength(),
                header.length + ip.length);
    }

    private int tcpHeaderLength() {
        return dataOffset != null ? dataOffset * 4 : 20 + (options.size() + 3) / 4 * 4;
    }

    private byte[] tcpSegment() {
        int headerLength = tcpHeaderLength();
        check(headerLength >= 20 + options.size() || dataOffset != null && dataOffset < 5,
                "options do not fit in the data offset");
        int optionsRoom = Math.max(0, headerLength - 20);
        ByteBuffer tcp = ByteBuffer.allocate(Math.max(20, headerLength) + payload.length);
        tcp.putShort((short) sourcePort).putShort((short) destinationPort).putInt(sequence).putInt(acknowledgement);
        tcp.put((byte) (((headerLength / 4) << 4) | ((flags >>> 8) & 0x01))).put((byte) flags);
        tcp.putShort((short) window).putShort((short) 0).putShort((short) urgentPointer);
        byte[] optionBytes = Arrays.copyOf(options.toByteArray(), optionsRoom);
        Arrays.fill(optionBytes, Math.min(options.size(), optionsRoom), optionsRoom, (byte) padByte);
        tcp.put(optionBytes).put(payload);
        return tcp.array();
    }

    private byte[] ipv4Datagram(byte[] tcp) {
        int headerLength = ihl * 4;
        ByteBuffer ip = ByteBuffer.allocate(Math.max(20, headerLength) + tcp.length);
        int version = versionNibble != null ? versionNibble : 4;
        int fragmentField = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset & 0x1FFF);
        int length = totalLength != null ? totalLength : headerLength + tcp.length;
        ip.put((byte) ((version << 4) | (ihl & 0x0F))).put((byte) 0).putShort((short) length);
        ip.putShort((short) identification).putShort((short) fragmentField);
        ip.put((byte) ttl).put((byte) protocol()).putShort((short) 0).put(source).put(destination);
        for (int i = 20; i < headerLength; i++) {
            ip.put((byte) (i == headerLength - 1 ? 0x00 : 0x01)); // NOPs, then End of Option List
        }
        int headerEnd = ip.position();
        int checksum = checksum(ip.array(), 0, headerEnd, 0);
        ip.putShort(10, (short) (corruptIpChecksum ? checksum ^ 0x0100 : checksum));
        byte[] pseudo = ByteBuffer.allocate(12).put(source).put(destination).put((byte) 0).put((byte) 6)
                .putShort((short) tcp.length).array();
        ip.put(withTcpChecksum(tcp, pseudo));
        return ip.array();
    }

    private byte[] ipv6Datagram(byte[] tcp) {
        int extensionBytes = extensions.stream().mapToInt(e -> e.length).sum();
        ByteBuffer ip = ByteBuffer.allocate(40 + extensionBytes + tcp.length);
        int version = versionNibble != null ? versionNibble : 6;
        int length = ipv6PayloadLength != null ? ipv6PayloadLength : extensionBytes + tcp.length;
        int firstNext = extensions.isEmpty() ? protocol() : extensionTypes.get(0);
        ip.putInt((version << 28) | (0x2A << 20) | 0x12345).putShort((short) length).put((byte) firstNext)
                .put((byte) ttl).put(source).put(destination);
        for (int i = 0; i < extensions.size(); i++) {
            byte[] extension = extensions.get(i).clone();
            extension[0] = (byte) (i + 1 < extensions.size() ? extensionTypes.get(i + 1) : protocol());
            ip.put(extension);
        }
        byte[] pseudo = ByteBuffer.allocate(40).put(source)
                .put(finalDestination != null ? finalDestination : destination).putInt(tcp.length).putInt(6).array();
        ip.put(withTcpChecksum(tcp, pseudo));
        return ip.array();
    }

    private byte[] withTcpChecksum(byte[] tcp, byte[] pseudoHeader) {
        byte[] segment = tcp.clone();
        int sum = checksum(segment, 0, segment.length, partialSum(pseudoHeader, 0, pseudoHeader.length));
        int value = tcpChecksum != null ? tcpChecksum : corruptTcpChecksum ? sum ^ 0x0100 : sum;
        segment[16] = (byte) (value >>> 8);
        segment[17] = (byte) value;
        return segment;
    }

    private int protocol() {
        return ipProtocol != null ? ipProtocol : 6;
    }

    private int linkType() {
        return switch (link) {
            case ETHERNET -> 1;
            case SLL -> 113;
            case SLL2 -> 276;
            case NULL -> 0;
            case LOOP -> 108;
            case RAW -> rawLinkType;
            case IPV4 -> 228;
            case IPV6 -> 229;
        };
    }

    /** The EtherType / SLL protocol that leads to the IP header through tags, PPPoE or MPLS. */
    private byte[] etherTypeAndTags() {
        int inner = ipVersion == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
        ByteBuffer out = ByteBuffer.allocate(4 * tags.size() + 2 + 8 + 4 * mplsLabels.length);
        int innermost = etherType != null ? etherType
                : pppoe ? ETHERTYPE_PPPOE_SESSION : mplsLabels.length > 0 ? ETHERTYPE_MPLS : inner;
        for (int[] tag : tags) {
            out.putShort((short) tag[0]).putShort((short) tag[1]);
        }
        out.putShort((short) innermost);
        if (pppoe) {
            int ppp = pppProtocol != null ? pppProtocol : ipVersion == 4 ? 0x0021 : 0x0057;
            out.put((byte) 0x11).put((byte) 0x00).putShort((short) 0x0BEE).putShort((short) 0) // length below
                    .putShort((short) ppp);
        }
        for (int i = 0; i < mplsLabels.length; i++) {
            boolean bottom = i == mplsLabels.length - 1;
            out.putInt((mplsLabels[i] << 12) | (3 << 9) | (bottom ? 1 << 8 : 0) | 64);
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private byte[] linkHeader(int ipLength) {
        byte[] type = etherTypeAndTags();
        int af = family != null ? family : ipVersion == 4 ? AF_INET : AF_INET6_LINUX;
        ByteBuffer header;
        switch (link) {
            case ETHERNET:
                header = ByteBuffer.allocate(12 + type.length);
                header.put(new byte[] {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01}).put(type);
                break;
            case SLL:
                header = ByteBuffer.allocate(14 + type.length);
                header.putShort((short) 0).putShort((short) 1).putShort((short) 6)
                        .put(new byte[] {0x02, 0, 0, 0, 0, 0x01, 0, 0}).put(type);
                break;
            case SLL2: {
                // SLL2 puts the protocol first; anything after it (tags, PPPoE, MPLS) follows the header
                header = ByteBuffer.allocate(18 + type.length);
                header.put(type, 0, 2).putShort((short) 0).putInt(3).putShort((short) 1).put((byte) 4).put((byte) 6)
                        .put(new byte[] {0x02, 0, 0, 0, 0, 0x01, 0, 0}).put(type, 2, type.length - 2);
                break;
            }
            case NULL:
                header = ByteBuffer.allocate(4).order(nullOrder).putInt(af);
                break;
            case LOOP:
                header = ByteBuffer.allocate(4).putInt(af);
                break;
            default:
                header = ByteBuffer.allocate(0);
        }
        byte[] bytes = header.array();
        if (pppoe && (link == Link.ETHERNET || link == Link.SLL || link == Link.SLL2)) {
            // PPPoE length: PPP protocol field plus the IP datagram
            int at = bytes.length - 8 - 4 * mplsLabels.length + 4;
            int pppLength = 2 + ipLength;
            bytes[at] = (byte) (pppLength >>> 8);
            bytes[at + 1] = (byte) pppLength;
        }
        return bytes;
    }

    // ---------------------------------------------------------------- helpers

    /** Internet checksum of {@code bytes[from, to)} plus an unfolded partial sum, ready to store. */
    public static int checksum(byte[] bytes, int from, int to, long initial) {
        long sum = initial + partialSum(bytes, from, to);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static long partialSum(byte[] bytes, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i += 2) {
            int high = bytes[i] & 0xFF;
            int low = i + 1 < to ? bytes[i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        return sum;
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
