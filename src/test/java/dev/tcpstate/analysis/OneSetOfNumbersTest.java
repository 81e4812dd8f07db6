package dev.tcpstate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.detect.Severity;
import dev.tcpstate.report.AnalyzeTextRenderer;
import dev.tcpstate.report.TimeFormat;
import dev.tcpstate.state.TcpState;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** watch's screen, metrics and report say one thing: the same counts wherever they show. */
class OneSetOfNumbersTest {
    private static LiveAnalyzer feed(String sample, long untilNanosAfterFirst) throws IOException {
        LiveAnalyzer live = new LiveAnalyzer(AnalysisConfig.defaults(), DetectorSettings.DEFAULTS, 60_000_000_000L,
                LiveAnalyzer.Listener.NONE);
        Frame frame = new Frame();
        long first = Long.MIN_VALUE;
        try (PacketSource source = CaptureFiles.open(Environment.samples().resolve(sample).toString())) {
            while (source.next(frame)) {
                first = first == Long.MIN_VALUE ? frame.timestampNanos() : first;
                if (frame.timestampNanos() - first > untilNanosAfterFirst) {
                    break;
                }
                live.frame(frame);
            }
        }
        return live;
    }

    @Test
    void theTimeWaitStateCountIsTheSumOverHostsAsSsCounted() throws IOException {
        LiveAnalyzer live = feed("time-wait-burst.pcap", Long.MAX_VALUE);
        // 10 s on: every record is logged, the TIME-WAITs (60 s) still run
        live.idle(live.lastPacketNanos() + 10_000_000_000L);
        LiveSnapshot snapshot = live.snapshot(live.lastPacketNanos() + 10_000_000_000L, LiveSnapshot.CaptureCounts.NONE);
        int byHosts = snapshot.timeWait().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(byHosts).isEqualTo(2000);
        assertThat(snapshot.endpointStates()).containsEntry(TcpState.TIME_WAIT, byHosts);
    }

    @Test
    void aRateIsOverTheTimeSoFarUntilTheWindowHasFilled() throws IOException {
        // syn-flood: 400 spoofed SYNs a second from its first packet; 3 s in, the 10 s window is not full
        LiveAnalyzer live = feed("syn-flood.pcap", 3_000_000_000L);
        LiveSnapshot snapshot = live.snapshot(live.lastPacketNanos(), LiveSnapshot.CaptureCounts.NONE);
        assertThat(snapshot.synRates()).isNotEmpty();
        assertThat(snapshot.synRates().get(0).perSecond()).as("not 3 s of SYNs over 10 s").isBetween(300.0, 480.0);
    }

    @Test
    void timeWaitAdviceFollowsTheSideThatHoldsThem() {
        Finding server = new Finding(FindingType.TIME_WAIT_BUILDUP, Severity.NOTE, "10.0.0.2", 1, 2,
                Map.of("closed_first_as_client", 0L, "closed_first_as_server", 150L), List.of(), List.of(), "m");
        Finding client = new Finding(FindingType.TIME_WAIT_BUILDUP, Severity.NOTE, "10.0.0.1", 1, 2,
                Map.of("closed_first_as_client", 150L, "closed_first_as_server", 0L), List.of(), List.of(), "m");
        assertThat(server.advice()).contains("as the server").contains("tcp_tw_reuse does not help here");
        assertThat(client.advice()).isEqualTo(FindingType.TIME_WAIT_BUILDUP.advice()).contains("tcp_tw_reuse");
    }

    @Test
    void theReportSaysWhereEveryConnectionOfAFindingCanBeSeen() throws IOException {
        Analysis analysis = new Analyzer(AnalysisConfig.defaults()).analyze(
                List.of(Environment.samples().resolve("syn-flood.pcap").toString()), DetectorSettings.DEFAULTS, 40);
        StringWriter text = new StringWriter();
        AnalyzeTextRenderer.render(analysis, 100, false, TimeFormat.UTC, "tcpstate connections flood.pcap shows them all",
                new PrintWriter(text));
        assertThat(text.toString()).contains("more (tcpstate connections flood.pcap shows them all)");
    }
}
