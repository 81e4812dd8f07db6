package dev.tcpstate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.decode.IpAddresses;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TunnelUid;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.PacketBuilder;
import dev.tcpstate.testing.TunnelFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NDJSON writer's direct path writes each record exactly as the field table does. */
class ConnectionFieldsTest {
    @Test
    void theDirectJsonEqualsTheFieldTablesOnEverySampleRecord() throws IOException {
        List<String> samples = dev.tcpstate.testing.Environment.sampleCaptures().stream().map(Path::toString).toList();
        int checked = 0;
        boolean sawUnset = false;
        boolean sawContinues = false;
        for (String sample : samples) {
            for (ConnectionRecord record : new Analyzer(AnalysisConfig.defaults()).connections(List.of(sample)).records()) {
                StringBuilder table = new StringBuilder();
                ConnectionFields.json(record, new JsonWriter(table));
                StringBuilder direct = new StringBuilder();
                ConnectionFields.json(record, direct);
                assertThat(direct.toString()).as("%s %s", sample, record).isEqualTo(table.toString());
                sawUnset |= record.durationNanos().isEmpty() || record.handshakeRttNanos().isEmpty();
                sawContinues |= record.continuesUid().isPresent();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(4000);
        assertThat(sawUnset).as("records with unset fields were among them").isTrue();
        assertThat(sawContinues).as("and a record that continues another").isTrue();
    }

    /**
     * A connection whose SYN and ACK come up one GTP-U tunnel and whose SYN-ACK comes down
     * another (Zeek's corpus has one like it) has both as tunnel_parents; one carried through a
     * single VXLAN tunnel both ways has that one; one not tunnelled has none. Every format says so.
     */
    @Test
    void tunnelParentsAreWrittenInEveryFormat(@org.junit.jupiter.api.io.TempDir Path directory) throws IOException {
        String a = "192.0.2.1";
        String b = "198.51.100.7";
        byte[] syn = TunnelFrames.tcp4("10.1.1.1", "10.2.2.2", 51803, 80, TcpFlags.SYN);
        byte[] synAck = TunnelFrames.tcp4("10.2.2.2", "10.1.1.1", 80, 51803, TcpFlags.SYN | TcpFlags.ACK);
        byte[] ack = TunnelFrames.tcp4("10.1.1.1", "10.2.2.2", 51803, 80, TcpFlags.ACK);
        List<byte[]> frames = List.of(
                TunnelFrames.ethernet(0x0800, TunnelFrames.udp4(a, b, 5906, 2152, TunnelFrames.gtpU(0, 0, syn))),
                TunnelFrames.ethernet(0x0800, TunnelFrames.udp4(b, a, 2152, 2152, TunnelFrames.gtpU(0, 0, synAck))),
                TunnelFrames.ethernet(0x0800, TunnelFrames.udp4(a, b, 5906, 2152, TunnelFrames.gtpU(0, 0, ack))),
                TunnelFrames.ethernet(0x0800, TunnelFrames.udp4(a, b, 50000, 4789, TunnelFrames.vxlan(1,
                        TunnelFrames.ethernet(0x0800, TunnelFrames.tcp4("10.3.3.3", "10.4.4.4", 1, 2, TcpFlags.SYN))))),
                TunnelFrames.ethernet(0x0800, TunnelFrames.udp4(b, a, 4789, 50000, TunnelFrames.vxlan(1,
                        TunnelFrames.ethernet(0x0800, TunnelFrames.tcp4("10.4.4.4", "10.3.3.3", 2, 1, TcpFlags.RST
                                | TcpFlags.ACK))))),
                PacketBuilder.tcp().flags(TcpFlags.SYN).build().bytes());
        CaptureWriter pcap = CaptureWriter.pcap(1);
        for (int i = 0; i < frames.size(); i++) {
            pcap.record(1_700_000_000L, 1000L * i, frames.get(i), frames.get(i).length);
        }
        Path capture = pcap.writeTo(directory.resolve("tunnels.pcap"));
        List<ConnectionRecord> records = new Analyzer(AnalysisConfig.defaults()).connections(List.of(capture.toString()))
                .records();
        assertThat(records).hasSize(3);
        long uplink = TunnelUid.udp(0, IpAddresses.ipv4Low(0xC0000201), 5906, 0, IpAddresses.ipv4Low(0xC6336407), 2152);
        long downlink = TunnelUid.udp(0, IpAddresses.ipv4Low(0xC6336407), 2152, 0, IpAddresses.ipv4Low(0xC0000201),
                2152);
        long vxlan = TunnelUid.udp(0, IpAddresses.ipv4Low(0xC0000201), 50000, 0, IpAddresses.ipv4Low(0xC6336407),
                4789);
        assertThat(records.get(0).tunnelParents()).containsExactly(TunnelUid.format(uplink),
                TunnelUid.format(downlink));
        assertThat(records.get(1).tunnelParents()).containsExactly(TunnelUid.format(vxlan));
        assertThat(records.get(2).tunnelParents()).isEmpty();
        for (ConnectionRecord record : records) {
            StringBuilder table = new StringBuilder();
            ConnectionFields.json(record, new JsonWriter(table));
            StringBuilder direct = new StringBuilder();
            ConnectionFields.json(record, direct);
            assertThat(direct.toString()).isEqualTo(table.toString());
        }
        StringBuilder first = new StringBuilder();
        ConnectionFields.json(records.get(0), first);
        assertThat(first.toString()).contains(",\"tunnel_parents\":[\"" + TunnelUid.format(uplink) + "\",\""
                + TunnelUid.format(downlink) + "\"],");
        StringBuilder none = new StringBuilder();
        ConnectionFields.json(records.get(2), none);
        assertThat(none.toString()).doesNotContain("tunnel_parents");
        java.io.StringWriter csv = new java.io.StringWriter();
        ConnectionsRenderer.csv(records, new java.io.PrintWriter(csv));
        assertThat(csv.toString()).contains(",\"" + TunnelUid.format(uplink) + "," + TunnelUid.format(downlink) + "\",");
        java.io.StringWriter zeek = new java.io.StringWriter();
        ConnectionsRenderer.zeek(records, new java.io.PrintWriter(zeek));
        assertThat(zeek.toString()).contains("\t" + TunnelUid.format(vxlan) + "\t").contains("\tset[string]\t");
    }

    @Test
    void decimalsAreExactWithTheirDigits() {
        assertThat(Times.seconds(1_500_000_000L)).isEqualTo("1.500000000");
        assertThat(Times.seconds(7)).isEqualTo("0.000000007");
        assertThat(Times.seconds(-1_000_000_001L)).isEqualTo("-1.000000001");
        assertThat(Times.milliseconds(37_000)).isEqualTo("0.037000");
        assertThat(Times.epochSeconds(1_795_433_850_002_682_000L)).isEqualTo("1795433850.002682000");
    }

    @Test
    void stringsAreEscapedAsJsonWants() {
        StringBuilder out = new StringBuilder();
        JsonWriter.quote("a\"b\\c\nd\u0001", out);
        assertThat(out.toString()).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
