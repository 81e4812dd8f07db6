package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.state.Side;
import dev.tcpstate.state.TcpState;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.PacketBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionTrackerTest {
    private static final long SECOND = 1_000_000_000L;

    private final List<Connection> finished = new ArrayList<>();
    private final ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Settings.defaults(),
            finished::add);
    private final FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
    private final TcpSegment segment = new TcpSegment();

    /** Replays a sample through the tracker; returns the time of its last frame. */
    private long replay(Path capture) throws IOException {
        Frame frame = new Frame();
        long last = 0;
        try (PacketSource source = CaptureFiles.open(capture.toString())) {
            while (source.next(frame)) {
                last = frame.timestampNanos();
                if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                    tracker.segment(segment);
                }
            }
        }
        tracker.finish(last);
        return last;
    }

    /** The count ss gave for a role and state in samples/NAME.ss.txt. */
    private static int kernelCount(String scenario, String role, String state) throws IOException {
        return Files.readAllLines(Environment.samples().resolve(scenario + ".ss.txt")).stream()
                .filter(line -> line.startsWith(role + " " + state + " "))
                .mapToInt(line -> Integer.parseInt(line.split(" ")[2])).sum();
    }

    @Test
    void timeWaitBurstLeavesAsManyClientTimeWaitsAsTheKernelCounted() throws IOException {
        replay(Environment.samples().resolve("time-wait-burst.pcap"));

        int kernel = kernelCount("time-wait-burst", "client", "TIME-WAIT");
        assertThat(kernel).isGreaterThan(1000);
        assertThat(finished).hasSize(kernel);
        assertThat(finished).allSatisfy(connection -> {
            assertThat(connection.machine().state(Side.ORIGINATOR)).isEqualTo(TcpState.TIME_WAIT);
            assertThat(connection.machine().state(Side.RESPONDER)).isEqualTo(TcpState.CLOSED);
            assertThat(connection.tuple().responderPort()).isEqualTo(8080);
        });
        assertThat(finished).extracting(Connection::id).doesNotHaveDuplicates();
    }

    @Test
    void synFloodSeparatesSpoofedAttemptsFromTheLegitimateConnections() throws IOException {
        replay(Environment.samples().resolve("syn-flood.pcap"));

        List<Connection> completed = finished.stream()
                .filter(connection -> connection.machine().state(Side.ORIGINATOR) == TcpState.TIME_WAIT).toList();
        List<Connection> spoofed = finished.stream()
                .filter(connection -> connection.tuple().originatorAddress().startsWith("10.201.")).toList();
        assertThat(completed).hasSize(kernelCount("syn-flood", "client", "TIME-WAIT"));
        assertThat(spoofed).hasSize(2000).allSatisfy(connection -> {
            // the SYN-ACKs went to addresses that never answer
            assertThat(connection.machine().state(Side.ORIGINATOR)).isEqualTo(TcpState.SYN_SENT);
            assertThat(connection.machine().state(Side.RESPONDER)).isEqualTo(TcpState.SYN_RECEIVED);
            assertThat(connection.machine().everEstablished()).isFalse();
        });
        assertThat(completed.size() + spoofed.size()).isEqualTo(finished.size());
    }

    @Test
    void aNewSynOnATupleInTimeWaitStartsASecondInstanceAndSaysSo() {
        long t = 1000 * SECOND;
        send(t, true, TcpFlags.SYN, 100, 0);
        send(t + 1, false, TcpFlags.SYN | TcpFlags.ACK, 300, 101);
        send(t + 2, true, TcpFlags.ACK, 101, 301);
        send(t + 3, true, TcpFlags.FIN | TcpFlags.ACK, 101, 301);
        send(t + 4, false, TcpFlags.FIN | TcpFlags.ACK, 301, 102);
        send(t + 5, true, TcpFlags.ACK, 102, 302);
        // 10 s later, within the client's 60 s TIME-WAIT, the same ports again with a new ISN
        send(t + 10 * SECOND, true, TcpFlags.SYN, 5000, 0);
        send(t + 10 * SECOND + 1, false, TcpFlags.SYN | TcpFlags.ACK, 9000, 5001);
        send(t + 10 * SECOND + 2, true, TcpFlags.ACK, 5001, 9001);
        tracker.finish(t + 11 * SECOND);

        assertThat(finished).hasSize(2);
        Connection first = finished.get(0);
        Connection second = finished.get(1);
        assertThat(first.instance()).isEqualTo(1);
        assertThat(first.machine().state(Side.ORIGINATOR)).isEqualTo(TcpState.TIME_WAIT);
        assertThat(second.instance()).isEqualTo(2);
        assertThat(second.reusedInTimeWait()).isTrue();
        assertThat(second.machine().state(Side.ORIGINATOR)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(second.packets(Side.ORIGINATOR)).isEqualTo(2);
    }

    @Test
    void aRetransmittedSynOnAnOpenAttemptIsNoNewInstance() {
        send(SECOND, true, TcpFlags.SYN, 100, 0);
        send(2 * SECOND, true, TcpFlags.SYN, 100, 0);
        send(4 * SECOND, true, TcpFlags.SYN, 100, 0);
        tracker.finish(5 * SECOND);
        assertThat(finished).singleElement()
                .satisfies(connection -> assertThat(connection.machine().synRetransmits(Side.ORIGINATOR)).isEqualTo(2));
    }

    @Test
    void aSynAckSeenFirstMakesItsReceiverTheOriginator() {
        send(SECOND, false, TcpFlags.SYN | TcpFlags.ACK, 300, 101);
        tracker.finish(2 * SECOND);
        assertThat(finished).singleElement().satisfies(connection -> {
            assertThat(connection.tuple().originatorAddress()).isEqualTo("10.0.0.1");
            assertThat(connection.tuple().originatorPort()).isEqualTo(40000);
            assertThat(connection.machine().state(Side.RESPONDER)).isEqualTo(TcpState.SYN_RECEIVED);
        });
    }

    @Test
    void anUnansweredAttemptEndsAfterFiveSecondsOfSilenceInPacketTime() {
        send(SECOND, true, TcpFlags.SYN, 100, 0);
        // unrelated traffic moves packet time on
        sendOther(7 * SECOND);
        assertThat(finished).singleElement().satisfies(connection -> assertThat(connection.tuple().originatorPort())
                .isEqualTo(40000));
        assertThat(tracker.size()).isEqualTo(1);
    }

    private void send(long time, boolean fromClient, int flags, long seq, long ack) {
        PacketBuilder builder = PacketBuilder.tcp()
                .ipv4(fromClient ? "10.0.0.1" : "10.0.0.2", fromClient ? "10.0.0.2" : "10.0.0.1")
                .ports(fromClient ? 40000 : 80, fromClient ? 80 : 40000).flags(flags).seq((int) seq).ack((int) ack)
                .window(65535);
        feed(builder.build().bytes(), time);
    }

    private void sendOther(long time) {
        feed(PacketBuilder.tcp().ipv4("10.0.0.7", "10.0.0.8").ports(1234, 22).flags(TcpFlags.SYN).build().bytes(), time);
    }

    private void feed(byte[] bytes, long time) {
        Frame frame = new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, time, 1);
        assertThat(decoder.decode(frame, segment)).isEqualTo(DecodeResult.TCP);
        tracker.segment(segment);
    }
}
