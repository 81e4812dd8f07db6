package dev.tcpstate.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds tunnelled frames byte by byte for the decoder's tests: outer IPv4/IPv6 and UDP headers
 * with right lengths and checksums, and the tunnel headers (VXLAN, Geneve, GRE, GTP-U, ERSPAN,
 * 802.11, PBB, VN-Tag) around an inner packet, usually one from {@link PacketBuilder}.
 */
public final class TunnelFrames {
    public static final int ETHERTYPE_TEB = 0x6558;

    private TunnelFrames() {
    }

    /** An inner IPv4 TCP packet, IP header first, with right checksums. */
    public static byte[] tcp4(String source, String destination, int sourcePort, int destinationPort, int flags) {
        return PacketBuilder.tcp().raw(101).ipv4(source, destination).ports(sourcePort, destinationPort).flags(flags)
                .seq(1000).build().bytes();
    }

    /** An inner IPv6 TCP packet, IP header first, with right checksums. */
    public static byte[] tcp6(String source, String destination, int sourcePort, int destinationPort, int flags) {
        return PacketBuilder.tcp().raw(101).ipv6(source, destination).ports(sourcePort, destinationPort).flags(flags)
                .seq(1000).build().bytes();
    }

    /** IPv4 around {@code payload}, header checksum right, not fragmented. */
    public static byte[] ipv4(String source, String destination, int protocol, byte[] payload) {
        return ipv4Fragment(source, destination, protocol, 0x4242, 0, false, payload);
    }

    /** One IPv4 fragment: {@code data} at {@code offsetUnits} × 8 of the datagram. */
    public static byte[] ipv4Fragment(String source, String destination, int protocol, int id, int offsetUnits,
            boolean more, byte[] data) {
        ByteBuffer ip = ByteBuffer.allocate(20 + data.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) ip.capacity()).putShort((short) id)
                .putShort((short) ((more ? 0x2000 : 0) | offsetUnits)).put((byte) 64).put((byte) protocol)
                .putShort((short) 0).put(address(source)).put(address(destination));
        ip.putShort(10, (short) PacketBuilder.checksum(ip.array(), 0, 20, 0));
        ip.put(20, data);
        return ip.array();
    }

    /** IPv6 around {@code payload}. */
    public static byte[] ipv6(String source, String destination, int nextHeader, byte[] payload) {
        ByteBuffer ip = ByteBuffer.allocate(40 + payload.length);
        ip.putInt(0x6000_0000).putShort((short) payload.length).put((byte) nextHeader).put((byte) 64)
                .put(address(source)).put(address(destination)).put(payload);
        return ip.array();
    }

    /** IPv4 / UDP around {@code payload}, with a right UDP checksum. */
    public static byte[] udp4(String source, String destination, int sourcePort, int destinationPort,
            byte[] payload) {
        return ipv4(source, destination, 17, udp(address(source), address(destination), sourcePort,
                destinationPort, payload));
    }

    /** IPv6 / UDP around {@code payload}, with a right UDP checksum. */
    public static byte[] udp6(String source, String destination, int sourcePort, int destinationPort,
            byte[] payload) {
        return ipv6(source, destination, 17, udp(address(source), address(destination), sourcePort,
                destinationPort, payload));
    }

    /** A UDP datagram whose checksum covers the pseudo-header of these addresses. */
    public static byte[] udp(byte[] source, byte[] destination, int sourcePort, int destinationPort,
            byte[] payload) {
        ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
        udp.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) udp.capacity())
                .putShort((short) 0).put(payload);
        long pseudo = 17 + udp.capacity() + words(source) + words(destination);
        int sum = PacketBuilder.checksum(udp.array(), 0, udp.capacity(), pseudo);
        udp.putShort(6, (short) (sum == 0 ? 0xFFFF : sum));
        return udp.array();
    }

    /** An Ethernet II header with this EtherType, then {@code payload}. */
    public static byte[] ethernet(int etherType, byte[] payload) {
        return concat(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, (byte) (etherType >>> 8), (byte) etherType},
                payload);
    }

    /** VXLAN with the I flag and this VNI. */
    public static byte[] vxlan(int vni, byte[] innerEthernet) {
        return concat(new byte[] {0x08, 0, 0, 0, (byte) (vni >>> 16), (byte) (vni >>> 8), (byte) vni, 0},
                innerEthernet);
    }

    /** Geneve version 0 with {@code optionWords} 4-byte words of options (one option TLV filling them). */
    public static byte[] geneve(int protocolType, int optionWords, byte[] inner) {
        ByteBuffer header = ByteBuffer.allocate(8 + optionWords * 4);
        header.put((byte) optionWords).put((byte) 0).putShort((short) protocolType).putInt(0x0012_3400);
        if (optionWords > 0) {
            // class 0x0104, type 1, length of the data in words
            header.putShort((short) 0x0104).put((byte) 1).put((byte) (optionWords - 1));
        }
        return concat(header.array(), inner);
    }

    /**
     * GRE: {@code flags} (checksum 0x8000, key 0x2000, sequence 0x1000, ack 0x0080, version in the
     * low 3 bits) and the optional fields they announce (filled with a recognisable pattern).
     */
    public static byte[] gre(int flags, int protocolType, byte[] payload) {
        int optional = ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0)
                + ((flags & 0x1000) != 0 ? 4 : 0) + ((flags & 0x0080) != 0 ? 4 : 0);
        ByteBuffer header = ByteBuffer.allocate(4 + optional);
        header.putShort((short) flags).putShort((short) protocolType);
        for (int i = 0; i < optional / 4; i++) {
            header.putInt(0x0A0B_0C00 + i);
        }
        return concat(header.array(), payload);
    }

    /** PPP in HDLC-like framing as PPTP carries it: address 0xFF, control 0x03, protocol. */
    public static byte[] ppp(int protocol, byte[] payload) {
        return concat(new byte[] {(byte) 0xFF, 0x03, (byte) (protocol >>> 8), (byte) protocol}, payload);
    }

    /** An ERSPAN type II header (8 bytes: version 1, VLAN, session, index). */
    public static byte[] erspan2(byte[] innerEthernet) {
        return concat(new byte[] {0x10, 0x00, 0x00, 0x07, 0, 0, 0, 0}, innerEthernet);
    }

    /** An ERSPAN type III header (12 bytes), with the 8-byte platform subheader when {@code optional}. */
    public static byte[] erspan3(boolean optional, byte[] innerEthernet) {
        byte[] header = {0x20, 0x00, 0x00, 0x07, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, (byte) (optional ? 0x01 : 0)};
        return optional ? concat(concat(header, new byte[8]), innerEthernet) : concat(header, innerEthernet);
    }

    /**
     * GTPv1-U G-PDU: version 1, PT 1, and {@code lowFlags} (E 0x04, S 0x02, PN 0x01); with any of
     * them the 4 optional bytes (next extension type 0x85 when E is set); with E, one PDU session
     * container extension of {@code extensionUnits} × 4 bytes, then a second one of 1 unit, then
     * next type 0.
     */
    public static byte[] gtpU(int lowFlags, int extensionUnits, byte[] inner) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(0x30 | lowFlags);
        header.write(255);
        header.write(0);
        header.write(0);
        header.writeBytes(new byte[] {0x00, 0x00, 0x12, 0x34}); // TEID
        if ((lowFlags & 0x07) != 0) {
            header.writeBytes(new byte[] {0x00, 0x2A, 0x00, (byte) ((lowFlags & 0x04) != 0 ? 0x85 : 0)});
        }
        if ((lowFlags & 0x04) != 0) {
            header.write(extensionUnits);
            header.writeBytes(new byte[extensionUnits * 4 - 2]);
            header.write(0x40); // next: another extension
            header.writeBytes(new byte[] {1, 0x55, 0x66, 0});
        }
        byte[] bytes = concat(header.toByteArray(), inner);
        int length = bytes.length - 8;
        bytes[2] = (byte) (length >>> 8);
        bytes[3] = (byte) length;
        return bytes;
    }

    /** An 802.11 QoS data frame (to DS) with LLC/SNAP and this EtherType, as Aruba's GRE carries it. */
    public static byte[] ieee80211Qos(int etherType, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(26 + 8);
        frame.put((byte) 0x88).put((byte) 0x01).putShort((short) 0); // QoS data, to DS
        frame.put(new byte[] {0, 0x0b, (byte) 0x86, 1, 2, 3}).put(new byte[] {0, 0x0b, (byte) 0x86, 4, 5, 6})
                .put(new byte[] {0, 0x0b, (byte) 0x86, 7, 8, 9}).putShort((short) 0x10).putShort((short) 0);
        frame.put(new byte[] {(byte) 0xAA, (byte) 0xAA, 3, 0, 0, 0}).putShort((short) etherType);
        return concat(frame.array(), payload);
    }

    /** 802.1ah: EtherType 0x88E7, the I-TAG, then the customer's Ethernet frame. */
    public static byte[] pbb(byte[] customerEthernet) {
        return ethernet(0x88E7, concat(new byte[] {0x00, 0x01, 0x23, 0x45}, customerEthernet));
    }

    /** VN-Tag (0x8926): 4 bytes of tag, then the EtherType that follows and {@code payload}. */
    public static byte[] vntag(int etherType, byte[] payload) {
        return ethernet(0x8926, concat(new byte[] {(byte) 0x80, 0x01, 0x00, 0x02, (byte) (etherType >>> 8),
                (byte) etherType}, payload));
    }

    /** An 802.1Q tag (TPID already given by the enclosing header): VLAN id, then the EtherType. */
    public static byte[] vlan(int vlanId, int etherType, byte[] payload) {
        return concat(new byte[] {(byte) (vlanId >>> 8), (byte) vlanId, (byte) (etherType >>> 8), (byte) etherType},
                payload);
    }

    /** FDDI (link type 10): frame control, two addresses, then LLC/SNAP with this EtherType. */
    public static byte[] fddi(int etherType, byte[] payload) {
        return concat(new byte[] {0x50, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, (byte) 0xAA, (byte) 0xAA, 3, 0, 0, 0,
                (byte) (etherType >>> 8), (byte) etherType}, payload);
    }

    /** Splits an IPv4 datagram's payload into fragments of at most {@code size} bytes (a multiple of 8). */
    public static List<byte[]> fragments(String source, String destination, int protocol, int id, byte[] payload,
            int size) {
        List<byte[]> out = new ArrayList<>();
        for (int offset = 0; offset < payload.length; offset += size) {
            int length = Math.min(size, payload.length - offset);
            byte[] data = java.util.Arrays.copyOfRange(payload, offset, offset + length);
            out.add(ipv4Fragment(source, destination, protocol, id, offset / 8, offset + length < payload.length,
                    data));
        }
        return out;
    }

    private static long words(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            sum += (bytes[i] & 0xFF) << 8 | bytes[i + 1] & 0xFF;
        }
        return sum;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static byte[] address(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
