package dev.tcpstate.decode;

import static dev.tcpstate.testing.TunnelFrames.concat;
import static dev.tcpstate.testing.TunnelFrames.ethernet;
import static dev.tcpstate.testing.TunnelFrames.gre;
import static dev.tcpstate.testing.TunnelFrames.gtpU;
import static dev.tcpstate.testing.TunnelFrames.ipv4;
import static dev.tcpstate.testing.TunnelFrames.ipv6;
import static dev.tcpstate.testing.TunnelFrames.tcp4;
import static dev.tcpstate.testing.TunnelFrames.tcp6;
import static dev.tcpstate.testing.TunnelFrames.udp4;
import static dev.tcpstate.testing.TunnelFrames.udp6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.testing.PacketBuilder;
import dev.tcpstate.testing.TunnelFrames;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tunnels followed as Zeek follows them: Teredo (IPv6 in UDP, recognised by content on any
 * port), AYIYA (UDP 5072), VXLAN, Geneve, GRE in its forms, GTP-U (also over fragmented outer
 * IPv4), IP-in-IP, and the link layers PBB, VN-Tag and FDDI. The decoded segment is the inner TCP
 * segment, and it names its immediate tunnel by a uid that is the same in both directions.
 */
class TunnelDecodingTest {
    private static final String A = "192.0.2.1";
    private static final String B = "198.51.100.7";
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;

    private final FrameDecoder decoder = new FrameDecoder(ChecksumMode.VALIDATE);
    private final TcpSegment segment = new TcpSegment();
    private long nanos;

    /** An IPv6 TCP packet, IP header first, with right checksums. */
    private static byte[] innerIpv6() {
        return PacketBuilder.tcp().ipv6("2001:0:4137:9e50::1", "2001:4860::68").ports(1286, 80)
                .flags(TcpFlags.SYN).seq(1000).raw(101).build().bytes();
    }

    private static byte[] innerSyn() {
        return tcp4("10.1.1.1", "10.2.2.2", 51803, 80, TcpFlags.SYN);
    }

    private static byte[] innerSynAck() {
        return tcp4("10.2.2.2", "10.1.1.1", 80, 51803, TcpFlags.SYN | TcpFlags.ACK);
    }

    /** Ethernet / IPv4 / UDP around {@code payload}; UDP checksum 0 (none), as IPv4 allows. */
    private static byte[] udpInIpv4(int sourcePort, int destinationPort, byte[] payload) {
        ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
        udp.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        return ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", 17, udp.array()));
    }

    private DecodeResult decode(byte[] bytes) {
        return decode(bytes, 1);
    }

    private DecodeResult decode(byte[] bytes, int linkType) {
        Frame frame = new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, nanos, linkType);
        return decoder.decode(frame, segment);
    }

    private void assertInner(String source, int sourcePort, String destination, int destinationPort, int flags) {
        assertThat(segment.sourceAddress()).isEqualTo(source);
        assertThat(segment.sourcePort()).isEqualTo(sourcePort);
        assertThat(segment.destinationAddress()).isEqualTo(destination);
        assertThat(segment.destinationPort()).isEqualTo(destinationPort);
        assertThat(segment.flags()).isEqualTo(flags);
        assertThat(segment.checksum()).isEqualTo(ChecksumStatus.GOOD);
    }

    /** Decodes both directions of one tunnel: TCP each time, the same non-zero uid; returns it. */
    private long bothWays(byte[] there, byte[] back) {
        assertThat(decode(there)).isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
        long uid = segment.tunnelParent();
        assertThat(uid).isNotZero();
        assertThat(decode(back)).isEqualTo(DecodeResult.TCP);
        assertInner("10.2.2.2", 80, "10.1.1.1", 51803, TcpFlags.SYN | TcpFlags.ACK);
        assertThat(segment.tunnelParent()).as("the other direction of the same tunnel").isEqualTo(uid);
        return uid;
    }

    // ------------------------------------------------------------------ Teredo and AYIYA

    @Test
    void teredoOnARelayPortIsRecognisedByItsContent() {
        assertThat(decode(udpInIpv4(3797, 32900, innerIpv6()))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.ipVersion()).isEqualTo(6);
        assertThat(segment.sourceAddress()).isEqualTo("2001:0:4137:9e50::1");
        assertThat(segment.destinationPort()).isEqualTo(80);
        assertThat(segment.has(TcpFlags.SYN)).isTrue();
        assertThat(segment.checksum()).isEqualTo(ChecksumStatus.GOOD);
        assertThat(segment.encapsulations()).isEqualTo(1);
        assertThat(segment.tunnelParent()).isEqualTo(TunnelUid.udp(0, IpAddresses.ipv4Low(0x0A000001), 3797, 0,
                IpAddresses.ipv4Low(0x0A000002), 32900));
    }

    @Test
    void teredoWithOriginIndicationAndAuthenticationHeaders() {
        byte[] inner = innerIpv6();
        byte[] origin = {0, 0, 1, 2, 3, 4, 5, 6};
        byte[] authentication = {0, 1, 2, 1, 'i', 'd', 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(decode(udpInIpv4(3544, 40000, concat(concat(authentication, origin), inner))))
                .isEqualTo(DecodeResult.TCP);
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
        assertThat(decode(udpInIpv4(5072, 5072, concat(header, inner)))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.destinationAddress()).isEqualTo("2001:4860::68");
        assertThat(segment.tunnelParent()).isNotZero();
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
    void tunnelsNestUpToZeeksMaxDepthOfFour() {
        // Teredo inside Teredo ...: four levels are followed, a fifth is refused
        byte[] packet = innerIpv6();
        for (int level = 1; level < FrameDecoder.MAX_ENCAPSULATIONS; level++) {
            packet = udp6("2001:db8::" + level, "2001:db8::ff", 3797, 32900, packet);
        }
        assertThat(decode(udpInIpv4(3797, 32900, packet))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.encapsulations()).isEqualTo(4);
        // the immediate parent: the innermost UDP four-tuple, as Zeek's tunnel_parents names it
        assertThat(segment.tunnelParent()).isEqualTo(TunnelUid.udp(0x2001_0db8_0000_0000L, 1, 3797,
                0x2001_0db8_0000_0000L, 0xff, 32900));
        byte[] deeper = udp6("2001:db8::9", "2001:db8::ff", 3797, 32900, packet);
        assertThat(decode(udpInIpv4(3797, 32900, deeper))).isEqualTo(DecodeResult.TUNNEL_TOO_DEEP);
    }

    // ------------------------------------------------------------------ VXLAN and Geneve

    @Test
    void vxlanCarriesEthernetAndNamesItsUdpTunnel() {
        long uid = bothWays(ethernet(ETHERTYPE_IPV4, udp4(A, B, 51000, 4789,
                        TunnelFrames.vxlan(42, ethernet(ETHERTYPE_IPV4, innerSyn())))),
                ethernet(ETHERTYPE_IPV4, udp4(B, A, 4789, 51000,
                        TunnelFrames.vxlan(42, ethernet(ETHERTYPE_IPV4, innerSynAck())))));
        assertThat(segment.encapsulations()).isEqualTo(1);
        // another outer source port is another UDP connection: another tunnel
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 51001, 4789,
                TunnelFrames.vxlan(42, ethernet(ETHERTYPE_IPV4, innerSyn())))))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.tunnelParent()).isNotEqualTo(uid).isNotZero();
        assertThat(TunnelUid.format(uid)).matches("C[0-9A-Za-z]{11}");
        // a VLAN tag inside the inner Ethernet frame
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 51000, 4789, TunnelFrames.vxlan(42,
                ethernet(0x8100, TunnelFrames.vlan(7, ETHERTYPE_IPV4, innerSyn()))))))).isEqualTo(DecodeResult.TCP);
    }

    @Test
    void vxlanWithoutItsIFlagOrCutShortIsABadTunnel() {
        byte[] vxlan = TunnelFrames.vxlan(42, ethernet(ETHERTYPE_IPV4, innerSyn()));
        vxlan[0] = 0;
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 51000, 4789, vxlan)))).isEqualTo(DecodeResult.BAD_TUNNEL);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 51000, 4789, new byte[] {8, 0, 0}))))
                .isEqualTo(DecodeResult.BAD_TUNNEL);
    }

    @Test
    void geneveSkipsItsOptionsAndFollowsEthernetIpv4AndIpv6() {
        bothWays(ethernet(ETHERTYPE_IPV4, udp4(A, B, 40000, 6081,
                        TunnelFrames.geneve(0x6558, 3, ethernet(ETHERTYPE_IPV4, innerSyn())))),
                ethernet(ETHERTYPE_IPV4, udp4(B, A, 6081, 40000, TunnelFrames.geneve(0x0800, 0, innerSynAck()))));
        assertThat(decode(ethernet(ETHERTYPE_IPV6, udp6("2001:db8::1", "2001:db8::2", 40000, 6081,
                TunnelFrames.geneve(0x86DD, 1, tcp6("fd00::1", "fd00::2", 1, 2, TcpFlags.RST))))))
                .isEqualTo(DecodeResult.TCP);
        assertInner("fd00::1", 1, "fd00::2", 2, TcpFlags.RST);
        // version 1, and options longer than the datagram
        byte[] version1 = TunnelFrames.geneve(0x0800, 0, innerSyn());
        version1[0] = 0x40;
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 40000, 6081, version1))))
                .isEqualTo(DecodeResult.BAD_TUNNEL);
        byte[] longOptions = TunnelFrames.geneve(0x0800, 0, new byte[12]);
        longOptions[0] = 0x3F;
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 40000, 6081, longOptions))))
                .isEqualTo(DecodeResult.BAD_TUNNEL);
        // ARP inside: not IP
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 40000, 6081,
                TunnelFrames.geneve(0x0806, 0, new byte[28]))))).isEqualTo(DecodeResult.NOT_IP);
    }

    // ------------------------------------------------------------------ GRE

    private static byte[] greIn4(String source, String destination, byte[] gre) {
        return ethernet(ETHERTYPE_IPV4, ipv4(source, destination, 47, gre));
    }

    @Test
    void greVersionZeroWithItsOptionalFieldsCarriesIpv4AndIpv6() {
        long uid = bothWays(greIn4(A, B, gre(0xB000, 0x0800, innerSyn())), // checksum, key, sequence
                greIn4(B, A, gre(0x2000, 0x0800, innerSynAck())));
        assertThat(uid).isEqualTo(TunnelUid.ipPair(0, IpAddresses.ipv4Low(0xC0000201), 0,
                IpAddresses.ipv4Low(0xC6336407)));
        assertThat(decode(ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::1", "2001:db8::2", 47,
                gre(0x1000, 0x86DD, tcp6("fd00::1", "fd00::2", 5, 6, TcpFlags.FIN)))))).isEqualTo(DecodeResult.TCP);
        assertInner("fd00::1", 5, "fd00::2", 6, TcpFlags.FIN);
        // another outer address pair: another tunnel
        assertThat(decode(greIn4(A, "198.51.100.8", gre(0, 0x0800, innerSyn())))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.tunnelParent()).isNotEqualTo(uid);
    }

    @Test
    void greTransparentEthernetBridgingAndErspan() {
        byte[] ethernetFrame = ethernet(ETHERTYPE_IPV4, innerSyn());
        assertThat(decode(greIn4(A, B, gre(0, 0x6558, ethernetFrame)))).isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
        // ERSPAN type I: no sequence number, no ERSPAN header
        assertThat(decode(greIn4(A, B, gre(0, 0x88BE, ethernetFrame)))).isEqualTo(DecodeResult.TCP);
        // type II: a sequence number and the 8-byte header
        assertThat(decode(greIn4(A, B, gre(0x1000, 0x88BE, TunnelFrames.erspan2(ethernetFrame)))))
                .isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
        // type III, without and with the platform subheader
        assertThat(decode(greIn4(A, B, gre(0x1000, 0x22EB, TunnelFrames.erspan3(false, ethernetFrame)))))
                .isEqualTo(DecodeResult.TCP);
        assertThat(decode(greIn4(A, B, gre(0x1000, 0x22EB, TunnelFrames.erspan3(true, ethernetFrame)))))
                .isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
    }

    @Test
    void pptpEnhancedGreCarriesPpp() {
        // version 1: key and sequence present, protocol 0x880B, then PPP
        bothWays(greIn4(A, B, gre(0x3001, 0x880B, TunnelFrames.ppp(0x0021, innerSyn()))),
                greIn4(B, A, gre(0x3081, 0x880B, TunnelFrames.ppp(0x0021, innerSynAck()))));
        assertThat(decode(greIn4(A, B, gre(0x3001, 0x880B, TunnelFrames.ppp(0x0057,
                tcp6("fd00::1", "fd00::2", 5, 6, TcpFlags.SYN)))))).isEqualTo(DecodeResult.TCP);
        // an acknowledgement with nothing in it, and LCP
        assertThat(decode(greIn4(A, B, gre(0x2081, 0x880B, new byte[0])))).isEqualTo(DecodeResult.NOT_TCP);
        assertThat(decode(greIn4(A, B, gre(0x3001, 0x880B, TunnelFrames.ppp(0xC021, new byte[8])))))
                .isEqualTo(DecodeResult.NOT_IP);
        // version 1 must carry PPP's type
        assertThat(decode(greIn4(A, B, gre(0x3001, 0x0800, innerSyn())))).isEqualTo(DecodeResult.BAD_TUNNEL);
    }

    @Test
    void arubaGreCarries80211DataFrames() {
        assertThat(decode(greIn4(A, B, gre(0, 0x8210, TunnelFrames.ieee80211Qos(ETHERTYPE_IPV4, innerSyn())))))
                .isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
        assertThat(decode(greIn4(A, B, gre(0, 0x8300, TunnelFrames.ieee80211Qos(ETHERTYPE_IPV4, innerSyn())))))
                .isEqualTo(DecodeResult.TCP);
        // an A-MSDU aggregate (several packets in one frame) is not read
        byte[] amsdu = TunnelFrames.ieee80211Qos(ETHERTYPE_IPV4, innerSyn());
        amsdu[24] = (byte) 0x80;
        assertThat(decode(greIn4(A, B, gre(0, 0x8210, amsdu)))).isEqualTo(DecodeResult.NOT_IP);
        // a management frame
        byte[] beacon = TunnelFrames.ieee80211Qos(ETHERTYPE_IPV4, innerSyn());
        beacon[0] = (byte) 0x80;
        assertThat(decode(greIn4(A, B, gre(0, 0x8210, beacon)))).isEqualTo(DecodeResult.NOT_IP);
    }

    @Test
    void greOverUdpIsNamedByItsAddressesAsZeekNamesIpTunnels() {
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 40000, 4754, gre(0, 0x0800, innerSyn())))))
                .isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
        long overUdp = segment.tunnelParent();
        assertThat(decode(greIn4(B, A, gre(0, 0x0800, innerSynAck())))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.tunnelParent()).isEqualTo(overUdp);
    }

    @Test
    void greItRefuses() {
        assertThat(decode(greIn4(A, B, gre(0x4000, 0x0800, innerSyn())))).as("routing").isEqualTo(DecodeResult.BAD_TUNNEL);
        assertThat(decode(greIn4(A, B, gre(0x0008, 0x0800, innerSyn())))).as("reserved flags")
                .isEqualTo(DecodeResult.BAD_TUNNEL);
        assertThat(decode(greIn4(A, B, gre(0x0002, 0x0800, innerSyn())))).as("version 2").isEqualTo(DecodeResult.BAD_TUNNEL);
        assertThat(decode(greIn4(A, B, new byte[] {0, 0}))).as("cut short").isEqualTo(DecodeResult.BAD_TUNNEL);
        assertThat(decode(greIn4(A, B, gre(0, 0x6558, new byte[10])))).as("no room for Ethernet")
                .isEqualTo(DecodeResult.BAD_TUNNEL);
    }

    // ------------------------------------------------------------------ GTP-U

    @Test
    void gtpUOnAnyPortPairWith2152AndItsOptionalFields() {
        // uplink from port 5906 to 2152, downlink back: one UDP connection, one uid
        long uplink = bothWays(ethernet(ETHERTYPE_IPV4, udp4(A, B, 5906, 2152, gtpU(0, 0, innerSyn()))),
                ethernet(ETHERTYPE_IPV4, udp4(B, A, 2152, 5906, gtpU(0x02, 0, innerSynAck()))));
        // the other direction's tunnel on 2152 both ways is another UDP connection
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(B, A, 2152, 2152, gtpU(0x01, 0, innerSynAck())))))
                .isEqualTo(DecodeResult.TCP);
        assertThat(segment.tunnelParent()).isNotEqualTo(uplink);
        // an extension header chain: two headers, the first 3 words long
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 2152, 2152, gtpU(0x04, 3, innerSyn())))))
                .isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 2152, 2152, gtpU(0x07, 1,
                tcp6("fd00::1", "fd00::2", 5, 6, TcpFlags.SYN)))))).isEqualTo(DecodeResult.TCP);
        assertInner("fd00::1", 5, "fd00::2", 6, TcpFlags.SYN);
    }

    @Test
    void gtpSignallingBrokenHeadersAndGtpInsideGtp() {
        byte[] echo = gtpU(0x02, 0, new byte[0]);
        echo[1] = 1;
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 2123, 2123, echo)))).isEqualTo(DecodeResult.NOT_TCP);
        // an extension length of 0 words, and an inner packet that does not fill the datagram
        byte[] zeroExtension = gtpU(0x04, 1, innerSyn());
        zeroExtension[12] = 0;
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 2152, 2152, zeroExtension))))
                .isEqualTo(DecodeResult.BAD_TUNNEL);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 2152, 2152, gtpU(0, 0, concat(innerSyn(),
                new byte[4])))))).isEqualTo(DecodeResult.BAD_TUNNEL);
        byte[] version2 = gtpU(0, 0, innerSyn());
        version2[0] = 0x50;
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 2152, 2152, version2)))).isEqualTo(DecodeResult.BAD_TUNNEL);
        byte[] gtpInGtp = gtpU(0, 0, udp4("10.9.9.1", "10.9.9.2", 2152, 2152, gtpU(0, 0, innerSyn())));
        assertThat(decode(ethernet(ETHERTYPE_IPV4, udp4(A, B, 2152, 2152, gtpInGtp)))).isEqualTo(DecodeResult.NOT_TCP);
    }

    @Test
    void gtpOverFragmentedOuterIpv4IsPutBackTogether() {
        byte[] inner = PacketBuilder.tcp().raw(101).ipv4("10.2.2.2", "10.1.1.1").ports(80, 51803)
                .flags(TcpFlags.ACK).seq(7).payload(1400).build().bytes();
        byte[] udp = TunnelFrames.udp(TunnelFrames.address(B), TunnelFrames.address(A), 2152, 2152, gtpU(0, 0, inner));
        List<byte[]> fragments = TunnelFrames.fragments(B, A, 17, 0x6103, udp, 600);
        assertThat(fragments).hasSize(3);
        // out of order, with a duplicate
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(2)))).isEqualTo(DecodeResult.IP_FRAGMENT);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(0)))).isEqualTo(DecodeResult.IP_FRAGMENT);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(0)))).isEqualTo(DecodeResult.IP_FRAGMENT);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(1)))).isEqualTo(DecodeResult.TCP);
        assertInner("10.2.2.2", 80, "10.1.1.1", 51803, TcpFlags.ACK);
        assertThat(segment.payloadLength()).isEqualTo(1400);
        assertThat(segment.payloadCaptured()).isEqualTo(1400);
        assertThat(segment.tunnelParent()).isEqualTo(TunnelUid.udp(0, IpAddresses.ipv4Low(0xC0000201), 2152, 0,
                IpAddresses.ipv4Low(0xC6336407), 2152));
        // the datagram is done: its fragments again start a new train
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(1)))).isEqualTo(DecodeResult.IP_FRAGMENT);
    }

    @Test
    void hostileFragmentsNeverCompleteNorThrow() {
        byte[] udp = TunnelFrames.udp(TunnelFrames.address(A), TunnelFrames.address(B), 2152, 2152,
                gtpU(0, 0, tcp4("10.1.1.1", "10.2.2.2", 1, 2, TcpFlags.SYN)));
        List<byte[]> fragments = TunnelFrames.fragments(A, B, 17, 7, udp, 16);
        // a hole: every fragment but one, twice over
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < fragments.size(); i++) {
                if (i != 2) {
                    assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(i)))).isEqualTo(DecodeResult.IP_FRAGMENT);
                }
            }
        }
        // a last fragment that says the datagram ends elsewhere drops the train
        assertThat(decode(ethernet(ETHERTYPE_IPV4, TunnelFrames.ipv4Fragment(A, B, 17, 7, 1, false, new byte[3]))))
                .isEqualTo(DecodeResult.IP_FRAGMENT);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(2)))).isEqualTo(DecodeResult.IP_FRAGMENT);
        // offsets past the largest datagram, a middle fragment not a multiple of 8, an empty one
        assertThat(decode(ethernet(ETHERTYPE_IPV4, TunnelFrames.ipv4Fragment(A, B, 17, 8, 0x1FFF, false,
                new byte[100])))).isEqualTo(DecodeResult.IP_FRAGMENT);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, TunnelFrames.ipv4Fragment(A, B, 17, 8, 0x1FF0, true,
                new byte[2000])))).isEqualTo(DecodeResult.IP_FRAGMENT);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, TunnelFrames.ipv4Fragment(A, B, 17, 8, 0, true, new byte[7]))))
                .isEqualTo(DecodeResult.IP_FRAGMENT);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, TunnelFrames.ipv4Fragment(A, B, 17, 8, 0, true, new byte[0]))))
                .isEqualTo(DecodeResult.IP_FRAGMENT);
        // overlapping fragments, the later bytes winning, still complete a whole datagram
        byte[] whole = TunnelFrames.udp(TunnelFrames.address(A), TunnelFrames.address(B), 2152, 2152,
                gtpU(0, 0, tcp4("10.1.1.1", "10.2.2.2", 3, 4, TcpFlags.SYN)));
        assertThat(decode(ethernet(ETHERTYPE_IPV4, TunnelFrames.ipv4Fragment(A, B, 17, 9, 0, true,
                Arrays.copyOf(whole, 32))))).isEqualTo(DecodeResult.IP_FRAGMENT);
        assertThat(decode(ethernet(ETHERTYPE_IPV4, TunnelFrames.ipv4Fragment(A, B, 17, 9, 2, false,
                Arrays.copyOfRange(whole, 16, whole.length))))).isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 3, "10.2.2.2", 4, TcpFlags.SYN);
    }

    @Test
    void fragmentTrainsAreBoundedAndExpire() {
        byte[] udp = TunnelFrames.udp(TunnelFrames.address(A), TunnelFrames.address(B), 2152, 2152,
                gtpU(0, 0, tcp4("10.1.1.1", "10.2.2.2", 1, 2, TcpFlags.SYN)));
        List<byte[]> fragments = TunnelFrames.fragments(A, B, 17, 100, udp, 32);
        assertThat(fragments).hasSize(2);
        // a train whose rest comes after its timeout starts over
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(0)))).isEqualTo(DecodeResult.IP_FRAGMENT);
        nanos += (FragmentReassembler.TIMEOUT_SECONDS + 1) * 1_000_000_000L;
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(1)))).isEqualTo(DecodeResult.IP_FRAGMENT);
        // more trains than slots: the oldest (the one waiting for its first fragment) gives way
        for (int id = 0; id < FragmentReassembler.SLOTS; id++) {
            nanos += 1000;
            assertThat(decode(ethernet(ETHERTYPE_IPV4, TunnelFrames.ipv4Fragment(A, B, 17, 1000 + id, 0, true,
                    new byte[8])))).isEqualTo(DecodeResult.IP_FRAGMENT);
        }
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(0)))).isEqualTo(DecodeResult.IP_FRAGMENT);
        // within the bounds, a train completes
        assertThat(decode(ethernet(ETHERTYPE_IPV4, fragments.get(1)))).isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 1, "10.2.2.2", 2, TcpFlags.SYN);
    }

    // ------------------------------------------------------------------ IP in IP, nesting

    @Test
    void ipInIpIn4And6AreNamedByTheOuterAddressPair() {
        long uid = bothWays(ethernet(ETHERTYPE_IPV4, ipv4(A, B, 4, innerSyn())),
                ethernet(ETHERTYPE_IPV4, ipv4(B, A, 4, innerSynAck())));
        assertThat(segment.encapsulations()).isEqualTo(1);
        // 6in4 between the same addresses: Zeek keeps one IP tunnel per address pair
        assertThat(decode(ethernet(ETHERTYPE_IPV4, ipv4(A, B, 41, tcp6("fd00::1", "fd00::2", 5, 6, TcpFlags.SYN)))))
                .isEqualTo(DecodeResult.TCP);
        assertInner("fd00::1", 5, "fd00::2", 6, TcpFlags.SYN);
        assertThat(segment.tunnelParent()).isEqualTo(uid);
        // 4in6 and 6in6
        assertThat(decode(ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::1", "2001:db8::2", 4, innerSyn()))))
                .isEqualTo(DecodeResult.TCP);
        long sixUid = segment.tunnelParent();
        assertThat(decode(ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::2", "2001:db8::1", 41,
                tcp6("fd00::2", "fd00::1", 6, 5, TcpFlags.SYN | TcpFlags.ACK))))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.tunnelParent()).isEqualTo(sixUid).isNotEqualTo(uid);
    }

    @Test
    void aTunnelInsideATunnelNamesItsImmediateParent() {
        byte[] vxlan = udp4("172.16.0.1", "172.16.0.2", 50000, 4789,
                TunnelFrames.vxlan(1, ethernet(ETHERTYPE_IPV4, innerSyn())));
        assertThat(decode(greIn4(A, B, gre(0, 0x0800, vxlan)))).isEqualTo(DecodeResult.TCP);
        assertThat(segment.encapsulations()).isEqualTo(2);
        assertThat(segment.tunnelParent()).isEqualTo(TunnelUid.udp(0, IpAddresses.ipv4Low(0xAC100001), 50000, 0,
                IpAddresses.ipv4Low(0xAC100002), 4789));
    }

    @Test
    void aWrongTunnelUdpChecksumIsNotDecapsulatedWhenValidating() {
        byte[] frame = ethernet(ETHERTYPE_IPV4, udp4(A, B, 51000, 4789,
                TunnelFrames.vxlan(42, ethernet(ETHERTYPE_IPV4, innerSyn()))));
        frame[14 + 20 + 6] ^= 0x01;
        assertThat(decode(frame)).isEqualTo(DecodeResult.BAD_UDP_CHECKSUM);
        Frame ignoring = new Frame().wrap(ByteBuffer.wrap(frame), 0, frame.length, frame.length, 0, 1);
        assertThat(new FrameDecoder(ChecksumMode.IGNORE).decode(ignoring, segment)).isEqualTo(DecodeResult.TCP);
        // and a wrong outer IPv4 header checksum
        byte[] badIp = ethernet(ETHERTYPE_IPV4, ipv4(A, B, 4, innerSyn()));
        badIp[14 + 10] ^= 0x01;
        assertThat(decode(badIp)).isEqualTo(DecodeResult.BAD_IP_CHECKSUM);
    }

    // ------------------------------------------------------------------ link layers

    @Test
    void providerBackboneBridgingVnTagAndFddi() {
        assertThat(decode(TunnelFrames.pbb(ethernet(ETHERTYPE_IPV4, innerSyn())))).isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
        assertThat(decode(Arrays.copyOf(TunnelFrames.pbb(new byte[0]), 14 + 18)))
                .isEqualTo(DecodeResult.TRUNCATED_LINK_HEADER);
        // VN-Tag, then a VLAN tag, then IP; Zeek follows VN-Tag into VLAN tags only
        assertThat(decode(TunnelFrames.vntag(0x8100, TunnelFrames.vlan(5, ETHERTYPE_IPV4, innerSynAck()))))
                .isEqualTo(DecodeResult.TCP);
        assertInner("10.2.2.2", 80, "10.1.1.1", 51803, TcpFlags.SYN | TcpFlags.ACK);
        assertThat(decode(TunnelFrames.vntag(ETHERTYPE_IPV4, innerSyn()))).isEqualTo(DecodeResult.NOT_IP);
        assertThat(decode(TunnelFrames.fddi(ETHERTYPE_IPV4, innerSyn()), 10)).isEqualTo(DecodeResult.TCP);
        assertInner("10.1.1.1", 51803, "10.2.2.2", 80, TcpFlags.SYN);
        assertThat(decode(TunnelFrames.fddi(ETHERTYPE_IPV6, tcp6("fd00::1", "fd00::2", 1, 2, TcpFlags.SYN)), 10))
                .isEqualTo(DecodeResult.TCP);
        assertThat(decode(new byte[21], 10)).isEqualTo(DecodeResult.TRUNCATED_LINK_HEADER);
        assertThat(segment.tunnelParent()).isZero();
    }

    /** Frames to feed other tests: every tunnel above once, in both directions where it matters. */
    static List<byte[]> sampleFrames() {
        byte[] ethernetSyn = ethernet(ETHERTYPE_IPV4, innerSyn());
        return List.of(
                ethernet(ETHERTYPE_IPV4, udp4(A, B, 51000, 4789, TunnelFrames.vxlan(42, ethernetSyn))),
                ethernet(ETHERTYPE_IPV4, udp4(A, B, 40000, 6081, TunnelFrames.geneve(0x6558, 2, ethernetSyn))),
                greIn4(A, B, gre(0xB000, 0x0800, innerSyn())),
                greIn4(A, B, gre(0x1000, 0x88BE, TunnelFrames.erspan2(ethernetSyn))),
                greIn4(A, B, gre(0x1000, 0x22EB, TunnelFrames.erspan3(true, ethernetSyn))),
                greIn4(A, B, gre(0x3001, 0x880B, TunnelFrames.ppp(0x0021, innerSyn()))),
                greIn4(A, B, gre(0, 0x8210, TunnelFrames.ieee80211Qos(ETHERTYPE_IPV4, innerSyn()))),
                ethernet(ETHERTYPE_IPV4, udp4(A, B, 40000, 4754, gre(0, 0x0800, innerSyn()))),
                ethernet(ETHERTYPE_IPV4, udp4(A, B, 5906, 2152, gtpU(0x04, 2, innerSyn()))),
                ethernet(ETHERTYPE_IPV4, ipv4(A, B, 4, innerSyn())),
                ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::1", "2001:db8::2", 41,
                        tcp6("fd00::1", "fd00::2", 5, 6, TcpFlags.SYN))),
                TunnelFrames.pbb(ethernetSyn),
                TunnelFrames.vntag(0x8100, TunnelFrames.vlan(5, ETHERTYPE_IPV4, innerSyn())));
    }
}
