package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.flow.Uids;
import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.Golden;
import dev.tcpstate.testing.PacketBuilder;
import dev.tcpstate.testing.Segments;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Golden ladders (src/test/resources/golden/ladder): the clean close, a simultaneous close built
 * here (RFC 793 figure 14), the refused and the vanished-peer samples, and RSTs the receiver does
 * not believe (RFC 5961), a FIN,ACK close whose last ACK never reached the wire, and a RST that
 * ends a TIME-WAIT (RFC 1337), and keepalive probes into a vanished peer, as text and SVG.
 * Regenerate with {@code ./mvnw test -Dgolden.update=true}.
 */
class LadderGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/ladder");

    @TempDir
    static Path dir;



    /**
     * Crafted (a kernel sends no such thing on its own): a copy of the client's SYN arrives in the
     * middle of the established connection, an old duplicate. The server answers it with a
     * challenge ACK (RFC 5961 section 4) and both go on; Zeek keeps it one record, no content gap.
     */
    static Path duplicateSyn() {
        return capture("duplicate-syn.pcap", new String[][] {{"c", "S", "100", "0"}, {"s", "SA", "300", "101"},
            {"c", "A", "101", "301"}, {"c", "PA", "101", "301", "100"}, {"s", "A", "301", "201"}, {"c", "S", "100", "0"},
            {"s", "A", "301", "201"}, {"c", "PA", "201", "301", "100"}, {"s", "A", "301", "301"},
            {"c", "FA", "301", "301"}, {"s", "FA", "301", "302"}, {"c", "A", "302", "302"}});
    }

    /** RFC 793 figure 14: both sides send FIN before either has seen the other's. */
    static Path simultaneousClose() {
        return capture("simultaneous-close.pcap", new String[][] {{"c", "S", "100", "0"}, {"s", "SA", "300", "101"},
            {"c", "A", "101", "301"}, {"c", "FA", "101", "301"}, {"s", "FA", "301", "101"}, {"c", "A", "102", "302"},
            {"s", "A", "302", "102"}});
    }

    /** A capture of one conversation, 1 ms apart: {sender c|s, flags, seq, ack[, payload length]}. */
    private static Path capture(String name, String[][] steps) {
        CaptureWriter writer = CaptureWriter.pcap(1);
        int millis = 0;
        for (String[] step : steps) {
            boolean client = step[0].equals("c");
            byte[] frame = PacketBuilder.tcp().ipv4(client ? "10.0.0.1" : "10.0.0.2", client ? "10.0.0.2" : "10.0.0.1")
                    .ports(client ? 40000 : 80, client ? 80 : 40000).flags(Segments.flags(step[1]))
                    .seq(Integer.parseInt(step[2])).ack(Integer.parseInt(step[3])).window(65535)
                    .payload(new byte[step.length > 4 ? Integer.parseInt(step[4]) : 0]).build().bytes();
            writer.record(1_800_000_000L, 1000L * ++millis, frame, frame.length);
        }
        return writer.writeTo(dir.resolve(name));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("client-close", Environment.samples().resolve("client-close.pcap").toString()),
                Arguments.of("refused", Environment.samples().resolve("refused.pcap").toString()),
                Arguments.of("half-open", Environment.samples().resolve("half-open.pcap").toString()),
                Arguments.of("rst-not-accepted", Environment.samples().resolve("rst-not-accepted.pcap").toString()),
                Arguments.of("last-ack-dropped", Environment.samples().resolve("last-ack-dropped.pcap").toString()),
                Arguments.of("time-wait-rst", Environment.samples().resolve("time-wait-rst.pcap").toString()),
                Arguments.of("keepalive-silent", Environment.samples().resolve("keepalive-silent.pcap").toString()),
                Arguments.of("simultaneous-close", simultaneousClose().toString()),
                Arguments.of("duplicate-syn", duplicateSyn().toString()),
                Arguments.of("simultaneous-open.4", Environment.samples().resolve("simultaneous-open.pcap").toString()),
                Arguments.of("simultaneous-close-recorded.1",
                        Environment.samples().resolve("simultaneous-close.pcap").toString()),
                Arguments.of("challenge-ack.1", Environment.samples().resolve("challenge-ack.pcap").toString()),
                Arguments.of("challenge-ack.8", Environment.samples().resolve("challenge-ack.pcap").toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ladderEqualsItsGoldenFile(String name, String capture) throws Exception {
        for (String format : List.of("text", "svg")) {
            // NAME.N draws record N, else record 1
            String conn = uid(name.contains(".") ? Long.parseLong(name.substring(name.indexOf('.') + 1)) : 1);
            Result result = run("ladder", capture, "--conn", conn, "--format", format, "--width", "100");
            assertThat(result.code()).as(result.err()).isZero();
            Path golden = GOLDEN.resolve(name + "." + (format.equals("text") ? "txt" : "svg"));
            Golden.assertMatches(golden, result.out());
            if (format.equals("svg")) {
                Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new InputSource(new StringReader(result.out())));
                assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
            }
        }
    }

    @Test
    void theSimultaneousCloseGoesThroughClosingToTimeWaitOnBothSides() {
        String ladder = run("ladder", simultaneousClose().toString(), "--conn", uid(1)).out();
        // the FINs cross: each side learns of the other's from the ACK that follows it
        assertThat(ladder).containsPattern("FIN-WAIT-1 +<-- <SEQ=1><ACK=1><CTL=FIN,ACK> +<-- FIN-WAIT-1")
                .containsPattern("A: received FIN in FIN-WAIT-1: simultaneous close")
                .containsPattern("B: received FIN in FIN-WAIT-1: simultaneous close")
                .containsPattern("end .* TIME-WAIT .* TIME-WAIT");
    }

    /** Goldens are drawn under --uid-seed 1 (a uid carries its key, so ladder needs no seed). */
    private static String uid(long record) {
        return Uids.uid(record, 1);
    }

    @Test
    void aUidPrintedByAnyRunIsDrawnUnderThatRunsKey() {
        String capture = Environment.samples().resolve("client-close.pcap").toString();
        for (String seed : List.of("1", "4294967295")) {
            String printed = run("connections", "--uid-seed", seed, "--format", "csv", capture).out().lines().skip(1)
                    .findFirst().orElseThrow().split(",")[1];
            Result ladder = run("ladder", capture, "--conn", printed);
            assertThat(ladder.code()).as(ladder.err()).isZero();
            assertThat(ladder.out()).startsWith("connection " + printed + ":");
        }
        // and a random key per run: two runs print different uids for the same record
        assertThat(run("connections", "--format", "csv", capture).out())
                .isNotEqualTo(run("connections", "--format", "csv", capture).out());
    }

    @Test
    void aTupleFindsTheConnectionAndBadChoicesAreUsageErrors() {
        String capture = Environment.samples().resolve("half-open.pcap").toString();
        assertThat(run("ladder", capture, "--uid-seed", "1", "--tuple", "10.200.0.2:8080-10.200.0.1:40000").out())
                .isEqualTo(run("ladder", capture, "--conn", uid(1)).out());
        Result none = run("ladder", capture, "--conn", uid(9));
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("--conn " + uid(9) + ": no such connection");
        Result notUid = run("ladder", capture, "--conn", "C1");
        assertThat(notUid.code()).as("the short uids of old are not uids").isEqualTo(ExitCodes.USAGE);
        assertThat(notUid.err()).contains("--conn C1: not a connection uid");
        Result badTuple = run("ladder", capture, "--tuple", "10.200.0.2-8080");
        assertThat(badTuple.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTuple.err()).contains("expected: A:P-B:Q");
        assertThat(run("ladder", capture).code()).as("--conn or --tuple is required").isEqualTo(ExitCodes.USAGE);
        assertThat(run("ladder", capture, "--tuple", "10.9.9.9:1-10.9.9.8:2").err()).contains("no connection between");
    }
}
