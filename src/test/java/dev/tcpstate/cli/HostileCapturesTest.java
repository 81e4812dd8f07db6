package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.PacketBuilder;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures built to break a reader, the decoder or the engine. Each ends with the right exit
 * code and a line that says what was wrong and where, never a stack trace, and the clean
 * connection in the same capture is still analysed.
 */
class HostileCapturesTest {
    private static final int SECOND = 1_000_000;
    private static final int CLIENT_ISN = 1000;
    private static final int SERVER_ISN = 5000;

    @TempDir
    Path dir;

    /** A clean connection 10.0.0.1:40000 > 10.0.0.2:80, opened and closed, at second {@code at}. */
    private static void cleanConnection(CaptureWriter pcap, int at) {
        List<PacketBuilder> packets = List.of(
                client().flags(TcpFlags.SYN).seq(CLIENT_ISN).ack(0),
                server().flags(TcpFlags.SYN | TcpFlags.ACK).seq(SERVER_ISN).ack(CLIENT_ISN + 1),
                client().flags(TcpFlags.ACK).seq(CLIENT_ISN + 1).ack(SERVER_ISN + 1),
                client().flags(TcpFlags.FIN | TcpFlags.ACK).seq(CLIENT_ISN + 1).ack(SERVER_ISN + 1),
                server().flags(TcpFlags.FIN | TcpFlags.ACK).seq(SERVER_ISN + 1).ack(CLIENT_ISN + 2),
                client().flags(TcpFlags.ACK).seq(CLIENT_ISN + 2).ack(SERVER_ISN + 2));
        for (int i = 0; i < packets.size(); i++) {
            byte[] bytes = packets.get(i).build().bytes();
            pcap.record(at, i * 1000L, bytes, bytes.length);
        }
    }

    private static PacketBuilder client() {
        return PacketBuilder.tcp().ipv4("10.0.0.1", "10.0.0.2").ports(40000, 80).window(65535);
    }

    private static PacketBuilder server() {
        return PacketBuilder.tcp().ipv4("10.0.0.2", "10.0.0.1").ports(80, 40000).window(65535);
    }

    /** A capture: the clean connection at second 1, then {@code hostile} from second 2 on. */
    private Path capture(String name, Consumer<CaptureWriter> hostile) {
        CaptureWriter pcap = CaptureWriter.pcap(1);
        cleanConnection(pcap, 1);
        hostile.accept(pcap);
        return pcap.writeTo(dir.resolve(name));
    }

    private static void record(CaptureWriter pcap, long second, byte[] frame) {
        pcap.record(second, 0, frame, frame.length);
    }

    private static void assertCleanConnectionAnalysed(Path file, int exitCode) {
        Result connections = run("connections", "--format", "ndjson", file.toString());
        assertThat(connections.code()).as(connections.err()).isEqualTo(exitCode);
        assertThat(connections.out().lines().filter(line -> line.contains("\"id.orig_p\":40000")))
                .as(connections.out()).singleElement().asString().contains("\"conn_state\":\"SF\"");
        assertNoStackTrace(connections);
    }

    private static void assertNoStackTrace(Result result) {
        assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** stats in text: exit code, and the skip line with its count and first frame. */
    private static void assertSkipped(Path file, String line) {
        Result stats = run("stats", file.toString());
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.out()).contains(line);
        assertNoStackTrace(stats);
    }

    @Test
    void aZeroLengthRecordIsATruncatedFrameAndTheRestIsRead() {
        Path file = capture("zero.pcap", pcap -> pcap.recordHeader(2, 0, 0, 0));
        assertSkipped(file, "skipped    1 truncated-link-header: link-layer header cut short by the snaplen or the "
                + "frame; first: frame 7");
        assertCleanConnectionAnalysed(file, ExitCodes.OK);
    }

    @Test
    void connectionsSaysWhatItsConnectionsLeaveOut() {
        // a frame the decoder cannot use, then a last record cut short
        Path file = capture("both.pcap", pcap -> pcap.recordHeader(2, 0, 0, 0).recordHeader(3, 0, 54, 54)
                .bytes(new byte[20]));
        Result connections = run("connections", "--format", "ndjson", file.toString());
        assertThat(connections.code()).isZero();
        assertThat(connections.err().lines()).containsExactly(
                "tcpstate: warning: " + file + ": offset " + (24 + 6 * (16 + 54) + 16)
                        + ": truncated last record: 36 of 70 bytes present; the capture ends here",
                "tcpstate: warning: 1 frames could not be decoded and are in no connection (truncated-link-header 1, "
                        + "first: frame 7); tcpstate stats describes each reason");
        // ordinary traffic alone says nothing
        Path clean = capture("clean.pcap", pcap -> { });
        assertThat(run("connections", clean.toString()).err()).isEmpty();
    }

    @Test
    void aHugeRecordLengthIsCorruptWithItsOffsetAndWhatCameBeforeIsAnalysed() {
        Path file = capture("huge.pcap", pcap -> pcap.recordHeader(2, 0, 0xFFFF_FFF0L, 60).bytes(new byte[64]));
        Result analyze = run("analyze", file.toString());
        assertThat(analyze.code()).isEqualTo(ExitCodes.BAD_INPUT);
        // the six clean frames are 54 bytes each plus their 16-byte headers, after the 24-byte file header
        // (the offset is the length field's: 8 bytes into the record header)
        assertThat(analyze.err()).isEqualTo("tcpstate: " + file + ": offset " + (24 + 6 * (16 + 54) + 8)
                + ": record length: 4294967280 bytes (expected: at most the snaplen, 262144 bytes); "
                + "that capture is analysed up to there" + System.lineSeparator());
        assertThat(analyze.out()).contains("6 read, 6 TCP");
        assertCleanConnectionAnalysed(file, ExitCodes.BAD_INPUT);
    }

    @Test
    void pcapngBlockLengthsThatLieAreCorruptWithTheirOffset() {
        byte[] syn = client().flags(TcpFlags.SYN).seq(CLIENT_ISN).build().bytes();
        CaptureWriter ng = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 65535, 6, 0)
                .enhancedPacket(0, 1_000_000, syn, syn.length);
        int offset = ng.size();
        // an Enhanced Packet Block that says it is a gigabyte long
        Path file = ng.rawBlock(6, 1L << 30, new byte[24], 1L << 30).writeTo(dir.resolve("liar.pcapng"));
        Result stats = run("stats", file.toString());
        assertThat(stats.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(stats.err()).startsWith("tcpstate: " + file + ": offset " + (offset + 4) + ": block length: ")
                .contains("(expected: ").contains("analysed up to there");
        assertThat(stats.out()).contains("1 read, 1 TCP");
        assertNoStackTrace(stats);

        // a trailing length that disagrees with the leading one
        Path disagree = CaptureWriter.pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 65535, 6, 0)
                .enhancedPacket(0, 1_000_000, syn, syn.length).rawBlock(6, 48, new byte[36], 52)
                .writeTo(dir.resolve("disagree.pcapng"));
        Result second = run("stats", disagree.toString());
        assertThat(second.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(second.err()).contains(": offset " + (offset + 44) + ": block trailing length: 52 bytes")
                .contains("(expected: ");
        assertThat(second.out()).contains("1 read, 1 TCP");
    }

    @Test
    void anUnknownLinkTypeIsNamedAndItsFramesCounted() {
        CaptureWriter pcap = CaptureWriter.pcap(4242);
        cleanConnection(pcap, 1);
        Path file = pcap.writeTo(dir.resolve("link.pcap"));
        assertSkipped(file, "skipped    6 unsupported-link-type: link type tcpstate does not decode; first: frame 1");
        assertThat(run("stats", file.toString()).out()).contains("LINKTYPE_4242 (unsupported): 6 frames");
    }

    @Test
    void anIpv4HeaderLengthBelowFiveWordsIsSkipped() {
        Path file = capture("ihl.pcap", pcap -> record(pcap, 2, client().ihl(4).flags(TcpFlags.SYN).build().bytes()));
        assertSkipped(file, "skipped    1 bad-ip-header-length: IPv4 header length below 20 bytes; first: frame 7");
        assertCleanConnectionAnalysed(file, ExitCodes.OK);
    }

    @Test
    void tcpDataOffsetsBelowFiveOrPastThePacketAreSkipped() {
        Path file = capture("offset.pcap", pcap -> {
            record(pcap, 2, client().ports(40001, 80).dataOffset(4).flags(TcpFlags.SYN).build().bytes());
            // a data offset of 15 words in a segment with a 20-byte header and nothing after it
            PacketBuilder.Packet short20 = client().ports(40002, 80).flags(TcpFlags.SYN).build();
            record(pcap, 2, short20.withByte(short20.tcpOffset() + 12, 0xF0).bytes());
        });
        assertSkipped(file, "skipped    2 bad-tcp-data-offset: TCP data offset below 5 words or beyond the IP payload; "
                + "first: frame 7");
        assertCleanConnectionAnalysed(file, ExitCodes.OK);
    }

    @Test
    void anEndlessChainOfIpv6ExtensionHeadersIsSkipped() {
        PacketBuilder chain = PacketBuilder.tcp().ipv6("fd00::1", "fd00::2").flags(TcpFlags.SYN);
        for (int i = 0; i < 40; i++) {
            chain.destinationOptions(8);
        }
        Path file = capture("chain.pcap", pcap -> record(pcap, 2, chain.build().bytes()));
        assertSkipped(file, "skipped    1 ipv6-extension-chain: IPv6 extension headers too many or running past the "
                + "packet; first: frame 7");
        assertCleanConnectionAnalysed(file, ExitCodes.OK);
    }

    @Test
    void aMillionSynsOnOneTupleAreOneAttemptWithBoundedState() {
        byte[] syn = PacketBuilder.tcp().ipv4("10.0.0.9", "10.0.0.2").ports(50000, 443).flags(TcpFlags.SYN)
                .seq(77).window(1024).build().bytes();
        Path file = capture("syns.pcap", pcap -> {
            for (int i = 0; i < 1_000_000; i++) {
                pcap.record(2, i % SECOND, syn, syn.length); // all within one second: one attempt
            }
        });
        long started = System.nanoTime();
        Result connections = run("connections", "--format", "ndjson", file.toString());
        assertThat(System.nanoTime() - started).as("a million copies of one SYN take seconds, not minutes")
                .isLessThan(60_000_000_000L);
        assertThat(connections.code()).as(connections.err()).isZero();
        String attempt = connections.out().lines().filter(line -> line.contains("\"id.orig_p\":50000"))
                .findFirst().orElseThrow();
        assertThat(attempt).contains("\"conn_state\":\"S0\"").contains("\"orig_pkts\":1000000")
                .contains("\"syn_retries\":999999");
        // Zeek's history repeats a letter only at powers of ten: a few letters, not a million
        String history = attempt.replaceAll(".*\"history\":\"([^\"]*)\".*", "$1");
        assertThat(history).hasSizeLessThan(12).startsWith("S");
        assertCleanConnectionAnalysed(file, ExitCodes.OK);
    }

    @Test
    void sequenceNumbersWrappingPastTwoToTheThirtyTwoCountEveryByteOnce() {
        int isn = -100; // 0xFFFFFF9C: the data crosses 2^32
        int server = 7;
        CaptureWriter pcap = CaptureWriter.pcap(1);
        List<PacketBuilder> packets = new java.util.ArrayList<>(List.of(
                client().flags(TcpFlags.SYN).seq(isn).ack(0),
                server().flags(TcpFlags.SYN | TcpFlags.ACK).seq(server).ack(isn + 1),
                client().flags(TcpFlags.ACK).seq(isn + 1).ack(server + 1)));
        int seq = isn + 1;
        for (int i = 0; i < 10; i++) {
            packets.add(client().flags(TcpFlags.ACK | TcpFlags.PSH).seq(seq).ack(server + 1).payload(100));
            seq += 100;
            packets.add(server().flags(TcpFlags.ACK).seq(server + 1).ack(seq));
        }
        packets.add(client().flags(TcpFlags.FIN | TcpFlags.ACK).seq(seq).ack(server + 1));
        packets.add(server().flags(TcpFlags.FIN | TcpFlags.ACK).seq(server + 1).ack(seq + 1));
        packets.add(client().flags(TcpFlags.ACK).seq(seq + 1).ack(server + 2));
        for (int i = 0; i < packets.size(); i++) {
            byte[] bytes = packets.get(i).build().bytes();
            pcap.record(1, i * 1000L, bytes, bytes.length);
        }
        Path file = pcap.writeTo(dir.resolve("wrap.pcap"));
        Result connections = run("connections", "--format", "ndjson", file.toString());
        assertThat(connections.code()).isZero();
        assertThat(connections.out().lines()).singleElement().asString().contains("\"conn_state\":\"SF\"")
                .contains("\"orig_bytes\":1000").contains("\"missed_bytes\":0").contains("\"retransmits\":0")
                .contains("\"outcome\":\"complete\"");
    }

    @Test
    void timestampsGoingBackwardsAreCountedWithTheirFirstFrameAndStillAnalysed() {
        Path file = capture("backwards.pcap", pcap -> {
            byte[] other = PacketBuilder.tcp().ipv4("10.0.0.5", "10.0.0.6").ports(1234, 22).flags(TcpFlags.ACK)
                    .build().bytes();
            pcap.record(0, 5, other, other.length); // a second before the clean connection's first frame
        });
        Result stats = run("stats", file.toString());
        assertThat(stats.code()).isZero();
        assertThat(stats.out()).contains("out of order 1 frames earlier than the frame before them; first: frame 7");
        assertCleanConnectionAnalysed(file, ExitCodes.OK);
    }

    @Test
    void aSenderLeavingAHoleBeforeEverySegmentStaysCheapAndCountsTheGaps() {
        // 200,000 one-byte segments, each one byte past a hole, never filled, then acknowledged
        CaptureWriter pcap = CaptureWriter.pcap(1);
        cleanConnection(pcap, 1);
        PacketBuilder c = PacketBuilder.tcp().ipv4("10.0.0.3", "10.0.0.2").ports(41000, 80).window(65535);
        PacketBuilder s = PacketBuilder.tcp().ipv4("10.0.0.2", "10.0.0.3").ports(80, 41000).window(65535);
        record(pcap, 2, c.flags(TcpFlags.SYN).seq(0).ack(0).build().bytes());
        record(pcap, 2, s.flags(TcpFlags.SYN | TcpFlags.ACK).seq(0).ack(1).build().bytes());
        record(pcap, 2, c.flags(TcpFlags.ACK).seq(1).ack(1).build().bytes());
        int segments = 200_000;
        for (int i = 0; i < segments; i++) {
            byte[] data = c.flags(TcpFlags.ACK).seq(2 + 2 * i).ack(1).payload(1).build().bytes();
            pcap.record(2, 1 + i, data, data.length);
        }
        record(pcap, 3, s.flags(TcpFlags.ACK).seq(1).ack(1 + 2 * segments).payload(new byte[0]).build().bytes());
        Path file = pcap.writeTo(dir.resolve("holes.pcap"));
        long started = System.nanoTime();
        Result connections = run("connections", "--format", "ndjson", file.toString());
        assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);
        assertThat(connections.code()).isZero();
        String holes = connections.out().lines().filter(line -> line.contains("\"id.orig_p\":41000"))
                .findFirst().orElseThrow();
        // every hole is a missed byte (200,000); so are the bytes of the blocks past the 4,096 kept
        long kept = 4096; // SequenceBlocks.MAX_BLOCKS: past it the highest blocks are forgotten, their bytes counted as missed
        assertThat(holes).contains("\"missed_bytes\":" + (2L * segments - kept));
        assertCleanConnectionAnalysed(file, ExitCodes.OK);
    }
}
