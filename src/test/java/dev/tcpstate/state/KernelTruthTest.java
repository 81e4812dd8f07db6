package dev.tcpstate.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The machine against the kernels' own view: each single-connection sample was recorded with
 * {@code ss -tanH} in both namespaces at the end (samples/NAME.ss.txt). The states the machine
 * infers for the client (originator) and server (responder) must be the states ss counted, a
 * socket ss no longer lists being CLOSED.
 */
class KernelTruthTest {
    private static final long TIME_WAIT = 60_000_000_000L;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"client-close", "server-close", "refused", "server-abort", "half-open",
        "ipv6-client-close", "client-close-sll2", "client-close-ns", "client-close-pcapng", "rst-not-accepted", "last-ack-dropped", "time-wait-rst", "keepalive-silent",
        "simultaneous-close"})
    void endStatesMatchWhatTheKernelsReported(String scenario) throws IOException {
        Path capture = Environment.samples().resolve(scenario.equals("client-close-pcapng") ? "client-close.pcapng"
                : scenario + ".pcap");
        ConnectionMachine machine = replay(capture);

        Map<String, TcpState> truth = kernelStates(Environment.samples().resolve(scenario + ".ss.txt"));
        assertThat(machine.state(Side.ORIGINATOR)).as("client").isEqualTo(truth.get("client"));
        assertThat(machine.state(Side.RESPONDER)).as("server").isEqualTo(truth.get("server"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"firewalled-syn"})
    void anUnansweredSynStaysSynSentWithItsRetriesCounted(String scenario) throws IOException {
        // The client's kernel gave up after its retries (ss shows nothing); a capture cannot show
        // a give-up, so the machine keeps SYN-SENT and counts the retries (tcp_syn_retries=3).
        ConnectionMachine machine = replay(Environment.samples().resolve(scenario + ".pcap"));
        assertThat(machine.state(Side.ORIGINATOR)).isEqualTo(TcpState.SYN_SENT);
        assertThat(machine.synRetransmits(Side.ORIGINATOR)).isEqualTo(3);
        assertThat(machine.state(Side.RESPONDER)).isEqualTo(TcpState.CLOSED);
    }

    /**
     * The whole engine against the kernels, on every sample recorded between namespaces: the
     * socket states at the end of the capture, counted per host over Zeek's records, equal what
     * ss counted on that host (LISTEN aside, which no packet shows). A record whose endpoints went
     * on in a later record ({@code continued}) is not counted: the later record has those sockets.
     * This covers the scenarios Zeek splits into several records (simultaneous open, challenge
     * ACK, reuse in TIME-WAIT) and the busy ones (2,000 TIME-WAITs, a SYN flood's SYN-RECVs).
     * Left out: firewalled-syn, whose client gave up on its SYN (no packet shows a give-up), and
     * syn-flood's server, whose SYN-RECV count is bounded by its backlog, not by the wire.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"client-close", "server-close", "refused", "server-abort", "half-open",
        "ipv6-client-close", "client-close-sll2", "client-close-ns", "rst-not-accepted", "last-ack-dropped",
        "time-wait-rst", "keepalive-silent", "time-wait-reuse", "time-wait-reuse-client", "time-wait-burst",
        "simultaneous-open", "simultaneous-close", "challenge-ack", "syn-flood"})
    void socketStatesPerHostMatchWhatTheKernelsCounted(String scenario) throws IOException {
        List<dev.tcpstate.flow.ConnectionRecord> records = new ArrayList<>();
        long[] last = {0};
        dev.tcpstate.flow.ConnectionTracker tracker = new dev.tcpstate.flow.ConnectionTracker(
                dev.tcpstate.analysis.AnalysisConfig.ZEEK_BASE_SERVER_PORTS, TIME_WAIT,
                dev.tcpstate.flow.ZeekRules.Timeouts.ZEEK_DEFAULTS, (record, at) -> records.add(record));
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        try (PacketSource source = CaptureFiles.open(Environment.samples().resolve(scenario + ".pcap").toString())) {
            while (source.next(frame)) {
                last[0] = frame.timestampNanos();
                if (decoder.decode(frame, segment) == DecodeResult.TCP) {
                    tracker.packet(segment, false);
                }
            }
        }
        tracker.finish(last[0]);

        Map<String, Integer> ours = new TreeMap<>();
        for (dev.tcpstate.flow.ConnectionRecord record : records) {
            if (record.outcome() == Outcome.CONTINUED) {
                continue;
            }
            count(ours, role(record.originatorAddress()), record.originatorState());
            count(ours, role(record.responderAddress()), record.responderState());
        }
        Map<String, Integer> kernel = new TreeMap<>();
        for (String line : Files.readAllLines(Environment.samples().resolve(scenario + ".ss.txt"))) {
            String[] fields = line.trim().split("\\s+");
            if (line.startsWith("#") || line.isBlank() || fields[1].equals("LISTEN")) {
                continue;
            }
            kernel.merge(fields[0] + " " + fromSs(fields[1]).label(), Integer.parseInt(fields[2]), Integer::sum);
        }
        if (scenario.equals("syn-flood")) {
            ours.keySet().removeIf(key -> key.startsWith("server ") || key.startsWith("spoofed "));
            kernel.keySet().removeIf(key -> key.startsWith("server "));
        }
        assertThat(ours).as("socket states per host at the end (ours = kernel's)").isEqualTo(kernel);
    }

    private static String role(String address) {
        return switch (address) {
            case "10.200.0.1", "fd00:200::1" -> "client";
            case "10.200.0.2", "fd00:200::2" -> "server";
            default -> address.startsWith("10.201.") ? "spoofed" : address;
        };
    }

    private static void count(Map<String, Integer> counts, String role, TcpState state) {
        if (state != TcpState.CLOSED && state != TcpState.LISTEN) {
            counts.merge(role + " " + state.label(), 1, Integer::sum);
        }
    }

    /** Replays the one TCP conversation of a sample; the sender of the first SYN is the originator. */
    private static ConnectionMachine replay(Path capture) throws IOException {
        ConnectionMachine machine = new ConnectionMachine(TIME_WAIT, false);
        FrameDecoder decoder = new FrameDecoder(ChecksumMode.IGNORE);
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        int originatorPort = -1;
        long last = 0;
        try (PacketSource source = CaptureFiles.open(capture.toString())) {
            while (source.next(frame)) {
                last = frame.timestampNanos();
                if (decoder.decode(frame, segment) != DecodeResult.TCP) {
                    continue;
                }
                if (originatorPort < 0) {
                    assertThat(segment.flags() & (TcpFlags.SYN | TcpFlags.ACK)).as("first segment is a SYN")
                            .isEqualTo(TcpFlags.SYN);
                    originatorPort = segment.sourcePort();
                }
                machine.segment(segment.sourcePort() == originatorPort ? Side.ORIGINATOR : Side.RESPONDER, segment);
            }
        }
        machine.finish(last);
        return machine;
    }

    /** Per role, the one non-LISTEN socket state ss listed, or CLOSED when it listed none. */
    private static Map<String, TcpState> kernelStates(Path ss) throws IOException {
        Map<String, TcpState> states = new TreeMap<>(Map.of("client", TcpState.CLOSED, "server", TcpState.CLOSED));
        List<String> seen = new ArrayList<>();
        for (String line : Files.readAllLines(ss)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (fields[1].equals("LISTEN")) {
                continue;
            }
            assertThat(fields[2]).as("one connection per role in %s", ss).isEqualTo("1");
            states.put(fields[0], fromSs(fields[1]));
            seen.add(line);
        }
        return states;
    }

    private static TcpState fromSs(String name) {
        return switch (name) {
            case "ESTAB" -> TcpState.ESTABLISHED;
            case "SYN-RECV" -> TcpState.SYN_RECEIVED;
            default -> TcpState.valueOf(name.replace('-', '_'));
        };
    }
}
