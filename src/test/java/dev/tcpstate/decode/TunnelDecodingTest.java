package dev.tcpstate.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.testing.PacketBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Tunnels followed as Zeek follows them: Teredo (IPv6 in UDP, recognised by content on any
 * port) and AYIYA (UDP 5072). The decoded segment is the inner TCP segment.
 */
class TunnelDecodingTest {
    private final FrameDecoder decoder = new FrameDecoder(ChecksumMode.VALIDATE);
    private final TcpSegment segment = new TcpSegment();

    /** An IPv6 TCP packet, IP header first, with right checksums. */
    private static byte[] innerIpv6() {
        return PacketBuilder.tcp().ipv6("2001:0:4137:9e50::1", "2001:4860::68").ports(1286, 80)
                .flags(TcpFlags.SYN).seq(1000).raw(101).build().bytes();
    }

    /** Ethernet / IPv4 / UDP around {@code payload}; UDP checksum 0 (none), as IPv4 allows. */
    private static byte[] udpInIpv4(int sourcePort, int destinationPort, byte[] payload) {
        ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
        udp.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        ByteBuffer ip = ByteBuffer.allocate(20 + udp.capacity());
        ip.put((byte) 0x45).put((byte) 0).putShort((short) ip.capacity()).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ip.getShort(i) & 0xFFFF;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        ip.putShort(10, (short) ~sum);
        ip.put(udp.array());
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0});
        frame.writeBytes(ip.array());
        return frame.toByteArray();
    }

    private DecodeResult decode(byte[] bytes) {
        Frame frame = new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, 0, 1);
        return decoder.decode(frame, segment);
    }

    @Test
    void teredoOnARelayPortIsRecognisedByItsContent() {
        assertThat(decode(udpInIpv4(3797, 32900, innerIpv6()))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.ipVersion()).isEqualTo(6);
        assertThat(segment.sourceAddress()).isEqualTo("2001:0:4137:9e50::1");
        assertThat(segment.destinationPort()).isEqualTo(80);
        assertThat(segment.has(TcpFlags.SYN)).isTrue();
        assertThat(segment.checksum()).isEqualTo(ChecksumStatus.GOOD);
        assertThat(segment.encapsulations()).isEqualTo(1);
    }

    @Test
    void teredoWithOriginIndicationAndAuthenticationHeaders() {
        byte[] inner = innerIpv6();
        byte[] origin = {0, 0, 1, 2, 3, 4, 5, 6};
        byte[] authentication = {0, 1, 2, 1, 'i', 'd', 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] payload = new byte[authentication.length + origin.length + inner.length];
        System.arraycopy(authentication, 0, payload, 0, authentication.length);
        System.arraycopy(origin, 0, payload, authentication.length, origin.length);
        System.arraycopy(inner, 0, payload, authentication.length + origin.length, inner.length);
        assertThat(decode(udpInIpv4(3544, 40000, payload))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.sourcePort()).isEqualTo(1286);
    }

    @Test
    void ayiyaCarriesIpv6AfterItsIdentityAndSignature() {
        byte[] inner = innerIpv6();
        // identity 2^4 = 16 bytes, signature 5 words = 20 bytes, opcode 1 (forward), next header 41
        byte[] header = new byte[8 + 16 + 20];
        header[0] = 0x41;
        header[1] = 0x52;
        header[2] = 0x11;
        header[3] = 41;
        byte[] payload = Arrays.copyOf(header, header.length + inner.length);
        System.arraycopy(inner, 0, payload, header.length, inner.length);
        assertThat(decode(udpInIpv4(5072, 5072, payload))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.destinationAddress()).isEqualTo("2001:4860::68");
    }

    @Test
    void ordinaryUdpStaysNotTcp() {
        assertThat(decode(udpInIpv4(53, 40000, new byte[60]))).isEqualTo(DecodeResult.NOT_TCP);
        // an IPv6-looking payload whose length does not account for the datagram is not Teredo
        byte[] inner = innerIpv6();
        byte[] longer = Arrays.copyOf(inner, inner.length + 4);
        assertThat(decode(udpInIpv4(3797, 32900, longer))).isEqualTo(DecodeResult.NOT_TCP);
    }

    @Test
    void aTunnelInsideATunnelInsideATunnelIsNotFollowed() {
        // Teredo inside Teredo inside Teredo: the third level is refused
        byte[] inner = innerIpv6();
        byte[] once = udpIn6(inner);
        byte[] twice = udpIn6(once);
        assertThat(decode(udpInIpv4(3797, 32900, twice))).isEqualTo(DecodeResult.NOT_TCP);
        assertThat(decode(udpInIpv4(3797, 32900, once))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.encapsulations()).isEqualTo(2);
    }

    /** IPv6 / UDP(3797 > 32900) around {@code payload}. */
    private static byte[] udpIn6(byte[] payload) {
        ByteBuffer ip = ByteBuffer.allocate(40 + 8 + payload.length);
        ip.putInt(0x6000_0000).putShort((short) (8 + payload.length)).put((byte) 17).put((byte) 64);
        ip.put(new byte[16]).put(new byte[16]);
        ip.putShort((short) 3797).putShort((short) 32900).putShort((short) (8 + payload.length)).putShort((short) 0);
        ip.put(payload);
        return ip.array();
    }
}
