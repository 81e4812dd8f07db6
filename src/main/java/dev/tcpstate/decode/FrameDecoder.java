package dev.tcpstate.decode;

import dev.tcpstate.capture.Frame;
import java.nio.ByteBuffer;

/**
 * Decodes a frame's link, IP and TCP headers into a {@link TcpSegment}. Every read is checked
 * against the captured length first, so no packet bytes can make it throw or read past the frame;
 * what it cannot use gets a {@link DecodeResult} reason. The payload length comes from the IP
 * length, so Ethernet padding and snaplen cuts do not change it. Tunnels are followed as Zeek's
 * packet analysis follows them (docs/capture-formats.md), and the segment names the tunnel that
 * carried it by a {@link TunnelUid}.
 */
public final class FrameDecoder {
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    private static final int ETHERTYPE_MPLS = 0x8847;
    private static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    private static final int PPP_IPV4 = 0x0021;
    private static final int PPP_IPV6 = 0x0057;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int PROTOCOL_IPV4 = 4;
    private static final int PROTOCOL_IPV6 = 41;
    private static final int PROTOCOL_GRE = 47;
    private static final int ETHERTYPE_PBB = 0x88E7;
    private static final int ETHERTYPE_VNTAG = 0x8926;
    private static final int ETHERTYPE_TRANSPARENT_BRIDGING = 0x6558;
    private static final int TEREDO_PORT = 3544;
    private static final int AYIYA_PORT = 5072;
    private static final int VXLAN_PORT = 4789;
    private static final int GENEVE_PORT = 6081;
    private static final int GTP_U_PORT = 2152;
    private static final int GTP_C_PORT = 2123;
    private static final int GRE_UDP_PORT = 4754;
    /**
     * Tunnels inside tunnels beyond this are not followed: Zeek's {@code Tunnel::max_depth},
     * whose default is 4 since Zeek 6.2 (it was 2 before).
     */
    static final int MAX_ENCAPSULATIONS = 4;
    private static final int MAX_GTP_EXTENSIONS = 64;
    private static final int GRE_ERSPAN_I_II = 0x88BE;
    private static final int GRE_ERSPAN_III = 0x22EB;
    private static final int GRE_PPP = 0x880B;
    // what a GRE version 0 payload is read as
    private static final int GRE_RAW_IP = 0;
    private static final int GRE_ETHERNET = 1;
    private static final int GRE_IEEE802_11 = 2;
    // what the innermost tunnel so far was, for Zeek's "no GTP directly inside GTP" rule
    private static final int KIND_OTHER = 1;
    private static final int KIND_GTP = 2;
    private static final int MAX_LINK_TAGS = 16;
    private static final int MAX_IPV6_EXTENSIONS = 16;
    /** Pseudo-header sum meaning "cannot be computed from the captured bytes". */
    private static final long UNVERIFIABLE = -1;

    private final ChecksumMode checksums;
    private final FragmentReassembler fragments = new FragmentReassembler();

    // The frame being decoded: set once per call so the helpers need no parameters for it.
    private ByteBuffer buffer;
    private int end;
    private int encapsulations;
    /** Where the frame ends on the wire; past {@code end} when a snaplen cut it. */
    private int wireEnd;
    /** The kind of the innermost tunnel entered so far (0: none). */
    private int tunnelKind;
    /** The IPv4 header around the payload being read has a wrong checksum (when validating). */
    private boolean ipChecksumBad;

    public FrameDecoder(ChecksumMode checksums) {
        this.checksums = checksums;
    }

    /** Decodes {@code frame} into {@code segment}; the segment is meaningful only for {@code TCP}. */
    public DecodeResult decode(Frame frame, TcpSegment segment) {
        buffer = frame.buffer();
        int start = frame.offset();
        end = start + frame.capturedLength();
        wireEnd = start + Math.max(frame.capturedLength(), frame.originalLength());
        segment.timestampNanos = frame.timestampNanos();
        segment.frameNumber = frame.number();
        encapsulations = 0;
        tunnelKind = 0;
        ipChecksumBad = false;
        segment.encapsulations = 0;
        segment.tunnelParent = 0;
        return switch (frame.linkType()) {
            case 1 -> ethernet(start, segment);
            case 10 -> fddi(start, segment);
            case 0 -> bsdLoopback(start, segment, true);
            case 108 -> bsdLoopback(start, segment, false);
            case 101, 12, 14 -> rawIp(start, segment);
            case 228 -> ipv4(start, segment);
            case 229 -> ipv6(start, segment);
            case 113 -> start + 16 > end ? DecodeResult.TRUNCATED_LINK_HEADER
                    : etherType(u16(start + 14), start + 16, segment);
            case 276 -> start + 20 > end ? DecodeResult.TRUNCATED_LINK_HEADER
                    : etherType(u16(start), start + 20, segment);
            default -> DecodeResult.UNSUPPORTED_LINK_TYPE;
        };
    }

    private DecodeResult ethernet(int at, TcpSegment segment) {
        if (at + 14 > end) {
            return DecodeResult.TRUNCATED_LINK_HEADER;
        }
        return etherType(u16(at + 12), at + 14, segment);
    }

    /** Follows VLAN tags, PPPoE and MPLS from an EtherType to the IP header. */
    private DecodeResult etherType(int type, int at, TcpSegment segment) {
        for (int tags = 0; tags < MAX_LINK_TAGS; tags++) {
            switch (type) {
                case ETHERTYPE_IPV4:
                    return ipv4(at, segment);
                case ETHERTYPE_IPV6:
                    return ipv6(at, segment);
                case ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD:
                    if (at + 4 > end) {
                        return DecodeResult.TRUNCATED_LINK_HEADER;
                    }
                    type = u16(at + 2);
                    at += 4;
                    break;
                case ETHERTYPE_PPPOE_SESSION:
                    if (at + 8 > end) {
                        return DecodeResult.TRUNCATED_LINK_HEADER;
                    }
                    int ppp = u16(at + 6);
                    at += 8;
                    return ppp == PPP_IPV4 ? ipv4(at, segment)
                            : ppp == PPP_IPV6 ? ipv6(at, segment) : DecodeResult.NOT_IP;
                case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST:
                    return mpls(at, segment);
                case ETHERTYPE_PBB:
                    // 802.1ah provider backbone bridging: a 4-byte I-TAG, then the customer's
                    // Ethernet header (Zeek wants more than these 18 bytes)
                    if (at + 18 >= end) {
                        return DecodeResult.TRUNCATED_LINK_HEADER;
                    }
                    type = u16(at + 16);
                    at += 18;
                    break;
                case ETHERTYPE_VNTAG:
                    // Cisco VN-Tag: 4 bytes of tag, then an EtherType that Zeek follows only
                    // into VLAN tags
                    if (at + 6 >= end) {
                        return DecodeResult.TRUNCATED_LINK_HEADER;
                    }
                    type = u16(at + 4);
                    at += 6;
                    if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ && type != ETHERTYPE_QINQ_OLD) {
                        return DecodeResult.NOT_IP;
                    }
                    break;
                default:
                    return DecodeResult.NOT_IP;
            }
        }
        return DecodeResult.NOT_IP;
    }

    private DecodeResult mpls(int at, TcpSegment segment) {
        for (int labels = 0; labels < MAX_LINK_TAGS; labels++) {
            if (at + 4 > end) {
                return DecodeResult.TRUNCATED_LINK_HEADER;
            }
            boolean bottom = (u8(at + 2) & 0x01) != 0;
            at += 4;
            if (bottom) {
                return rawIp(at, segment);
            }
        }
        return DecodeResult.NOT_IP;
    }

    /**
     * FDDI (link type 10): the 13-byte MAC header and the 8-byte LLC/SNAP header are skipped and
     * IP is read by its version nibble, as Zeek does (it looks at neither header's contents).
     */
    private DecodeResult fddi(int at, TcpSegment segment) {
        if (at + 21 >= end) {
            return DecodeResult.TRUNCATED_LINK_HEADER;
        }
        return rawIp(at + 21, segment);
    }

    /** BSD NULL (family in the capturing host's byte order) and OpenBSD LOOP (network order). */
    private DecodeResult bsdLoopback(int at, TcpSegment segment, boolean hostOrder) {
        if (at + 4 > end) {
            return DecodeResult.TRUNCATED_LINK_HEADER;
        }
        int family = buffer.getInt(at);
        if (hostOrder && (family & 0xFFFF_0000) != 0) {
            family = Integer.reverseBytes(family);
        }
        return switch (family) {
            case 2 -> ipv4(at + 4, segment);
            case 10, 24, 28, 30 -> ipv6(at + 4, segment);
            default -> DecodeResult.NOT_IP;
        };
    }

    private DecodeResult rawIp(int at, TcpSegment segment) {
        if (at >= end) {
            return DecodeResult.TRUNCATED_IP_HEADER;
        }
        return switch (u8(at) >>> 4) {
            case 4 -> ipv4(at, segment);
            case 6 -> ipv6(at, segment);
            default -> DecodeResult.NOT_IP;
        };
    }

    private DecodeResult ipv4(int at, TcpSegment segment) {
        if (at + 20 > end) {
            return DecodeResult.TRUNCATED_IP_HEADER;
        }
        int first = u8(at);
        if (first >>> 4 != 4) {
            return DecodeResult.BAD_IP_VERSION;
        }
        int headerLength = (first & 0x0F) * 4;
        if (headerLength < 20) {
            return DecodeResult.BAD_IP_HEADER_LENGTH;
        }
        if (at + headerLength > end) {
            return DecodeResult.TRUNCATED_IP_HEADER;
        }
        int totalLength = u16(at + 2);
        if (totalLength == 0) {
            // Segmentation offload: the stack hands a super-packet down with its length unset; the
            // frame's wire length still tells its size when a snaplen cut the capture.
            totalLength = wireEnd - at;
        }
        if (totalLength < headerLength) {
            return DecodeResult.BAD_IP_LENGTH;
        }
        int fragment = u16(at + 6);
        int protocol = u8(at + 9);
        if (protocol != PROTOCOL_TCP && carriesTunnels(protocol)) {
            return ipv4Tunnel(at, headerLength, totalLength, fragment, protocol, segment);
        }
        if ((fragment & 0x1FFF) != 0) {
            return DecodeResult.IP_FRAGMENT;
        }
        if (protocol != PROTOCOL_TCP) {
            return DecodeResult.NOT_TCP;
        }
        if (checksums == ChecksumMode.VALIDATE && onesComplementSum(at, headerLength, 0) != 0xFFFF) {
            return DecodeResult.BAD_IP_CHECKSUM;
        }
        int source = buffer.getInt(at + 12);
        int destination = buffer.getInt(at + 16);
        segment.ipVersion = 4;
        segment.sourceHigh = 0;
        segment.sourceLow = IpAddresses.ipv4Low(source);
        segment.destinationHigh = 0;
        segment.destinationLow = IpAddresses.ipv4Low(destination);
        segment.ttl = u8(at + 8);
        segment.ipLength = totalLength;
        segment.firstFragment = (fragment & 0x2000) != 0;
        long pseudoHeader = checksums == ChecksumMode.VALIDATE
                ? (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF) + PROTOCOL_TCP
                        + (totalLength - headerLength)
                : 0;
        return tcp(at + headerLength, totalLength - headerLength, pseudoHeader, segment);
    }

    /** UDP, IP-in-IP and GRE: the protocols a tunnel tcpstate follows can come in. */
    private static boolean carriesTunnels(int protocol) {
        return protocol == PROTOCOL_UDP || protocol == PROTOCOL_IPV4 || protocol == PROTOCOL_IPV6
                || protocol == PROTOCOL_GRE;
    }

    /**
     * An IPv4 datagram that may carry a tunnel. Its header checksum is checked, as Zeek checks
     * every IPv4 header, but it is a reason to skip the frame only when a tunnel is found in it
     * (other datagrams stay NOT_TCP in both checksum modes); an outer datagram that came in fragments is put back together
     * first (Zeek reassembles before it looks for a tunnel), and the frame completing it is the
     * one that yields the tunnelled segment.
     */
    private DecodeResult ipv4Tunnel(int at, int headerLength, int totalLength, int fragment, int protocol,
            TcpSegment segment) {
        boolean checksumBad = checksums == ChecksumMode.VALIDATE && onesComplementSum(at, headerLength, 0) != 0xFFFF;
        int ip = at;
        int length = totalLength;
        if ((fragment & 0x3FFF) != 0) {
            // only whole outer fragments with a right header are put together (Zeek drops the others)
            if (encapsulations > 0 || at + totalLength > end || checksumBad) {
                return DecodeResult.IP_FRAGMENT;
            }
            ip = fragments.add(buffer, at, headerLength, totalLength, segment.timestampNanos);
            if (ip < 0) {
                return DecodeResult.IP_FRAGMENT;
            }
            buffer = fragments.completed();
            length = u16(ip + 2);
            end = ip + length;
            wireEnd = end;
        }
        int source = buffer.getInt(ip + 12);
        int destination = buffer.getInt(ip + 16);
        long addressSum = (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF);
        ipChecksumBad = checksumBad;
        return ipPayload(protocol, ip + headerLength, ip + length, ip, 4, addressSum, segment);
    }

    /**
     * What follows an IP header when it is not TCP: UDP (which may carry a tunnel), IP-in-IP
     * (protocols 4 and 41: IPv4 or IPv6 inside either, by the inner version nibble, as Zeek reads
     * them) or GRE.
     *
     * @param payload where the IP payload starts
     * @param payloadEnd where it ends by the IP header's lengths
     * @param ip the IP header, whose addresses name the tunnel
     * @param addressSum the UDP pseudo-header's address words summed, or {@link #UNVERIFIABLE}
     */
    private DecodeResult ipPayload(int protocol, int payload, int payloadEnd, int ip, int version, long addressSum,
            TcpSegment segment) {
        switch (protocol) {
            case PROTOCOL_UDP:
                return udp(payload, payloadEnd - payload, ip, version, addressSum, segment);
            case PROTOCOL_IPV4, PROTOCOL_IPV6:
                if (ipChecksumBad) {
                    return DecodeResult.BAD_IP_CHECKSUM;
                }
                if (encapsulations >= MAX_ENCAPSULATIONS) {
                    return DecodeResult.TUNNEL_TOO_DEEP;
                }
                segment.tunnelParent = ipTunnelUid(ip, version);
                enter(payloadEnd, KIND_OTHER, segment);
                return rawIp(payload, segment);
            case PROTOCOL_GRE:
                return ipChecksumBad ? DecodeResult.BAD_IP_CHECKSUM : gre(payload, payloadEnd, ip, version, segment);
            default:
                return DecodeResult.NOT_TCP;
        }
    }

    private DecodeResult ipv6(int at, TcpSegment segment) {
        if (at + 40 > end) {
            return DecodeResult.TRUNCATED_IP_HEADER;
        }
        if (u8(at) >>> 4 != 6) {
            return DecodeResult.BAD_IP_VERSION;
        }
        int payloadLength = u16(at + 4);
        if (payloadLength == 0) {
            // A jumbogram or an offloaded super-packet: its size is the frame's wire length.
            payloadLength = wireEnd - at - 40;
        }
        int next = u8(at + 6);
        segment.ttl = u8(at + 7);
        segment.sourceHigh = buffer.getLong(at + 8);
        segment.sourceLow = buffer.getLong(at + 16);
        segment.destinationHigh = buffer.getLong(at + 24);
        segment.destinationLow = buffer.getLong(at + 32);
        segment.ipVersion = 6;
        segment.ipLength = 40 + payloadLength;
        segment.firstFragment = false;
        int header = at + 40;
        int remaining = payloadLength;
        // The pseudo-header names the final destination: a routing header with segments left
        // carries it (RFC 8200 section 8.1); -1 when it is not in the captured bytes.
        int finalDestination = at + 24;
        for (int extensions = 0; extensions <= MAX_IPV6_EXTENSIONS; extensions++) {
            int length;
            switch (next) {
                case PROTOCOL_TCP: {
                    long pseudoHeader = 0;
                    if (checksums == ChecksumMode.VALIDATE) {
                        pseudoHeader = finalDestination < 0 ? UNVERIFIABLE
                                : PROTOCOL_TCP + remaining + sum16(at + 8, 16) + sum16(finalDestination, 16);
                    }
                    return tcp(header, remaining, pseudoHeader, segment);
                }
                case PROTOCOL_UDP, PROTOCOL_IPV4, PROTOCOL_IPV6, PROTOCOL_GRE: {
                    long addressSum = finalDestination < 0 ? UNVERIFIABLE
                            : sum16(at + 8, 16) + sum16(finalDestination, 16);
                    return ipPayload(next, header, header + remaining, at, 6, addressSum, segment);
                }
                case 0, 43, 60, 135, 139, 140:
                    if (header + 2 > end) {
                        return DecodeResult.IPV6_EXTENSION_CHAIN;
                    }
                    length = (u8(header + 1) + 1) * 8;
                    if (next == 43) {
                        finalDestination = routedDestination(header, length, finalDestination);
                    }
                    break;
                case 51:
                    if (header + 2 > end) {
                        return DecodeResult.IPV6_EXTENSION_CHAIN;
                    }
                    length = (u8(header + 1) + 2) * 4;
                    break;
                case 44:
                    if (header + 8 > end) {
                        return DecodeResult.IPV6_EXTENSION_CHAIN;
                    }
                    int fragment = u16(header + 2);
                    if ((fragment & 0xFFF8) != 0) {
                        return DecodeResult.IP_FRAGMENT;
                    }
                    segment.firstFragment = (fragment & 0x0001) != 0;
                    length = 8;
                    break;
                default:
                    return DecodeResult.NOT_TCP;
            }
            next = u8(header);
            header += length;
            remaining -= length;
            if (remaining < 0) {
                return DecodeResult.BAD_IP_LENGTH;
            }
        }
        return DecodeResult.IPV6_EXTENSION_CHAIN;
    }

    /**
     * UDP that may carry a tunnel, dispatched as Zeek dispatches it: by port first (Zeek looks at
     * the responder's port; with no UDP connections to say which side responds, the destination
     * port is tried, then the source port): VXLAN 4789, Geneve 6081, GTP-U 2152 and GTP-C 2123, GRE
     * over UDP 4754 (RFC 8086), AYIYA 5072 and Teredo 3544; then by content on any other port:
     * Teredo (IPv6 whose length accounts for exactly the rest of the datagram, RFC 4380). The inner
     * packet is decoded as if it were the frame; any other UDP is not TCP.
     *
     * @param ip the IP header around the datagram, whose addresses and the ports name the tunnel
     * @param addressSum the pseudo-header's address words summed, or {@link #UNVERIFIABLE}
     */
    private DecodeResult udp(int at, int length, int ip, int version, long addressSum, TcpSegment segment) {
        if (at + 8 > end || length < 8) {
            return DecodeResult.NOT_TCP;
        }
        int sourcePort = u16(at);
        int destinationPort = u16(at + 2);
        int payload = at + 8;
        int payloadEnd = at + Math.min(length, Math.max(8, u16(at + 4)));
        int port = tunnelPort(destinationPort) ? destinationPort : tunnelPort(sourcePort) ? sourcePort : 0;
        int teredo = -1;
        if (port == 0 || port == TEREDO_PORT) {
            teredo = teredoPayload(payload, payloadEnd);
            if (teredo < 0) {
                return DecodeResult.NOT_TCP;
            }
        }
        if (ipChecksumBad) {
            return DecodeResult.BAD_IP_CHECKSUM;
        }
        if (udpChecksumWrong(at, length, version, destinationPort, addressSum)) {
            return DecodeResult.BAD_UDP_CHECKSUM;
        }
        if (encapsulations >= MAX_ENCAPSULATIONS) {
            return DecodeResult.TUNNEL_TOO_DEEP;
        }
        long uid = udpTunnelUid(ip, version, sourcePort, destinationPort);
        switch (port) {
            case VXLAN_PORT:
                return vxlan(payload, payloadEnd, uid, segment);
            case GENEVE_PORT:
                return geneve(payload, payloadEnd, uid, segment);
            case GTP_U_PORT, GTP_C_PORT:
                return gtp(payload, payloadEnd, uid, segment);
            case GRE_UDP_PORT:
                // Zeek hands GRE over UDP to its IP tunnel code, which names the tunnel by the addresses
                return gre(payload, payloadEnd, ip, version, segment);
            case AYIYA_PORT:
                return ayiya(payload, payloadEnd, uid, segment);
            default:
                segment.tunnelParent = uid;
                enter(payloadEnd, KIND_OTHER, segment);
                return ipv6(teredo, segment);
        }
    }

    private static boolean tunnelPort(int port) {
        return port == VXLAN_PORT || port == GENEVE_PORT || port == GTP_U_PORT || port == GTP_C_PORT
                || port == GRE_UDP_PORT || port == AYIYA_PORT || port == TEREDO_PORT;
    }

    /**
     * Whether a tunnel's UDP checksum is wrong, when validating: Zeek does not decapsulate such a
     * datagram. A zero checksum is "none" in IPv4, and in IPv6 for VXLAN (RFC 7348); a datagram not
     * captured whole is not checked, as Zeek does not check it.
     */
    private boolean udpChecksumWrong(int at, int length, int version, int destinationPort, long addressSum) {
        if (checksums != ChecksumMode.VALIDATE || addressSum == UNVERIFIABLE || at + length > end) {
            return false;
        }
        if (u16(at + 6) == 0 && (version == 4
                || destinationPort == VXLAN_PORT && length > 8 + 8 + 14 && (u8(at + 8) & 0x08) != 0)) {
            return false;
        }
        return onesComplementSum(at, length, addressSum + PROTOCOL_UDP + length) != 0xFFFF;
    }

    /**
     * Where the IPv6 packet of a Teredo datagram starts, after the optional authentication and
     * origin-indication headers (RFC 4380 section 5.1.1), or -1 if it is not Teredo.
     */
    private int teredoPayload(int at, int payloadEnd) {
        if (at + 2 <= end && u16(at) == 0x0001) {
            if (at + 4 > end) {
                return -1;
            }
            at += 4 + u8(at + 2) + u8(at + 3) + 8 + 1;
        }
        if (at + 2 <= end && u16(at) == 0x0000) {
            at += 8;
        }
        if (at + 40 > end || u8(at) >>> 4 != 6 || at + 40 + u16(at + 4) != payloadEnd) {
            return -1;
        }
        return at;
    }

    /** AYIYA: identity and signature lengths in the header, a forward opcode, then IPv4 or IPv6. */
    private DecodeResult ayiya(int at, int payloadEnd, long uid, TcpSegment segment) {
        if (at + 8 > end) {
            return DecodeResult.NOT_TCP;
        }
        int identity = 1 << (u8(at) >>> 4);
        int signature = (u8(at + 1) >>> 4) * 4;
        int opcode = u8(at + 2) & 0x0F;
        int next = u8(at + 3);
        int inner = at + 8 + identity + signature;
        if (opcode != 1 || inner >= end || next != PROTOCOL_IPV6 && next != PROTOCOL_IPV4) {
            return DecodeResult.NOT_TCP;
        }
        segment.tunnelParent = uid;
        enter(payloadEnd, KIND_OTHER, segment);
        return next == PROTOCOL_IPV6 ? ipv6(inner, segment) : ipv4(inner, segment);
    }

    /** VXLAN (RFC 7348): an 8-byte header whose I flag must be set, then an Ethernet frame. */
    private DecodeResult vxlan(int at, int payloadEnd, long uid, TcpSegment segment) {
        int available = Math.min(end, payloadEnd) - at;
        if (available < 8 || (u8(at) & 0x08) == 0) {
            return DecodeResult.BAD_TUNNEL;
        }
        if (available == 8) {
            return DecodeResult.NOT_TCP; // a header and nothing in it (Zeek: vxlan_empty_packet)
        }
        segment.tunnelParent = uid;
        enter(payloadEnd, KIND_OTHER, segment);
        return ethernet(at + 8, segment);
    }

    /**
     * Geneve (RFC 8926): version 0, an 8-byte header and options of the length it gives (skipped),
     * then what its protocol type names: Ethernet (0x6558), IPv4 or IPv6.
     */
    private DecodeResult geneve(int at, int payloadEnd, long uid, TcpSegment segment) {
        int available = Math.min(end, payloadEnd) - at;
        if (available < 8 || u8(at) >>> 6 != 0) {
            return DecodeResult.BAD_TUNNEL;
        }
        int header = 8 + (u8(at) & 0x3F) * 4;
        if (header > available) {
            return DecodeResult.BAD_TUNNEL;
        }
        if (header == available) {
            return DecodeResult.NOT_TCP;
        }
        int type = u16(at + 2);
        if (type != ETHERTYPE_TRANSPARENT_BRIDGING && type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6) {
            return DecodeResult.NOT_IP;
        }
        segment.tunnelParent = uid;
        enter(payloadEnd, KIND_OTHER, segment);
        return type == ETHERTYPE_TRANSPARENT_BRIDGING ? ethernet(at + header, segment) : rawIp(at + header, segment);
    }

    /**
     * GTPv1-U: version 1, protocol type GTP, the 8-byte header; 4 more bytes when any of the
     * sequence, N-PDU and next-extension flags is set; then, with the extension flag, extension
     * headers (a length in 4-byte units, the contents, the next type) until a next type 0. Only a
     * G-PDU (message type 255) carries a user packet, which must fill the rest of the datagram
     * (Zeek's rule). GTP directly inside GTP is not followed, as Zeek does not follow it.
     */
    private DecodeResult gtp(int at, int payloadEnd, long uid, TcpSegment segment) {
        if (tunnelKind == KIND_GTP) {
            return DecodeResult.NOT_TCP;
        }
        int limit = Math.min(end, payloadEnd);
        if (at + 8 > limit) {
            return DecodeResult.BAD_TUNNEL;
        }
        int flags = u8(at);
        if (flags >>> 5 != 1) {
            return DecodeResult.BAD_TUNNEL;
        }
        if ((flags & 0x10) == 0) {
            return DecodeResult.NOT_TCP; // GTP' (charging), not user data
        }
        int header = 8;
        if ((flags & 0x07) != 0) {
            header += 4;
        }
        if ((flags & 0x04) != 0) {
            for (int extensions = 0; ; extensions++) {
                if (extensions == MAX_GTP_EXTENSIONS || at + header >= limit) {
                    return DecodeResult.BAD_TUNNEL;
                }
                int units = u8(at + header);
                if (units == 0) {
                    return DecodeResult.BAD_TUNNEL;
                }
                header += units * 4;
                if (at + header > limit) {
                    return DecodeResult.BAD_TUNNEL;
                }
                if (u8(at + header - 1) == 0) {
                    break;
                }
            }
        }
        if (u8(at + 1) != 255) {
            return DecodeResult.NOT_TCP; // signalling (create PDP context, echo, ...)
        }
        int inner = at + header;
        if (inner + 20 > limit) {
            return DecodeResult.BAD_TUNNEL;
        }
        int version = u8(inner) >>> 4;
        int innerLength = version == 4 ? u16(inner + 2) : version == 6 ? 40 + u16(inner + 4) : -1;
        if (innerLength != payloadEnd - inner) {
            return DecodeResult.BAD_TUNNEL;
        }
        segment.tunnelParent = uid;
        enter(payloadEnd, KIND_GTP, segment);
        return rawIp(inner, segment);
    }

    /**
     * GRE (IP protocol 47, or UDP 4754), as Zeek reads it. Version 0: the checksum, key, sequence
     * and acknowledgement fields its flags announce, then by protocol type transparent Ethernet
     * bridging (0x6558), ERSPAN type I and II (0x88BE; type II when the sequence flag is set, with
     * its 8-byte header) and type III (0x22EB: a 12-byte header, 8 more with its O flag), Ethernet
     * inside each; Aruba's types (0x8200.. and 0x8300..0x8370 with a zero low nibble, and 0x9000)
     * an 802.11 frame; anything else IP read by its version nibble. Version 1 (PPTP's enhanced GRE,
     * type 0x880B): PPP with IPv4 or IPv6. Routing (RFC 1701) and unknown flags are refused.
     */
    private DecodeResult gre(int at, int payloadEnd, int ip, int ipVersion, TcpSegment segment) {
        int available = Math.min(end, payloadEnd) - at;
        if (available < 4) {
            return DecodeResult.BAD_TUNNEL;
        }
        int flags = u16(at);
        int type = u16(at + 2);
        int version = flags & 0x07;
        int header = 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0)
                + ((flags & 0x1000) != 0 ? 4 : 0) + ((flags & 0x0080) != 0 ? 4 : 0);
        if (version > 1) {
            return DecodeResult.BAD_TUNNEL;
        }
        int link = GRE_RAW_IP;
        int ethernet = 0;
        int erspan = 0;
        int ppp = version == 1 ? 4 : 0;
        if (version == 0) {
            if (type == ETHERTYPE_TRANSPARENT_BRIDGING || type == GRE_ERSPAN_I_II) {
                if (available <= header + 14) {
                    return DecodeResult.BAD_TUNNEL;
                }
                ethernet = 14;
                link = GRE_ETHERNET;
                if (type == GRE_ERSPAN_I_II && (flags & 0x1000) != 0) {
                    erspan = 8; // type II; type I has neither a sequence number nor a header
                }
            } else if (type == GRE_ERSPAN_III) {
                if (available <= header + 14 + 12) {
                    return DecodeResult.BAD_TUNNEL;
                }
                ethernet = 14;
                erspan = 12;
                link = GRE_ETHERNET;
                if ((u8(at + header + 11) & 0x01) != 0) {
                    if (available <= header + erspan + 8 + ethernet) {
                        return DecodeResult.BAD_TUNNEL;
                    }
                    erspan += 8; // the platform-specific subheader
                }
            } else if (aruba(type)) {
                if (available <= header) {
                    return DecodeResult.BAD_TUNNEL;
                }
                link = GRE_IEEE802_11;
            }
        } else if (type != GRE_PPP) {
            return DecodeResult.BAD_TUNNEL;
        }
        if ((flags & 0x4000) != 0 || (flags & 0x0078) != 0) {
            return DecodeResult.BAD_TUNNEL;
        }
        if (available < header + ppp + ethernet + erspan) {
            // PPTP acknowledges with GRE packets that carry nothing
            return version == 1 && available == header ? DecodeResult.NOT_TCP : DecodeResult.BAD_TUNNEL;
        }
        if (encapsulations >= MAX_ENCAPSULATIONS) {
            return DecodeResult.TUNNEL_TOO_DEEP;
        }
        int inner = at + header + ppp + erspan;
        if (version == 1) {
            int protocol = u16(at + header + 2);
            if (protocol != PPP_IPV4 && protocol != PPP_IPV6) {
                return DecodeResult.NOT_IP;
            }
            segment.tunnelParent = ipTunnelUid(ip, ipVersion);
            enter(payloadEnd, KIND_OTHER, segment);
            return protocol == PPP_IPV4 ? ipv4(inner, segment) : ipv6(inner, segment);
        }
        segment.tunnelParent = ipTunnelUid(ip, ipVersion);
        enter(payloadEnd, KIND_OTHER, segment);
        return switch (link) {
            case GRE_ETHERNET -> ethernet(inner, segment);
            case GRE_IEEE802_11 -> ieee80211(inner, segment);
            default -> rawIp(inner, segment);
        };
    }

    /** The protocol types Zeek takes for Aruba's GRE, whose payload is an 802.11 frame. */
    private static boolean aruba(int type) {
        return (type & 0x8200) == 0x8200 && (type & 0x0F) == 0
                || (type & 0x8300) == 0x8300 && (type & 0x0F) == 0 && type <= 0x8370 || type == 0x9000;
    }

    /**
     * An 802.11 data frame (inside Aruba's GRE), as Zeek reads it: the 24-byte header, 6 more with
     * both DS bits (a fourth address), 2 more for QoS; then LLC/SNAP with a zero OUI and IPv4 or
     * IPv6. Management, control and no-data frames, protected QoS frames and A-MSDU aggregates
     * (several packets in one frame, where tcpstate decodes one segment a frame) are not IP.
     */
    private DecodeResult ieee80211(int at, TcpSegment segment) {
        int available = end - at;
        int header = 24;
        if (available <= header) {
            return DecodeResult.TRUNCATED_LINK_HEADER;
        }
        int control = u8(at);
        int controlFlags = u8(at + 1);
        if ((control & 0x08) == 0 || (control & 0x40) != 0) {
            return DecodeResult.NOT_IP;
        }
        if ((controlFlags & 0x03) == 0x03) {
            header += 6;
        }
        if (available <= header) {
            return DecodeResult.TRUNCATED_LINK_HEADER;
        }
        if ((control & 0x80) != 0) {
            if ((u8(at + header) & 0x80) != 0 || (controlFlags & 0x40) != 0) {
                return DecodeResult.NOT_IP; // A-MSDU, or encrypted
            }
            header += 2;
        }
        if (available < header + 8) {
            return DecodeResult.TRUNCATED_LINK_HEADER;
        }
        int llc = at + header;
        if (u16(llc) != 0xAAAA || u8(llc + 2) != 0x03 || u16(llc + 3) != 0 || u8(llc + 5) != 0) {
            return DecodeResult.NOT_IP;
        }
        int type = u16(llc + 6);
        return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6 ? rawIp(llc + 8, segment) : DecodeResult.NOT_IP;
    }

    /**
     * Steps into a tunnel: the inner packet is decoded as if it were the frame, within what the
     * outer headers say the tunnel carries (its own checksum pseudo-header and lengths).
     */
    private void enter(int innerEnd, int kind, TcpSegment segment) {
        encapsulations++;
        segment.encapsulations = encapsulations;
        segment.firstFragment = false;
        tunnelKind = kind;
        ipChecksumBad = false;
        end = Math.min(end, innerEnd);
        wireEnd = innerEnd;
    }

    /** The uid of the UDP "connection" a tunnel runs in: the outer UDP four-tuple. */
    private long udpTunnelUid(int ip, int version, int sourcePort, int destinationPort) {
        if (version == 4) {
            return TunnelUid.udp(0, IpAddresses.ipv4Low(buffer.getInt(ip + 12)), sourcePort, 0,
                    IpAddresses.ipv4Low(buffer.getInt(ip + 16)), destinationPort);
        }
        return TunnelUid.udp(buffer.getLong(ip + 8), buffer.getLong(ip + 16), sourcePort, buffer.getLong(ip + 24),
                buffer.getLong(ip + 32), destinationPort);
    }

    /** The uid of an IP tunnel (IP-in-IP, GRE): the outer address pair. */
    private long ipTunnelUid(int ip, int version) {
        if (version == 4) {
            return TunnelUid.ipPair(0, IpAddresses.ipv4Low(buffer.getInt(ip + 12)), 0,
                    IpAddresses.ipv4Low(buffer.getInt(ip + 16)));
        }
        return TunnelUid.ipPair(buffer.getLong(ip + 8), buffer.getLong(ip + 16), buffer.getLong(ip + 24),
                buffer.getLong(ip + 32));
    }

    /**
     * The final destination a routing header names when segments are left: the last address of
     * type 0 and type 2 headers, Segment List[0] of a segment routing header (type 4); otherwise
     * the destination so far. -1 when the address was not captured.
     */
    private int routedDestination(int header, int length, int destinationSoFar) {
        if (header + 4 > end || u8(header + 3) == 0) {
            return header + 4 > end ? -1 : destinationSoFar;
        }
        int address = switch (u8(header + 2)) {
            case 0, 2 -> header + length - 16;
            case 4 -> header + 8;
            default -> destinationSoFar;
        };
        return address >= header + 8 && address + 16 <= end ? address : -1;
    }

    /**
     * @param at the TCP header
     * @param length the TCP segment's length from the IP header (header + payload)
     * @param pseudoHeader the pseudo-header's partial sum when validating checksums
     */
    private DecodeResult tcp(int at, int length, long pseudoHeader, TcpSegment segment) {
        if (at + 20 > end) {
            return DecodeResult.TRUNCATED_TCP_HEADER;
        }
        int offsetByte = u8(at + 12);
        int headerLength = (offsetByte >>> 4) * 4;
        if (headerLength < 20 || headerLength > length) {
            return DecodeResult.BAD_TCP_DATA_OFFSET;
        }
        // The captured bytes of this segment: Ethernet padding past the IP length is not TCP.
        int segmentEnd = Math.min(end, at + length);
        boolean whole = at + length <= end;
        segment.sourcePort = u16(at);
        segment.destinationPort = u16(at + 2);
        segment.sequence = buffer.getInt(at + 4);
        segment.acknowledgement = buffer.getInt(at + 8);
        segment.flags = ((offsetByte & 0x01) << 8) | u8(at + 13);
        segment.window = u16(at + 14);
        segment.urgentPointer = u16(at + 18);
        segment.headerLength = headerLength;
        segment.payloadLength = length - headerLength;
        segment.payloadCaptured = Math.max(0, segmentEnd - at - headerLength);
        options(at + 20, at + headerLength, segment);
        // The segment is filled in even when its checksum is wrong: Zeek still counts such packets
        // against their connection (history C/c), so the caller may want them.
        if (checksums == ChecksumMode.VALIDATE) {
            if (whole && !segment.firstFragment && pseudoHeader != UNVERIFIABLE) {
                if (onesComplementSum(at, length, pseudoHeader) != 0xFFFF) {
                    segment.checksum = ChecksumStatus.UNVERIFIABLE;
                    return DecodeResult.BAD_TCP_CHECKSUM;
                }
                segment.checksum = ChecksumStatus.GOOD;
            } else {
                segment.checksum = ChecksumStatus.UNVERIFIABLE;
            }
        } else {
            segment.checksum = ChecksumStatus.UNCHECKED;
        }
        return DecodeResult.TCP;
    }

    private void options(int at, int headerEnd, TcpSegment segment) {
        segment.resetOptions();
        int limit = Math.min(headerEnd, end);
        segment.optionsTruncated = headerEnd > end;
        while (at < limit) {
            int kind = u8(at);
            if (kind == 0) {
                return;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            if (at + 2 > limit) {
                segment.optionsMalformed = !segment.optionsTruncated;
                return;
            }
            int length = u8(at + 1);
            if (length < 2) {
                segment.optionsMalformed = true;
                return;
            }
            if (at + length > limit) {
                segment.optionsMalformed = !segment.optionsTruncated || at + length > headerEnd;
                return;
            }
            switch (kind) {
                case 2 -> segment.mss = length == 4 ? u16(at + 2) : segment.mss;
                case 3 -> segment.windowScale = length == 3 ? u8(at + 2) : segment.windowScale;
                case 4 -> segment.sackPermitted = length == 2;
                case 5 -> sack(at + 2, length - 2, segment);
                case 8 -> {
                    if (length == 10) {
                        segment.hasTimestamps = true;
                        segment.timestampValue = buffer.getInt(at + 2);
                        segment.timestampEcho = buffer.getInt(at + 6);
                    }
                }
                default -> {
                    // other options are skipped by their length
                }
            }
            if ((kind == 2 && length != 4) || (kind == 3 && length != 3) || (kind == 4 && length != 2)
                    || (kind == 8 && length != 10) || (kind == 5 && (length - 2) % 8 != 0)) {
                segment.optionsMalformed = true;
            }
            at += length;
        }
    }

    private void sack(int at, int bytes, TcpSegment segment) {
        int blocks = Math.min(bytes / 8, TcpSegment.MAX_SACK_BLOCKS);
        for (int i = 0; i < blocks; i++) {
            segment.sackLeft[i] = buffer.getInt(at + 8 * i);
            segment.sackRight[i] = buffer.getInt(at + 8 * i + 4);
        }
        segment.sackBlocks = blocks;
    }

    /** One's-complement sum of {@code length} bytes plus {@code initial}, folded to 16 bits. */
    private int onesComplementSum(int at, int length, long initial) {
        long sum = initial + sum16(at, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Plain sum of big-endian 16-bit words (a trailing odd byte padded with zero); not folded. */
    private long sum16(int at, int length) {
        long sum = 0;
        int i = at;
        int stop = at + length;
        for (; i + 4 <= stop; i += 4) {
            int word = buffer.getInt(i);
            sum += (word >>> 16) + (word & 0xFFFF);
        }
        if (i + 2 <= stop) {
            sum += u16(i);
            i += 2;
        }
        if (i < stop) {
            sum += u8(i) << 8;
        }
        return sum;
    }

    private int u8(int index) {
        return buffer.get(index) & 0xFF;
    }

    private int u16(int index) {
        return buffer.getShort(index) & 0xFFFF;
    }
}
