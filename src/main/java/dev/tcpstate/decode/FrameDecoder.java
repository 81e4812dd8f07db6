package dev.tcpstate.decode;

import dev.tcpstate.capture.Frame;
import java.nio.ByteBuffer;

/**
 * Decodes a frame's link, IP and TCP headers into a {@link TcpSegment}. Every read is checked
 * against the captured length first, so no packet bytes can make it throw or read past the frame;
 * what it cannot use gets a {@link DecodeResult} reason. The payload length comes from the IP
 * length, so Ethernet padding and snaplen cuts do not change it.
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
    private static final int TEREDO_PORT = 3544;
    private static final int AYIYA_PORT = 5072;
    /** Tunnels inside tunnels beyond this are not followed. */
    private static final int MAX_ENCAPSULATIONS = 2;
    private static final int MAX_LINK_TAGS = 16;
    private static final int MAX_IPV6_EXTENSIONS = 16;
    /** Pseudo-header sum meaning "cannot be computed from the captured bytes". */
    private static final long UNVERIFIABLE = -1;

    private final ChecksumMode checksums;

    // The frame being decoded: set once per call so the helpers need no parameters for it.
    private ByteBuffer buffer;
    private int end;
    private int encapsulations;
    /** Where the frame ends on the wire; past {@code end} when a snaplen cut it. */
    private int wireEnd;

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
        segment.encapsulations = 0;
        return switch (frame.linkType()) {
            case 1 -> ethernet(start, segment);
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
        if ((fragment & 0x1FFF) != 0) {
            return DecodeResult.IP_FRAGMENT;
        }
        int protocol = u8(at + 9);
        if (protocol != PROTOCOL_TCP) {
            return protocol == PROTOCOL_UDP ? udp(at + headerLength, totalLength - headerLength, segment)
                    : DecodeResult.NOT_TCP;
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
                case PROTOCOL_UDP:
                    return udp(header, remaining, segment);
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
     * UDP that carries a tunnel tcpstate follows, as Zeek does: Teredo (port 3544, IPv6 over UDP,
     * RFC 4380) and AYIYA (port 5072). The inner packet is decoded as if it were the frame; any
     * other UDP is not TCP.
     */
    private DecodeResult udp(int at, int length, TcpSegment segment) {
        if (at + 8 > end || length < 8 || encapsulations >= MAX_ENCAPSULATIONS) {
            return DecodeResult.NOT_TCP;
        }
        int sourcePort = u16(at);
        int destinationPort = u16(at + 2);
        int payload = at + 8;
        int payloadEnd = at + Math.min(length, Math.max(8, u16(at + 4)));
        if (sourcePort == AYIYA_PORT || destinationPort == AYIYA_PORT) {
            return ayiya(payload, segment);
        }
        // Teredo relays use any port, so Teredo is recognised by content, as Zeek does: an IPv6
        // header whose length accounts for exactly the rest of the datagram.
        int ipv6 = teredoPayload(payload, payloadEnd);
        if (ipv6 >= 0 || sourcePort == TEREDO_PORT || destinationPort == TEREDO_PORT) {
            return ipv6 >= 0 ? inner(ipv6, 6, segment) : DecodeResult.NOT_TCP;
        }
        return DecodeResult.NOT_TCP;
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
    private DecodeResult ayiya(int at, TcpSegment segment) {
        if (at + 8 > end) {
            return DecodeResult.NOT_TCP;
        }
        int identity = 1 << (u8(at) >>> 4);
        int signature = (u8(at + 1) >>> 4) * 4;
        int opcode = u8(at + 2) & 0x0F;
        int next = u8(at + 3);
        int inner = at + 8 + identity + signature;
        if (opcode != 1 || inner >= end) {
            return DecodeResult.NOT_TCP;
        }
        return next == PROTOCOL_IPV6 ? inner(inner, 6, segment)
                : next == PROTOCOL_IPV4 ? inner(inner, 4, segment) : DecodeResult.NOT_TCP;
    }

    private DecodeResult inner(int at, int version, TcpSegment segment) {
        encapsulations++;
        segment.encapsulations = encapsulations;
        // the inner datagram's checksum pseudo-header and lengths are its own
        segment.firstFragment = false;
        return version == 6 ? ipv6(at, segment) : ipv4(at, segment);
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
