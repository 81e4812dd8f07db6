package dev.tcpstate.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Segments;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per RFC 793 transition and per example sequence of RFC 793 section 3 (figures 7 to 14),
 * written as the segments an observer sees and both endpoints' states after each. A step reads
 * {@code "A FA 100 300 0 => FIN-WAIT-1 ESTABLISHED"}: A (the originator) or B sends flags
 * (S SYN, A ACK, F FIN, R RST, P PSH), sequence number, acknowledgement number, payload bytes;
 * then the states of A and of B.
 */
class ConnectionMachineTest {
    private static final long MSL_2 = 60_000_000_000L;
    private static final long STEP = 1_000_000L;

    /** The handshake of figure 7, leaving A at 101 and B at 301. */
    private static final List<String> OPEN = List.of(
            "A S 100 0 0 => SYN-SENT CLOSED",
            "B SA 300 101 0 => SYN-SENT SYN-RECEIVED",
            "A A 101 301 0 => ESTABLISHED ESTABLISHED");

    static Stream<Arguments> sequences() {
        return Stream.of(
                row("figure 7: basic three-way handshake, then data", OPEN,
                        "A PA 101 301 10 => ESTABLISHED ESTABLISHED",
                        "B A 301 111 0 => ESTABLISHED ESTABLISHED"),
                row("figure 8: simultaneous open", List.of(),
                        "A S 100 0 0 => SYN-SENT CLOSED",
                        "B S 300 0 0 => SYN-SENT SYN-SENT",
                        // B's SYN-ACK shows A's had not reached it: the two cross
                        "A SA 100 301 0 => SYN-RECEIVED SYN-RECEIVED",
                        "B SA 300 101 0 => ESTABLISHED ESTABLISHED"),
                row("figure 9: recovery from an old duplicate SYN", List.of(),
                        "A S 100 0 0 => SYN-SENT CLOSED",
                        "A S 90 0 0 => SYN-SENT CLOSED",
                        "B SA 300 91 0 => SYN-SENT SYN-RECEIVED",
                        "A R 91 0 0 => SYN-SENT LISTEN",
                        "A S 100 0 0 => SYN-SENT LISTEN",
                        "B SA 400 101 0 => SYN-SENT SYN-RECEIVED",
                        "A A 101 401 0 => ESTABLISHED ESTABLISHED"),
                row("figure 10: half-open connection discovery (A crashed and reopens)", OPEN,
                        "A S 400 0 0 => SYN-SENT ESTABLISHED",
                        "B A 301 101 0 => SYN-SENT ESTABLISHED",
                        "A R 101 0 0 => SYN-SENT CLOSED"),
                row("figure 11: the active side discovers the peer lost its connection", OPEN,
                        "A PA 101 301 10 => ESTABLISHED ESTABLISHED",
                        "B R 301 0 0 => CLOSED CLOSED"),
                row("figure 13: normal close", OPEN,
                        "A FA 101 301 0 => FIN-WAIT-1 ESTABLISHED",
                        "B A 301 102 0 => FIN-WAIT-2 CLOSE-WAIT",
                        "B FA 301 102 0 => FIN-WAIT-2 LAST-ACK",
                        "A A 102 302 0 => TIME-WAIT CLOSED"),
                row("figure 13 with the FIN and its ACK in one segment: the FIN arrives with the ACK", OPEN,
                        "A FA 101 301 0 => FIN-WAIT-1 ESTABLISHED",
                        "B FA 301 102 0 => TIME-WAIT LAST-ACK",
                        "A A 102 302 0 => TIME-WAIT CLOSED"),
                row("a FIN,ACK answering a FIN whose last ACK the capture lacks leaves TIME-WAIT", OPEN,
                        "A FA 101 301 0 => FIN-WAIT-1 ESTABLISHED",
                        "B FA 301 102 0 => TIME-WAIT LAST-ACK",
                        "B FA 301 102 0 => TIME-WAIT LAST-ACK"),
                row("figure 14: simultaneous close", OPEN,
                        "A FA 101 301 0 => FIN-WAIT-1 ESTABLISHED",
                        "B FA 301 101 0 => FIN-WAIT-1 FIN-WAIT-1",
                        "A A 102 302 0 => CLOSING TIME-WAIT",
                        "B A 302 102 0 => TIME-WAIT TIME-WAIT"),
                row("refused: SYN answered by RST", List.of(),
                        "A S 100 0 0 => SYN-SENT CLOSED",
                        "B RA 0 101 0 => CLOSED CLOSED"),
                row("firewalled: SYNs unanswered", List.of(),
                        "A S 100 0 0 => SYN-SENT CLOSED",
                        "A S 100 0 0 => SYN-SENT CLOSED",
                        "A S 100 0 0 => SYN-SENT CLOSED"),
                row("server abort: RST from the responder while established", OPEN,
                        "A PA 101 301 10 => ESTABLISHED ESTABLISHED",
                        "B RA 301 111 0 => CLOSED CLOSED"),
                row("server closes first", OPEN,
                        "B FA 301 101 0 => ESTABLISHED FIN-WAIT-1",
                        "A A 101 302 0 => CLOSE-WAIT FIN-WAIT-2",
                        "A FA 101 302 0 => LAST-ACK FIN-WAIT-2",
                        "B A 302 102 0 => CLOSED TIME-WAIT"),
                row("a RST out of the window is not believed, and its sender goes on (RFC 5961 3.2)", OPEN,
                        "B R 900000 0 0 => ESTABLISHED ESTABLISHED",
                        "B PA 301 101 10 => ESTABLISHED ESTABLISHED"),
                row("a RST in the window but not at RCV.NXT draws a challenge ACK; the one at RCV.NXT resets", OPEN,
                        "B R 350 0 0 => ESTABLISHED ESTABLISHED",
                        "A A 101 301 0 => ESTABLISHED ESTABLISHED",
                        "B R 301 0 0 => CLOSED CLOSED"),
                row("after the peer's FIN a RST at the FIN's own number is believed (Linux)", OPEN,
                        "B FA 301 101 0 => ESTABLISHED FIN-WAIT-1",
                        "A A 101 302 0 => CLOSE-WAIT FIN-WAIT-2",
                        "B R 301 0 0 => CLOSED CLOSED"),
                row("a RST without ACK does not reset SYN-SENT", List.of(),
                        "A S 100 0 0 => SYN-SENT CLOSED",
                        "B R 0 0 0 => SYN-SENT CLOSED"),
                row("SYN-RECEIVED (active open) closes with a FIN", List.of(),
                        "A S 100 0 0 => SYN-SENT CLOSED",
                        "B S 300 0 0 => SYN-SENT SYN-SENT",
                        "A SA 100 301 0 => SYN-RECEIVED SYN-RECEIVED",
                        "A FA 101 301 0 => FIN-WAIT-1 ESTABLISHED"),
                row("retransmitted FIN changes nothing", OPEN,
                        "A FA 101 301 0 => FIN-WAIT-1 ESTABLISHED",
                        "A FA 101 301 0 => FIN-WAIT-1 ESTABLISHED",
                        "B A 301 102 0 => FIN-WAIT-2 CLOSE-WAIT",
                        "A FA 101 301 0 => FIN-WAIT-2 CLOSE-WAIT"),
                row("sequence numbers that wrap around 2^32", List.of(),
                        "A S 4294967290 0 0 => SYN-SENT CLOSED",
                        "B SA 4294967295 4294967291 0 => SYN-SENT SYN-RECEIVED",
                        "A PA 4294967291 0 10 => ESTABLISHED ESTABLISHED",
                        "A FA 5 0 0 => FIN-WAIT-1 ESTABLISHED",
                        "B FA 0 6 0 => TIME-WAIT LAST-ACK",
                        "A A 6 1 0 => TIME-WAIT CLOSED"));
    }

    private static Arguments row(String name, List<String> prefix, String... steps) {
        return Arguments.of(name, Stream.concat(prefix.stream(), Stream.of(steps)).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void followsTheRfcStepByStep(String name, List<String> steps) {
        Script script = new Script();
        for (String step : steps) {
            String[] halves = step.split("=>");
            script.send(halves[0].trim());
            String[] expected = halves[1].trim().split(" ");
            assertThat(new String[] {
                script.machine.state(Side.ORIGINATOR).rfcName(), script.machine.state(Side.RESPONDER).rfcName()})
                    .as("after '%s' in %s", step, name).containsExactly(expected);
        }
    }

    @Test
    void timeWaitLastsTwiceTheMslOfPacketTimeThenCloses() {
        Script script = new Script();
        OPEN.forEach(step -> script.send(step.split("=>")[0].trim()));
        script.send("A FA 101 301 0");
        script.send("B FA 301 102 0"); // A receives B's FIN, as the kernel does: TIME-WAIT from here
        long enteredTimeWait = script.time;
        script.send("A A 102 302 0");
        assertThat(script.machine.timeWaitSince(Side.ORIGINATOR)).hasValue(enteredTimeWait);

        script.machine.advanceTo(enteredTimeWait + MSL_2 - 1);
        assertThat(script.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.TIME_WAIT);
        script.machine.advanceTo(enteredTimeWait + MSL_2 + 5_000_000_000L);
        assertThat(script.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.CLOSED);
        Transition last = script.machine.transitions().get(script.machine.transitions().size() - 1);
        assertThat(last.timestampNanos()).as("the expiry happens at 2×MSL, not when noticed")
                .isEqualTo(enteredTimeWait + MSL_2);
        assertThat(last.cause()).contains("2×MSL");
    }

    @Test
    void keepaliveProbesIntoSilenceThenAGiveUpAreAHalfOpenConnectionNotAReset() {
        Script script = new Script();
        OPEN.forEach(step -> script.send(step.split("=>")[0].trim()));
        script.send("A PA 101 301 10");
        script.send("B A 301 111 0");
        script.send("A A 110 301 0"); // keepalive: no data, one below A's next number
        script.send("B A 301 111 0"); // answered: the peer is there
        assertThat(script.machine.keepaliveProbes(Side.ORIGINATOR)).isEqualTo(1);
        assertThat(script.machine.unansweredRetransmits(Side.ORIGINATOR)).isZero();
        script.send("A A 110 301 0");
        script.send("A A 110 301 0");
        script.send("A A 110 301 0");
        assertThat(script.machine.unansweredRetransmits(Side.ORIGINATOR)).isEqualTo(3);
        script.send("A RA 111 301 0"); // the kernel gives up (keepalive timeout) with a RST

        assertThat(script.machine.keepaliveProbes(Side.ORIGINATOR)).isEqualTo(4);
        assertThat(script.machine.gaveUp()).isTrue();
        assertThat(script.machine.resetBy()).isEmpty();
        assertThat(Outcome.classify(script.machine, false)).isEqualTo(Outcome.HALF_OPEN);
        assertThat(script.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.CLOSED);
        assertThat(script.machine.state(Side.RESPONDER)).isEqualTo(TcpState.CLOSED);
    }

    @Test
    void aRstAfterACompleteCloseEndsTimeWaitEarlyButTheConnectionStaysComplete() {
        Script script = new Script();
        OPEN.forEach(step -> script.send(step.split("=>")[0].trim()));
        script.send("A FA 101 301 0");
        script.send("B A 301 102 0");
        script.send("B FA 301 102 0");
        script.send("A A 102 302 0");
        assertThat(script.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.TIME_WAIT);
        script.send("B R 302 0 0"); // at the client's RCV.NXT: Linux (tcp_rfc1337=0) believes it

        assertThat(script.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.CLOSED);
        assertThat(script.machine.resetBy()).isEmpty();
        assertThat(script.machine.resetsAfterClose()).isEqualTo(1);
        assertThat(Outcome.classify(script.machine, false)).isEqualTo(Outcome.COMPLETE);
        Transition last = script.machine.transitions().get(script.machine.transitions().size() - 1);
        assertThat(last.cause()).contains("TIME-WAIT").contains("RFC 1337");

        Script reset = new Script(); // the same RST before the close completes: a reset
        OPEN.forEach(step -> reset.send(step.split("=>")[0].trim()));
        reset.send("A FA 101 301 0");
        reset.send("B R 301 102 0");
        assertThat(reset.machine.resetBy()).contains(Side.RESPONDER);
        assertThat(Outcome.classify(reset.machine, false)).isEqualTo(Outcome.RESET);
    }

    @Test
    void everyChangeIsRecordedWithTimeFrameAndCause() {
        Script script = new Script();
        OPEN.forEach(step -> script.send(step.split("=>")[0].trim()));

        assertThat(script.machine.transitions()).extracting(t -> t.side() + " " + t.from() + "->" + t.to() + " #"
                + t.frameNumber()).containsExactly(
                        "ORIGINATOR CLOSED->SYN_SENT #1",
                        "RESPONDER CLOSED->LISTEN #2",
                        "RESPONDER LISTEN->SYN_RECEIVED #2",
                        "ORIGINATOR SYN_SENT->ESTABLISHED #3",
                        "RESPONDER SYN_RECEIVED->ESTABLISHED #3");
        assertThat(script.machine.transitions()).allSatisfy(t -> assertThat(t.cause()).isNotBlank());
        assertThat(script.machine.transitions().get(0).timestampNanos()).isEqualTo(STEP);
    }

    @Test
    void countsSynRetriesAndWhoReset() {
        Script script = new Script();
        script.send("A S 100 0 0");
        script.send("A S 100 0 0");
        script.send("A S 100 0 0");
        script.send("A S 100 0 0");
        assertThat(script.machine.synRetransmits(Side.ORIGINATOR)).isEqualTo(3);
        script.send("B RA 0 101 0");
        assertThat(script.machine.resetBy()).contains(Side.RESPONDER);
    }

    @Test
    void theHandshakeRoundTripRunsFromTheLastSynCopyToTheSegmentThatCompletesIt() {
        Script script = new Script();
        script.send("A S 100 0 0");
        script.send("A S 100 0 0");
        long lastSyn = script.time;
        script.send("B SA 300 101 0");
        assertThat(script.machine.handshakeRttNanos()).as("the responder is not ESTABLISHED yet").isEmpty();
        script.time += 10 * STEP;
        script.send("A A 101 301 0");
        assertThat(script.machine.handshakeRttNanos()).hasValue(script.time - lastSyn);
        script.send("A S 100 0 0"); // a late copy changes nothing
        assertThat(script.machine.handshakeRttNanos()).hasValue(script.time - STEP - lastSyn);

        Script midstream = new Script(true);
        midstream.send("A PA 5000 9000 100");
        midstream.send("B A 9000 5100 0");
        assertThat(midstream.machine.handshakeRttNanos()).as("no handshake was seen").isEmpty();
    }

    @Test
    void whatNobodyAcknowledgedByTheEndOfTheCaptureIsNotTakenAsDelivered() {
        Script fin = new Script();
        OPEN.forEach(step -> fin.send(step.split("=>")[0].trim()));
        fin.send("A FA 101 301 0");
        fin.machine.finish(fin.time + STEP);
        // no evidence B got the FIN: it stays ESTABLISHED (a half-closed connection)
        assertThat(fin.machine.state(Side.RESPONDER)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(fin.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.FIN_WAIT_1);

        Script synAck = new Script();
        synAck.send("A S 100 0 0");
        synAck.send("B SA 300 101 0");
        synAck.machine.finish(synAck.time + STEP);
        // a SYN-ACK to a spoofed source is never answered: the originator stays SYN-SENT
        assertThat(synAck.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.SYN_SENT);
        assertThat(synAck.machine.state(Side.RESPONDER)).isEqualTo(TcpState.SYN_RECEIVED);
    }

    @Test
    void midstreamEndpointsStartUnknownAndCloseNormally() {
        Script script = new Script(true);
        assertThat(script.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.UNKNOWN);
        script.send("A PA 5000 9000 100");
        script.send("A FA 5100 9000 0");
        script.send("B FA 9000 5101 0");
        script.send("A A 5101 9001 0");
        assertThat(script.machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.TIME_WAIT);
        assertThat(script.machine.state(Side.RESPONDER)).isEqualTo(TcpState.CLOSED);
    }

    /** Feeds steps written {@code "A FA 101 301 0"} (A the originator, B the responder) to a machine. */
    private static final class Script {
        final ConnectionMachine machine;
        final Segments segments = new Segments();
        long time;
        long number;

        Script() {
            this(false);
        }

        Script(boolean midstream) {
            machine = new ConnectionMachine(MSL_2, midstream);
        }

        void send(String step) {
            boolean fromA = step.startsWith("A");
            time += STEP;
            machine.segment(fromA ? Side.ORIGINATOR : Side.RESPONDER,
                    segments.of(fromA, step.substring(1), time, ++number));
        }
    }
}
