package dev.tcpstate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.ZeekRules;
import dev.tcpstate.testing.PacketBuilder;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A watch that runs on counts every connection for its final report and keeps none. */
class LiveAnalyzerBoundTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theReportCountsEveryConnectionOfALongWatchWithoutKeepingThem() {
        int cap = 100;
        AnalysisConfig config = new AnalysisConfig(ChecksumMode.IGNORE, 30 * SECOND,
                AnalysisConfig.ZEEK_BASE_SERVER_PORTS, ZeekRules.Timeouts.ZEEK_DEFAULTS, cap);
        LiveAnalyzer live = new LiveAnalyzer(config, DetectorSettings.DEFAULTS, 60 * SECOND, LiveAnalyzer.Listener.NONE);
        int connections = 2_000;
        closeCleanly(live, connections);
        Analysis report = live.finish(10);
        assertThat(report.records()).as("records went through the report's sinks, none kept").isEmpty();
        assertThat(report.connections().total()).as("twenty times the cap, every one counted").isEqualTo(connections);
        assertThat(report.connections().byOutcome()).containsExactly(java.util.Map.entry("complete", (long) connections));
        assertThat(report.detection().timeWaitPeaks()).as("the client's TIME-WAITs, 60 s each, 100 a second")
                .containsEntry("10.0.0.1", 2_000);
    }

    @Test
    void theScreensTimeWaitCountsEveryEndpointHoweverFewRecordsTheWindowKeeps() {
        int cap = 100; // the window keeps 4 x 100 records
        AnalysisConfig config = new AnalysisConfig(ChecksumMode.IGNORE, 30 * SECOND,
                AnalysisConfig.ZEEK_BASE_SERVER_PORTS, ZeekRules.Timeouts.ZEEK_DEFAULTS, cap);
        LiveAnalyzer live = new LiveAnalyzer(config, DetectorSettings.DEFAULTS, 300 * SECOND, LiveAnalyzer.Listener.NONE);
        long last = closeCleanly(live, 2_000);
        // 20 s of closes, each client endpoint in TIME-WAIT for 60 s: all 2,000 at once
        LiveSnapshot now = live.snapshot(last + SECOND, LiveSnapshot.CaptureCounts.NONE);
        assertThat(now.timeWait()).containsExactly(java.util.Map.entry("10.0.0.1", 2_000));
        assertThat(now.endpointStates()).containsEntry(dev.tcpstate.state.TcpState.TIME_WAIT, 2_000);
        LiveSnapshot later = live.snapshot(last + 70 * SECOND, LiveSnapshot.CaptureCounts.NONE);
        assertThat(later.timeWait()).as("2 x MSL after the last close: none left").isEmpty();
    }

    /**
     * {@code connections} handshakes and closes from 10.0.0.1 to 10.0.0.2:80, 100 a second from
     * 1 s on, the client closing first (so its endpoint goes to TIME-WAIT); returns the last packet's time.
     */
    private static long closeCleanly(LiveAnalyzer live, int connections) {
        long last = 0;
        for (int i = 0; i < connections; i++) {
            long t = SECOND + i * (SECOND / 100);
            int port = 10_000 + i;
            int isn = 1000 * i;
            feed(live, t, true, port, TcpFlags.SYN, isn, 0);
            feed(live, t + 1000, false, port, TcpFlags.SYN | TcpFlags.ACK, 7, isn + 1);
            feed(live, t + 2000, true, port, TcpFlags.ACK, isn + 1, 8);
            feed(live, t + 3000, true, port, TcpFlags.FIN | TcpFlags.ACK, isn + 1, 8);
            feed(live, t + 4000, false, port, TcpFlags.FIN | TcpFlags.ACK, 8, isn + 2);
            feed(live, t + 5000, true, port, TcpFlags.ACK, isn + 2, 9);
            last = t + 5000;
        }
        return last;
    }

    private static void feed(LiveAnalyzer live, long time, boolean fromClient, int clientPort, int flags, int seq,
            int ack) {
        byte[] bytes = PacketBuilder.tcp().ipv4(fromClient ? "10.0.0.1" : "10.0.0.2", fromClient ? "10.0.0.2" : "10.0.0.1")
                .ports(fromClient ? clientPort : 80, fromClient ? 80 : clientPort).flags(flags).seq(seq).ack(ack)
                .window(65535).build().bytes();
        live.frame(new Frame().wrap(ByteBuffer.wrap(bytes), 0, bytes.length, bytes.length, time, 1));
    }
}
