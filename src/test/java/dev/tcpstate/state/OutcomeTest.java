package dev.tcpstate.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Segments;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per outcome word: the segments that earn it (A the client, B the server). */
class OutcomeTest {
    private static final String[] HANDSHAKE = {"A S 100 0 0", "B SA 300 101 0", "A A 101 301 0"};

    static Stream<Arguments> rows() {
        return Stream.of(
                row(Outcome.COMPLETE, false, HANDSHAKE, "A FA 101 301 0", "B FA 301 102 0", "A A 102 302 0"),
                row(Outcome.REFUSED, false, new String[0], "A S 100 0 0", "B RA 0 101 0"),
                row(Outcome.UNANSWERED, false, new String[0], "A S 100 0 0", "A S 100 0 0"),
                row(Outcome.NO_FINAL_ACK, false, new String[0], "A S 100 0 0", "B SA 300 101 0"),
                row(Outcome.RESET_IN_HANDSHAKE, false, new String[0], "A S 100 0 0", "B SA 300 101 0",
                        "A R 101 0 0"),
                row(Outcome.RESET, false, HANDSHAKE, "A PA 101 301 10", "B RA 301 111 0"),
                row(Outcome.HALF_OPEN, false, HANDSHAKE, "A PA 101 301 10", "A PA 101 301 10", "A PA 101 301 10",
                        "B R 301 0 0"),
                // answered retransmissions before a reset make no half-open connection
                row(Outcome.RESET, false, HANDSHAKE, "A PA 101 301 10", "A PA 101 301 10", "B A 301 111 0",
                        "B R 301 0 0"),
                // the peer vanished without a word: three copies into silence by the end
                row(Outcome.HALF_OPEN, false, HANDSHAKE, "A PA 101 301 10", "A PA 101 301 10", "A PA 101 301 10",
                        "A PA 101 301 10"),
                row(Outcome.OPEN, false, HANDSHAKE, "A PA 101 301 10", "A PA 101 301 10", "A PA 101 301 10"),
                row(Outcome.HALF_CLOSED, false, HANDSHAKE, "A FA 101 301 0", "B A 301 102 0"),
                row(Outcome.OPEN, false, HANDSHAKE, "A PA 101 301 10", "B A 301 111 0"),
                row(Outcome.MIDSTREAM, true, new String[0], "A PA 5000 9000 10", "B A 9000 5010 0"),
                row(Outcome.COMPLETE, true, new String[0], "A FA 5000 9000 0", "B FA 9000 5001 0", "A A 5001 9001 0"));
    }

    private static Arguments row(Outcome outcome, boolean midstream, String[] prefix, String... steps) {
        return Arguments.of(outcome, midstream, Stream.concat(Stream.of(prefix), Stream.of(steps)).toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} (midstream {1})")
    @MethodSource("rows")
    void earnsItsWord(Outcome expected, boolean midstream, String[] steps) {
        ConnectionMachine machine = new ConnectionMachine(60_000_000_000L, midstream);
        Segments segments = new Segments();
        long time = 0;
        for (String step : steps) {
            boolean fromA = step.startsWith("A");
            time += 1_000_000L;
            machine.segment(fromA ? Side.ORIGINATOR : Side.RESPONDER, segments.of(fromA, step.substring(1), time, 0));
        }
        machine.finish(time);
        assertThat(Outcome.classify(machine, midstream)).isEqualTo(expected);
        assertThat(expected.label()).matches("[a-z]+(-[a-z]+)*");
    }

    @org.junit.jupiter.api.Test
    void countsDataSentAfterThePeerResetAndSynAcksWithAWrongAck() {
        ConnectionMachine machine = new ConnectionMachine(60_000_000_000L, false);
        Segments segments = new Segments();
        String[] steps = {"A S 100 0 0", "B SA 300 101 0", "A A 101 301 0", "B R 301 0 0", "A PA 101 301 10",
            "A PA 111 301 10"};
        long time = 0;
        for (String step : steps) {
            boolean fromA = step.startsWith("A");
            machine.segment(fromA ? Side.ORIGINATOR : Side.RESPONDER, segments.of(fromA, step.substring(1), time += 1_000_000L, 0));
        }
        assertThat(machine.dataAfterPeerReset(Side.ORIGINATOR)).isEqualTo(2);
        assertThat(machine.dataAfterPeerReset(Side.RESPONDER)).isZero();
        assertThat(machine.synAckWithWrongAck()).isFalse();

        ConnectionMachine wrongAck = new ConnectionMachine(60_000_000_000L, false);
        wrongAck.segment(Side.ORIGINATOR, segments.of(true, " S 100 0 0", 1, 0));
        wrongAck.segment(Side.RESPONDER, segments.of(false, " SA 300 999 0", 2, 0));
        wrongAck.segment(Side.ORIGINATOR, segments.of(true, " R 999 0 0", 3, 0));
        assertThat(wrongAck.synAckWithWrongAck()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aSynAckWhoseSynWasMissedMakesItsReceiverAClientThatEstablishes() {
        ConnectionMachine machine = new ConnectionMachine(60_000_000_000L, false);
        Segments segments = new Segments();
        machine.segment(Side.RESPONDER, segments.of(false, " SA 300 101 0", 1_000_000L, 1));
        machine.segment(Side.ORIGINATOR, segments.of(true, " A 101 301 0", 2_000_000L, 2));
        assertThat(machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(machine.state(Side.RESPONDER)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(machine.isn(Side.ORIGINATOR)).hasValue(100);
        assertThat(machine.transitions()).extracting(Transition::cause).contains("sent SYN (inferred: the capture missed it)");
    }
}
