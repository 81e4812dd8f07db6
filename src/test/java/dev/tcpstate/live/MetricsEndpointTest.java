package dev.tcpstate.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The metrics endpoint serves watch's numbers: a sample fed frame by frame through watch's engine,
 * every record logged, and the scrape's counters equal what {@code analyze} counts on the same
 * file (by conn_state and by outcome), with bounded labels.
 */
class MetricsEndpointTest {
    private static final Pattern CONNECTIONS = Pattern.compile(
            "tcpstate_connections_total\\{conn_state=\"(\\w+)\",outcome=\"([\\w-]+)\"} ([0-9.]+)");

    @ParameterizedTest
    @ValueSource(strings = {"syn-flood.pcap", "time-wait-burst.pcap", "challenge-ack.pcap", "refused.pcap"})
    void aScrapeCountsWhatAnalyzeCounts(String sample) throws Exception {
        String path = Environment.samples().resolve(sample).toString();
        AnalysisConfig config = AnalysisConfig.defaults();
        Analysis analyzed = new Analyzer(config).analyze(List.of(path), DetectorSettings.DEFAULTS, 40);
        LiveAnalyzer live = new LiveAnalyzer(config, DetectorSettings.DEFAULTS, 60_000_000_000L,
                LiveAnalyzer.Listener.NONE);
        feed(live, path);
        live.idle(live.lastPacketNanos() + 3_600_000_000_000L); // an hour later: every record is logged
        LiveSnapshot snapshot = live.snapshot(live.lastPacketNanos(), LiveSnapshot.CaptureCounts.NONE);

        String body;
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(InetAddress.getLoopbackAddress(), 0)) {
            endpoint.publish(snapshot);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            body = response.body();
        }
        Map<String, Long> byState = new HashMap<>();
        Map<String, Long> byOutcome = new HashMap<>();
        Matcher m = CONNECTIONS.matcher(body);
        while (m.find()) {
            long value = (long) Double.parseDouble(m.group(3));
            byState.merge(m.group(1), value, Long::sum);
            byOutcome.merge(m.group(2), value, Long::sum);
        }
        assertThat(byState).isEqualTo(longs(analyzed.connections().byConnState()));
        assertThat(byOutcome).isEqualTo(longs(analyzed.connections().byOutcome()));
        assertThat(body).contains("tcpstate_packets_total " + (double) analyzed.summary().frames());
        assertThat(body.lines().filter(l -> l.startsWith("tcpstate_time_wait{")))
                .as("at most 10 hosts and other").hasSizeLessThanOrEqualTo(MetricsEndpoint.TIME_WAIT_HOSTS + 1);
    }

    private static Map<String, Long> longs(Map<String, ? extends Number> counts) {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> {
            if (v.longValue() > 0) {
                out.put(k, v.longValue());
            }
        });
        return out;
    }

    private static void feed(LiveAnalyzer live, String path) throws IOException {
        Frame frame = new Frame();
        try (PacketSource source = CaptureFiles.open(path)) {
            while (source.next(frame)) {
                live.frame(frame);
            }
            live.sourceFinished(source);
        }
    }
}
