package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.PacketBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture that lost packets says so: a connection whose data the capture missed (the server
 * acknowledges 1,000 bytes the capture never showed) and three unanswered SYNs, which loss could
 * have made up. analyze reports TS501 and marks TS101; watch's engine does the same with frames
 * its capture dropped.
 */
class CaptureLossReportTest {
    @TempDir
    Path dir;

    private int millis;

    private Path lossyCapture() {
        CaptureWriter writer = CaptureWriter.pcap(1);
        // a connection: 1,000 bytes sent, of which the capture shows the first 100 only
        add(writer, true, TcpFlags.SYN, 100, 0, 0, 40_000);
        add(writer, false, TcpFlags.SYN | TcpFlags.ACK, 300, 101, 0, 40_000);
        add(writer, true, TcpFlags.ACK, 101, 301, 0, 40_000);
        add(writer, true, TcpFlags.PSH | TcpFlags.ACK, 101, 301, 100, 40_000);
        add(writer, false, TcpFlags.ACK, 301, 1101, 0, 40_000); // acknowledges 900 bytes never captured
        add(writer, true, TcpFlags.FIN | TcpFlags.ACK, 1101, 301, 0, 40_000);
        add(writer, false, TcpFlags.FIN | TcpFlags.ACK, 301, 1102, 0, 40_000);
        add(writer, true, TcpFlags.ACK, 1102, 302, 0, 40_000);
        for (int port = 40_001; port <= 40_003; port++) {
            add(writer, true, TcpFlags.SYN, 5000, 0, 0, port); // unanswered: or their SYN-ACKs were lost
        }
        return writer.writeTo(dir.resolve("lossy.pcap"));
    }

    private void add(CaptureWriter writer, boolean client, int flags, long seq, long ack, int length, int port) {
        byte[] frame = PacketBuilder.tcp().ipv4(client ? "10.0.0.1" : "10.0.0.2", client ? "10.0.0.2" : "10.0.0.1")
                .ports(client ? port : 80, client ? 80 : port).flags(flags).seq((int) seq).ack((int) ack)
                .window(65535).payload(new byte[length]).build().bytes();
        writer.record(1_800_000_000L, 1000L * ++millis, frame, frame.length);
    }

    @Test
    void analyzeReportsTheLossAndMarksWhatItCouldHaveMadeUp() throws Exception {
        var result = Cli.run("analyze", "--format", "json", "--min-failures", "1", lossyCapture().toString());
        assertThat(result.code()).as(result.err()).isZero();
        JsonNode findings = new ObjectMapper().readTree(result.out()).path("findings");
        JsonNode loss = null;
        JsonNode unanswered = null;
        for (JsonNode finding : findings) {
            if (finding.path("id").asText().equals("TS501")) {
                loss = finding;
            } else if (finding.path("id").asText().equals("TS101")) {
                unanswered = finding;
            }
        }
        assertThat(loss).as(result.out()).isNotNull();
        assertThat(loss.path("counts").path("missed_bytes").asLong()).isEqualTo(900);
        assertThat(loss.path("counts").path("payload_bytes").asLong()).isEqualTo(1000);
        assertThat(loss.path("counts").path("capture_loss_percent").asDouble()).isEqualTo(90.0);
        assertThat(unanswered).as(result.out()).isNotNull();
        assertThat(unanswered.path("counts").path("capture_loss_percent").asDouble()).isEqualTo(90.0);
        assertThat(unanswered.path("message").asText()).contains("some of these may be lost packets");

        var text = Cli.run("analyze", "--min-failures", "1", lossyCapture().toString());
        assertThat(text.out()).contains("TS501").contains("capture-loss");
    }

    @Test
    void framesWatchsCaptureDroppedAreReportedToo() throws Exception {
        LiveAnalyzer live = new LiveAnalyzer(AnalysisConfig.defaults(), DetectorSettings.DEFAULTS, 60_000_000_000L,
                LiveAnalyzer.Listener.NONE);
        Frame frame = new Frame();
        try (PacketSource source = CaptureFiles.open(dev.tcpstate.testing.Environment.samples()
                .resolve("client-close.pcap").toString())) {
            while (source.next(frame)) {
                live.frame(frame);
            }
        }
        var counts = new LiveSnapshot.CaptureCounts(20, 7, 0, 3);
        assertThat(live.snapshot(live.lastPacketNanos(), counts).findings())
                .as("the dashboard and the metrics see it at once")
                .anySatisfy(f -> assertThat(f.type()).isEqualTo(FindingType.CAPTURE_LOSS));
        var report = live.finish(10, counts);
        assertThat(report.findings()).anySatisfy(f -> {
            assertThat(f.type()).isEqualTo(FindingType.CAPTURE_LOSS);
            assertThat(f.counts()).containsEntry("dropped_frames", 10L).containsEntry("received_frames", 20L);
        });
    }
}
