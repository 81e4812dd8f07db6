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
import dev.tcpstate.state.Outcome;
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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How packets become records: instances, TIME-WAIT reuse, timers and the attempts they split. */
class ConnectionTrackerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long TIME_WAIT = 60 * SECOND;

    private final List<Connection> logged = new ArrayList<>();
    /** Final records with the packet time each became final at. */
    private final List<ConnectionRecord> finals = new ArrayList<>();
    private final List<Long> finalTimes = new ArrayList<>();
    private final ConnectionTracker tracker = new ConnectionTracker(Set.of(80), TIME_WAIT,
            ZeekRules.Timeouts.ZEEK_DEFAULTS, (record, at) -> {
                finals.add(record);
                finalTimes.add(at);
            });

    {
        tracker.onLogged(logged::add);
    }
    private final FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
    private final TcpSegment segment = new TcpSegment();
    private long last;

    private void replay(Path capture) throws IOException {
        Frame frame = new Frame();
        try (PacketSource source = CaptureFiles.open(capture.toString())) {
            while (source.next(frame)) {
                last = frame.timestampNanos();
                if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                    tracker.packet(segment, false);
                }
            }
        }
        finish();
    }

    private void finish() {
        tracker.finish(last);
        logged.forEach(record -> record.machine().finish(last));
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
        assertThat(logged).hasSize(kernel).allSatisfy(record -> {
            assertThat(record.machine().state(Side.ORIGINATOR)).isEqualTo(TcpState.TIME_WAIT);
            assertThat(record.machine().state(Side.RESPONDER)).isEqualTo(TcpState.CLOSED);
            assertThat(record.tuple().responderPort()).isEqualTo(8080);
            assertThat(record.zeek().connState()).isEqualTo("SF");
        });
        assertThat(logged).extracting(Connection::id).doesNotHaveDuplicates();
    }

    /**
     * Recorded: two connections on one four-tuple, 1 s or more apart, the same side closing first
     * each time. time-wait-reuse: the server's kernel took the second SYN on its TIME-WAIT socket;
     * time-wait-reuse-client: the client's kernel reused its port in TIME-WAIT (tcp_tw_reuse=1).
     * Either way ss lists one TIME-WAIT at the end, the second connection's.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"time-wait-reuse, server", "time-wait-reuse-client, client"})
    void aNewConnectionOnAFourTupleInTimeWaitEndsThatTimeWaitAsTheKernelDid(String scenario, String holder)
            throws IOException {
        replay(Environment.samples().resolve(scenario + ".pcap"));

        boolean client = holder.equals("client");
        assertThat(finals).hasSize(2);
        ConnectionRecord first = finals.get(0);
        ConnectionRecord second = finals.get(1);
        assertThat(second.reusedTimeWait()).isTrue();
        assertThat(client ? first.originatorState() : first.responderState()).as("the old TIME-WAIT is gone")
                .isEqualTo(TcpState.CLOSED);
        assertThat(first.timeWaitAtEnd()).isFalse();
        long entered = (client ? first.originatorTimeWaitNanos() : first.responderTimeWaitNanos()).orElseThrow();
        assertThat(first.timeWaitEnd(entered, TIME_WAIT)).as("it ended at the new SYN").isEqualTo(second.tsNanos());
        assertThat(finalTimes.get(0)).as("final then, not 2×MSL later").isEqualTo(second.tsNanos());
        assertThat(client ? second.originatorState() : second.responderState()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(finals.stream().filter(ConnectionRecord::timeWaitAtEnd).count())
                .isEqualTo(kernelCount(scenario, holder, "TIME-WAIT"))
                .isEqualTo(1);
    }

    /**
     * Recorded: both ends connect() to each other, each side's first SYN dropped, so the retries
     * cross and both go SYN-SENT -> SYN-RECEIVED -> ESTABLISHED. Zeek starts a record at each of
     * the four SYNs; the endpoints are one pair of sockets throughout, and end as ss saw them.
     */
    @Test
    void aSimultaneousOpenIsOneConnectionAcrossZeeksFourRecords() throws IOException {
        replay(Environment.samples().resolve("simultaneous-open.pcap"));

        assertThat(finals).hasSize(4);
        for (int i = 0; i < 3; i++) {
            ConnectionRecord record = finals.get(i);
            assertThat(record.outcome()).as(record.uid()).isEqualTo(Outcome.CONTINUED);
            assertThat(record.continuedInUid()).contains(finals.get(i + 1).uid());
            assertThat(finals.get(i + 1).continuesUid()).contains(record.uid());
        }
        ConnectionRecord last = finals.get(3);
        assertThat(last.outcome()).isEqualTo(Outcome.COMPLETE);
        assertThat(last.synRetries()).as("its originator's SYN, sent twice").isEqualTo(1);
        // the last record's originator is the server side (port 8080), whose SYN came last
        assertThat(last.originatorPort()).isEqualTo(8080);
        assertThat(kernelCount("simultaneous-open", "client", "TIME-WAIT")).isEqualTo(1);
        assertThat(kernelCount("simultaneous-open", "server", "TIME-WAIT")).isZero();
        assertThat(last.responderState()).as("client").isEqualTo(TcpState.TIME_WAIT);
        assertThat(last.originatorState()).as("server").isEqualTo(TcpState.CLOSED);
        assertThat(finals).noneMatch(record -> record.outcome() == Outcome.UNANSWERED);
    }

    /**
     * Recorded: the client forgets an open connection (its RST never reaches the wire) and
     * connects again from the same port. The server still holds the connection: it answers the
     * SYN with a challenge ACK, the client answers that with a RST (and stays in SYN-SENT), which
     * closes the server's old socket; the SYN's retry then opens a new connection. ss: the
     * client's TIME-WAIT of the new connection, the server's LISTEN only.
     */
    @Test
    void aChallengeAckDiscoversTheHalfOpenConnectionAndTheNewOneGoesOn() throws IOException {
        replay(Environment.samples().resolve("challenge-ack.pcap"));

        assertThat(finals).hasSize(3);
        ConnectionRecord old = finals.stream().filter(record -> record.connState().equals("S1")).findFirst()
                .orElseThrow();
        assertThat(old.outcome()).isEqualTo(Outcome.HALF_OPEN);
        assertThat(old.originatorState()).as("the client's old socket is gone").isEqualTo(TcpState.CLOSED);
        assertThat(old.responderState()).as("the server's, reset by the client's RST").isEqualTo(TcpState.CLOSED);
        assertThat(old.resetBy()).contains(Side.ORIGINATOR);
        ConnectionRecord attempt = finals.stream().filter(record -> record.connState().equals("RSTOS0"))
                .findFirst().orElseThrow();
        ConnectionRecord renewed = finals.stream().filter(record -> record.connState().equals("SF")).findFirst()
                .orElseThrow();
        assertThat(attempt.outcome()).isEqualTo(Outcome.CONTINUED);
        assertThat(attempt.continuedInUid()).contains(renewed.uid());
        assertThat(renewed.continuesUid()).contains(attempt.uid());
        assertThat(renewed.synRetries()).isEqualTo(1);
        assertThat(renewed.outcome()).isEqualTo(Outcome.COMPLETE);
        assertThat(kernelCount("challenge-ack", "client", "TIME-WAIT")).isEqualTo(1);
        assertThat(renewed.originatorState()).as("client").isEqualTo(TcpState.TIME_WAIT);
        assertThat(kernelCount("challenge-ack", "server", "ESTABLISHED")).isZero();
        assertThat(renewed.responderState()).as("server").isEqualTo(TcpState.CLOSED);
    }

    /**
     * A copy of the client's SYN inside the established connection (same ISN: no reuse for Zeek).
     * Zeek only re-initialises the endpoint's sequence bookkeeping there (SYN_inside_connection);
     * its reassembler keeps what it had, so the data already seen is no content gap.
     */
    @Test
    void aDuplicateSynInsideAnEstablishedConnectionIsNoContentGap() {
        long t = 1000 * SECOND;
        send(t, true, TcpFlags.SYN, 100, 0);
        send(t + 1, false, TcpFlags.SYN | TcpFlags.ACK, 300, 101);
        send(t + 2, true, TcpFlags.ACK, 101, 301);
        sendData(t + 3, true, 101, 301, 100);
        send(t + 4, false, TcpFlags.ACK, 301, 201);
        send(t + 5, true, TcpFlags.SYN, 100, 0); // the old SYN again
        send(t + 6, false, TcpFlags.ACK, 301, 201);
        sendData(t + 7, true, 201, 301, 100);
        send(t + 8, false, TcpFlags.ACK, 301, 301);
        send(t + 9, true, TcpFlags.FIN | TcpFlags.ACK, 301, 301);
        send(t + 10, false, TcpFlags.FIN | TcpFlags.ACK, 301, 302);
        send(t + 11, true, TcpFlags.ACK, 302, 302);
        last = t + 12;
        finish();

        assertThat(finals).hasSize(1);
        ConnectionRecord record = finals.get(0);
        assertThat(record.missedBytes()).isZero();
        assertThat(record.history()).doesNotContain("G").startsWith("ShAD");
        assertThat(record.connState()).isEqualTo("SF");
        assertThat(record.outcome()).isEqualTo(Outcome.COMPLETE);
    }

    /**
     * Zeek's flip after a SYN-ACK (TCP_Endpoint::CheckHistory): a record that began with a
     * SYN-ACK between two ports that are not likely server ports keeps the SYN-ACK's sender as
     * originator (a stealth scan's SYN-ACK), until an ACK or data follows: then the roles flip
     * and the history reads as if the SYN had been seen. Not when something came between (a
     * RST: a scan's answer).
     */
    @Test
    void aRecordThatBeganWithASynAckFlipsAtTheFirstAckOrData() {
        long t = 1000 * SECOND;
        sendPorts(t, 5555, 40000, TcpFlags.SYN | TcpFlags.ACK, 300, 101, 0);
        sendPorts(t + 1, 40000, 5555, TcpFlags.ACK, 101, 301, 0);
        sendPorts(t + 2, 40000, 5555, TcpFlags.PSH | TcpFlags.ACK, 101, 301, 10);
        sendPorts(t + 3, 5555, 40000, TcpFlags.PSH | TcpFlags.ACK, 301, 111, 10);
        // a scan's SYN-ACK, answered with a RST: no flip
        sendPorts(t + 4, 6666, 40001, TcpFlags.SYN | TcpFlags.ACK, 300, 101, 0);
        sendPorts(t + 5, 40001, 6666, TcpFlags.RST, 101, 0, 0);
        last = t + 6;
        finish();

        assertThat(finals).hasSize(2);
        ConnectionRecord flipped = finals.get(0);
        assertThat(flipped.history()).isEqualTo("^hADd");
        // Zeek's endpoints after the late flip: the new originator PARTIAL (its ACK met a peer in
        // SYN_ACK_SENT, not ESTABLISHED), the responder still SYN_ACK_SENT: neither S1 nor S0
        assertThat(flipped.connState()).isEqualTo("OTH");
        assertThat(flipped.originatorPort()).as("the SYN-ACK's receiver originates").isEqualTo(40000);
        assertThat(flipped.responderPort()).isEqualTo(5555);
        assertThat(flipped.originatorState()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(flipped.responderState()).isEqualTo(TcpState.ESTABLISHED);
        ConnectionRecord scan = finals.get(1);
        assertThat(scan.history()).isEqualTo("Hr");
        assertThat(scan.originatorPort()).isEqualTo(6666);
    }

    @Test
    void synFloodSeparatesSpoofedAttemptsFromTheLegitimateConnections() throws IOException {
        replay(Environment.samples().resolve("syn-flood.pcap"));

        List<Connection> completed = logged.stream()
                .filter(record -> record.machine().state(Side.ORIGINATOR) == TcpState.TIME_WAIT).toList();
        List<Connection> spoofed = logged.stream()
                .filter(record -> record.tuple().originatorAddress().startsWith("10.201.")).toList();
        assertThat(completed).hasSize(kernelCount("syn-flood", "client", "TIME-WAIT"));
        assertThat(spoofed).hasSize(2000).allSatisfy(record -> {
            // the SYN-ACKs went to addresses that never answer
            assertThat(record.machine().state(Side.ORIGINATOR)).isEqualTo(TcpState.SYN_SENT);
            assertThat(record.machine().state(Side.RESPONDER)).isEqualTo(TcpState.SYN_RECEIVED);
            assertThat(record.machine().everEstablished()).isFalse();
            assertThat(record.continuesId()).isEmpty();
        });
        assertThat(completed.size() + spoofed.size()).isEqualTo(logged.size());
    }

    @Test
    void aNewSynOnATupleInTimeWaitStartsASecondRecordAndSaysSo() {
        long t = 1000 * SECOND;
        handshakeAndClose(t, 100, 300);
        // 10 s later, within the client's 60 s TIME-WAIT, the same ports again with a new ISN
        send(t + 10 * SECOND, true, TcpFlags.SYN, 5000, 0);
        send(t + 10 * SECOND + 1, false, TcpFlags.SYN | TcpFlags.ACK, 9000, 5001);
        send(t + 10 * SECOND + 2, true, TcpFlags.ACK, 5001, 9001);
        last = t + 11 * SECOND;
        finish();

        assertThat(logged).hasSize(2);
        Connection first = logged.get(0);
        Connection second = logged.get(1);
        assertThat(first.machine().state(Side.ORIGINATOR)).isEqualTo(TcpState.TIME_WAIT);
        assertThat(first.reusedInTimeWait()).isFalse();
        assertThat(second.reusedInTimeWait()).isTrue();
        assertThat(second.machine().state(Side.ORIGINATOR)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(second.zeek().packets(true)).isEqualTo(2);
    }

    @Test
    void aRecordInTimeWaitIsFinalWhenItsTimeWaitEndsAndSaysClosedThen() {
        handshakeAndClose(SECOND, 100, 300);
        sendOther(30 * SECOND); // another tuple's packet moves time on
        assertThat(logged).as("logged by Zeek's close timer").hasSize(1);
        assertThat(finals).as("but not final: the client's TIME-WAIT runs 60 s").isEmpty();
        sendOther(61 * SECOND);
        assertThat(finals).as("still in TIME-WAIT at 61 s (it began 1 s in)").isEmpty();
        sendOther(70 * SECOND);
        assertThat(finals).as("what became final at a moment goes out once time moves past it").isEmpty();
        sendOther(71 * SECOND);
        assertThat(finals).singleElement().satisfies(record -> {
            assertThat(record.originatorState()).isEqualTo(TcpState.CLOSED);
            assertThat(record.timeWaitAtEnd()).isFalse();
            assertThat(record.originatorTimeWaitNanos()).isPresent();
        });
        assertThat(finalTimes).as("final at the first packet after its TIME-WAIT ended").containsExactly(70 * SECOND);
    }

    @Test
    void aCaptureThatEndsInTimeWaitLeavesTheRecordInTimeWait() {
        handshakeAndClose(SECOND, 100, 300);
        last = 20 * SECOND;
        finish();
        assertThat(finals).singleElement().satisfies(record -> {
            assertThat(record.originatorState()).isEqualTo(TcpState.TIME_WAIT);
            assertThat(record.timeWaitAtEnd()).isTrue();
        });
        assertThat(finalTimes).containsExactly(20 * SECOND);
    }

    @Test
    void finalRecordsComeInTheOrderTheyEndedThoseOfOneMomentByNumber() {
        // unanswered attempts: Zeek's attempt timer logs each 5 s after its SYN, and the memory of
        // its SYN (a later copy would continue it) lasts 130 s more; only then is it final
        sendOn(40000, SECOND);
        sendOn(40001, 2 * SECOND);
        sendOn(40002, 2 * SECOND);
        sendOther(10 * SECOND);
        sendOn(40003, 20 * SECOND);
        sendOther(131 * SECOND + 500_000_000L);
        sendOther(140 * SECOND);
        last = 300 * SECOND;
        finish();
        assertThat(finals).extracting(ConnectionRecord::originatorPort)
                .as("in the order they became final; the other tuple's record and the last attempt at the end, "
                        + "by number (the packet that made them)")
                .containsExactly(40000, 40001, 40002, 1234, 40003);
        assertThat(finalTimes).containsExactly(131 * SECOND + 500_000_000L, 140 * SECOND, 140 * SECOND,
                300 * SECOND, 300 * SECOND);
        assertThat(finals).extracting(ConnectionRecord::id).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aNewConnectionAfterTheTimeWaitEndedDidNotReuseIt() {
        handshakeAndClose(SECOND, 100, 300);
        send(70 * SECOND, true, TcpFlags.SYN, 5000, 0);
        last = 71 * SECOND;
        finish();
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1).reusedInTimeWait()).isFalse();
    }

    @Test
    void aRetransmittedSynWithinTheAttemptTimeoutIsNoNewRecord() {
        send(SECOND, true, TcpFlags.SYN, 100, 0);
        send(2 * SECOND, true, TcpFlags.SYN, 100, 0);
        send(4 * SECOND, true, TcpFlags.SYN, 100, 0);
        last = 5 * SECOND;
        finish();
        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.synRetries()).isEqualTo(2);
            assertThat(record.continuesId()).isEmpty();
        });
    }

    @Test
    void anAttemptSplitByTheAttemptTimerGoesOnInTheNextRecordWithItsRetriesCounted() {
        // Linux's SYN retries at 0, 1, 3, 7 and 15 s; Zeek's 5 s attempt timer ends a record 5 s
        // after its first SYN, so the attempt fills three records: 0-3, 7, 15
        for (long at : new long[] {0, 1, 3, 7, 15}) {
            send((100 + at) * SECOND, true, TcpFlags.SYN, 100, 0);
        }
        last = 116 * SECOND;
        finish();

        assertThat(logged).hasSize(3);
        assertThat(logged).extracting(record -> record.zeek().packets(true)).containsExactly(3L, 1L, 1L);
        assertThat(logged.get(0).continuesId()).isEmpty();
        assertThat(logged.get(1).continuesId()).hasValue(logged.get(0).id());
        assertThat(logged.get(2).continuesId()).hasValue(logged.get(1).id());
        assertThat(logged).extracting(Connection::synRetries).as("the kernel's retry counter after each record")
                .containsExactly(2, 3, 4);
        // each record is final once the next one continues it: the stream knows which it continues
        assertThat(finals).extracting(ConnectionRecord::continuedLater).containsExactly(true, true, false);
        assertThat(finalTimes).containsExactly(107 * SECOND, 115 * SECOND, 116 * SECOND);
    }

    @Test
    void aSynWithAnotherIsnAfterTheAttemptTimerIsANewAttempt() {
        send(SECOND, true, TcpFlags.SYN, 100, 0);
        send(7 * SECOND, true, TcpFlags.SYN, 777, 0);
        last = 8 * SECOND;
        finish();
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1).continuesId()).isEmpty();
        assertThat(logged.get(1).synRetries()).isZero();
    }

    @Test
    void aSynAckSeenFirstMakesItsReceiverTheOriginator() {
        send(SECOND, false, TcpFlags.SYN | TcpFlags.ACK, 300, 101);
        last = 2 * SECOND;
        finish();
        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.tuple().originatorAddress()).isEqualTo("10.0.0.1");
            assertThat(record.tuple().originatorPort()).isEqualTo(40000);
            assertThat(record.machine().state(Side.RESPONDER)).isEqualTo(TcpState.SYN_RECEIVED);
            assertThat(record.zeek().history()).isEqualTo("^h");
        });
    }

    @Test
    void anUnansweredAttemptEndsAtTheFirstPacketFiveSecondsAfterItsSyn() {
        send(SECOND, true, TcpFlags.SYN, 100, 0);
        sendOther(5 * SECOND);
        assertThat(logged).isEmpty();
        // unrelated traffic moves packet time on
        sendOther(6 * SECOND + 1);
        assertThat(logged).singleElement().satisfies(record -> assertThat(record.tuple().originatorPort())
                .isEqualTo(40000));
        assertThat(tracker.size()).isEqualTo(1);
    }

    @Test
    void aTimeWaitIsRememberedUntilItEnds() {
        handshakeAndClose(SECOND, 100, 300);
        sendOther(20 * SECOND);
        assertThat(tracker.size()).as("removed 5 s after the close").isEqualTo(1);
        assertThat(tracker.remembered()).isEqualTo(1);
        sendOther(80 * SECOND);
        assertThat(tracker.remembered()).as("its 60 s TIME-WAIT is over").isZero();
    }

    @Test
    void anEndedAttemptIsRememberedAsLongAsLinuxRetriesASyn() {
        send(SECOND, true, TcpFlags.SYN, 100, 0);
        sendOther(10 * SECOND);
        assertThat(tracker.remembered()).isEqualTo(1);
        sendOther(120 * SECOND);
        assertThat(tracker.remembered()).isEqualTo(1);
        sendOther(150 * SECOND);
        assertThat(tracker.remembered()).isZero();
        send(151 * SECOND, true, TcpFlags.SYN, 100, 0);
        assertThat(logged.get(logged.size() - 1).continuesId()).isEmpty();
    }

    @Test
    void theCapBoundsTheMemoriesOfEndedTuplesTooOldestForgottenFirst() {
        // 100 spoofed SYNs a second for 10 minutes: each attempt ends by its timer after 5 s, so
        // about 500 are open at once and none is evicted, but each is remembered for 130 s
        int cap = 2_000;
        tracker.limit(cap);
        int mostRemembered = 0;
        for (int i = 0; i < 60_000; i++) {
            byte[] syn = PacketBuilder.tcp().ipv4("10.1." + (i >> 8 & 0xff) + "." + (i & 0xff), "10.0.0.2")
                    .ports(1024 + i % 60_000, 80).flags(TcpFlags.SYN).seq(i).window(1024).build().bytes();
            feed(syn, SECOND + i * (SECOND / 100));
            assertThat(tracker.size()).isLessThanOrEqualTo(cap);
            mostRemembered = Math.max(mostRemembered, tracker.remembered());
        }
        assertThat(mostRemembered).isEqualTo(cap);
        assertThat(tracker.evictions()).isZero();
        // 130 s of attempts at 100 a second would be 13,000 memories; all past the cap are counted
        assertThat(tracker.forgottenEarly()).isGreaterThan(40_000);
        // the newest memories are the ones kept: a retry of a recent SYN still continues its attempt
        long lastStart = SECOND + 59_999L * (SECOND / 100);
        int recent = 59_990;
        byte[] retry = PacketBuilder.tcp().ipv4("10.1." + (recent >> 8 & 0xff) + "." + (recent & 0xff), "10.0.0.2")
                .ports(1024 + recent % 60_000, 80).flags(TcpFlags.SYN).seq(recent).window(1024).build().bytes();
        feed(retry, lastStart + 20 * SECOND);
        Connection continued = tracker.open().stream().filter(r -> r.continuesId().isPresent()).findFirst().orElseThrow();
        assertThat(continued.synRetries()).isEqualTo(1);
    }

    private void handshakeAndClose(long t, long clientIsn, long serverIsn) {
        send(t, true, TcpFlags.SYN, clientIsn, 0);
        send(t + 1, false, TcpFlags.SYN | TcpFlags.ACK, serverIsn, clientIsn + 1);
        send(t + 2, true, TcpFlags.ACK, clientIsn + 1, serverIsn + 1);
        send(t + 3, true, TcpFlags.FIN | TcpFlags.ACK, clientIsn + 1, serverIsn + 1);
        send(t + 4, false, TcpFlags.FIN | TcpFlags.ACK, serverIsn + 1, clientIsn + 2);
        send(t + 5, true, TcpFlags.ACK, clientIsn + 2, serverIsn + 2);
    }

    private void send(long time, boolean fromClient, int flags, long seq, long ack) {
        PacketBuilder builder = PacketBuilder.tcp()
                .ipv4(fromClient ? "10.0.0.1" : "10.0.0.2", fromClient ? "10.0.0.2" : "10.0.0.1")
                .ports(fromClient ? 40000 : 80, fromClient ? 80 : 40000).flags(flags).seq((int) seq).ack((int) ack)
                .window(65535);
        feed(builder.build().bytes(), time);
    }

    private void sendData(long time, boolean fromClient, long seq, long ack, int length) {
        PacketBuilder builder = PacketBuilder.tcp()
                .ipv4(fromClient ? "10.0.0.1" : "10.0.0.2", fromClient ? "10.0.0.2" : "10.0.0.1")
                .ports(fromClient ? 40000 : 80, fromClient ? 80 : 40000).flags(TcpFlags.PSH | TcpFlags.ACK)
                .seq((int) seq).ack((int) ack).window(65535).payload(new byte[length]);
        feed(builder.build().bytes(), time);
    }

    private void sendPorts(long time, int from, int to, int flags, long seq, long ack, int length) {
        boolean fromLow = from < 10000;
        feed(PacketBuilder.tcp().ipv4(fromLow ? "10.0.0.2" : "10.0.0.1", fromLow ? "10.0.0.1" : "10.0.0.2")
                .ports(from, to).flags(flags).seq((int) seq).ack((int) ack).window(65535).payload(new byte[length])
                .build().bytes(), time);
    }

    /** A SYN from the client's port {@code port} to the server. */
    private void sendOn(int port, long time) {
        feed(PacketBuilder.tcp().ipv4("10.0.0.1", "10.0.0.2").ports(port, 80).flags(TcpFlags.SYN).seq(100)
                .window(65535).build().bytes(), time);
    }

    private void sendOther(long time) {
        feed(PacketBuilder.tcp().ipv4("10.0.0.7", "10.0.0.8").ports(1234, 22).flags(TcpFlags.ACK).build().bytes(), time);
    }

    private void feed(byte[] bytes, long time) {
        Frame frame = new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, time, 1);
        assertThat(decoder.decode(frame, segment)).isEqualTo(DecodeResult.TCP);
        tracker.packet(segment, false);
        last = time;
    }
}
