package dev.tcpstate.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Segments;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Zeek's history and conn_state for one record, on packet sequences taken from the corpus
 * connections worked through in docs/zeek-conn-semantics.md section 11 (their Zeek baselines give
 * the expected values) and from the rules of sections 2, 3, 8 and 10. A step reads
 * {@code "O PA 101 301 10"}: from the originator (O) or responder (R), flags, seq, ack, payload.
 */
class ZeekConnectionTest {
    static Stream<Arguments> records() {
        return Stream.of(
                row("pop3: SYN answered by RST", false, "Sr", "REJ",
                        "O S 100 0 0", "R RA 0 101 0"),
                row("rst-syn-ack-rst: an ACK before any SYN-ACK, then RST", false, "SaR", "RSTOS0",
                        "O S 100 0 0", "R A 300 101 0", "O R 101 0 0"),
                row("rst-single: a lone RST", false, "R", "OTH",
                        "O R 100 0 0"),
                row("missing-syn: flipped at creation by its SYN-ACK from port 80", true, "^hADdFaf", "SF",
                        "R SA 300 101 0", "O A 101 301 0", "O PA 101 301 20", "R PA 301 121 50",
                        "O FA 121 351 0", "R A 351 122 0", "R FA 351 122 0", "O A 122 352 0"),
                row("ssh 51476: mid-stream, closed from both sides", false, "DaFfA", "SF",
                        "O PA 5000 9000 30", "R A 9000 5030 0", "O FA 5030 9000 0", "R FA 9000 5031 0",
                        "O FA 5030 9001 0", "O A 5031 9001 0"),
                row("vlan-mpls: one-sided, client closes", false, "SADF", "SH",
                        "O S 100 0 0", "O A 101 301 0", "O PA 101 301 26", "O FPA 127 301 0"),
                row("a clean connection", false, "ShADadFf", "SF",
                        "O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O PA 101 301 100",
                        "R A 301 201 0", "R PA 301 201 1000", "O FA 201 1301 0", "R FA 1301 202 0",
                        "O A 202 1302 0"),
                row("an attempt retried, never answered", false, "S", "S0",
                        "O S 100 0 0", "O S 100 0 0", "O S 100 0 0"),
                row("established, still open at the end", false, "ShAD", "S1",
                        "O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O PA 101 301 10"),
                row("originator aborts", false, "ShADR", "RSTO",
                        "O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O PA 101 301 10", "O RA 111 301 0"),
                row("responder aborts", false, "ShADr", "RSTR",
                        "O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O PA 101 301 10", "R RA 301 111 0"),
                row("a retransmitted data segment", false, "ShADT", "S1",
                        "O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O PA 101 301 100",
                        "O PA 101 301 100"),
                row("server closes, client never does", false, "ShAf", "S3",
                        "O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "R FA 301 101 0"),
                row("client half-closes", false, "ShAF", "S2",
                        "O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O FA 101 301 0"),
                row("FIN and RST together", false, "ShAI", "RSTO",
                        "O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O FRA 101 301 0"));
    }

    private static Arguments row(String name, boolean flipped, String history, String state, String... steps) {
        return Arguments.of(name, flipped, history, state, steps);
    }

    @ParameterizedTest(name = "{0}: {2} {3}")
    @MethodSource("records")
    void historyAndConnStateAreZeeks(String name, boolean flipped, String history, String state, String[] steps) {
        ZeekConnection record = new ZeekConnection(1_000_000L, flipped);
        Steps script = new Steps(record);
        for (String step : steps) {
            script.send(step);
        }
        assertThat(record.history()).as("history of %s", name).isEqualTo(history);
        assertThat(record.connState()).as("conn_state of %s", name).isEqualTo(state);
    }

    @Test
    void sizesComeFromSequenceNumbersWithoutSynAndFin() {
        ZeekConnection record = new ZeekConnection(0, false);
        Steps script = new Steps(record);
        for (String step : new String[] {"O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O PA 101 301 100",
            "R PA 301 201 1000", "O FA 201 1301 0", "R FA 1301 202 0", "O A 202 1302 0"}) {
            script.send(step);
        }
        assertThat(record.size(true)).isEqualTo(100);
        assertThat(record.size(false)).isEqualTo(1000);
        assertThat(record.packets(true)).isEqualTo(5); // S, A, PA, FA, A
        assertThat(record.packets(false)).isEqualTo(3);
        // last_time stops once both sides closed: the final ACK is not in the duration
        assertThat(record.lastNanos()).isEqualTo(7 * Steps.STEP);
    }

    @Test
    void anAckBeyondDataThatNeverArrivedIsAContentGap() {
        ZeekConnection record = new ZeekConnection(0, false);
        Steps script = new Steps(record);
        // bytes 201..300 of the originator never reach the capture; the responder acks them
        for (String step : new String[] {"O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O PA 101 301 100",
            "O PA 301 301 100", "R A 301 401 0"}) {
            script.send(step);
        }
        assertThat(record.history()).isEqualTo("ShADaG");
        assertThat(record.missedBytes()).isEqualTo(100);
    }

    @Test
    void dataThatArrivesOutOfOrderLeavesNoGap() {
        ZeekConnection record = new ZeekConnection(0, false);
        Steps script = new Steps(record);
        for (String step : new String[] {"O S 100 0 0", "R SA 300 101 0", "O A 101 301 0", "O PA 201 301 100",
            "O PA 101 301 100", "R A 301 301 0"}) {
            script.send(step);
        }
        assertThat(record.history()).isEqualTo("ShADTa");
        assertThat(record.missedBytes()).isZero();
    }

    @Test
    void repeatedEventsAreLoggedOnTheFirstTenthAndHundredth() {
        ZeekConnection record = new ZeekConnection(0, false);
        for (int i = 0; i < 100; i++) {
            record.badChecksum(false);
        }
        assertThat(record.history()).isEqualTo("ccc");
    }

    /** Feeds steps written {@code "O PA 101 301 10"} (O the originator, R the responder) to a record. */
    private static final class Steps {
        static final long STEP = 1_000_000L;
        final ZeekConnection record;
        final Segments segments = new Segments();
        long time;

        Steps(ZeekConnection record) {
            this.record = record;
        }

        void send(String step) {
            boolean fromOriginator = step.startsWith("O");
            time += STEP;
            record.packet(fromOriginator, segments.of(fromOriginator, step.substring(1), time, 0));
        }
    }
}
