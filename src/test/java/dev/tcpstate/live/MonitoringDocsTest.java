package dev.tcpstate.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.testing.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/monitoring: the example alert rules load in Prometheus (promtool), and they and the Grafana
 * dashboard only query metrics the endpoint serves.
 */
class MonitoringDocsTest {
    private static final Path RULES = Path.of("docs/monitoring/tcpstate-alerts.yml");
    private static final Path DASHBOARD = Path.of("docs/monitoring/grafana-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\btcpstate_[a-z_]+");
    private static final List<String> SERVED = List.of("tcpstate_connections_total", "tcpstate_syn_total",
            "tcpstate_endpoints", "tcpstate_open_connections", "tcpstate_half_open", "tcpstate_time_wait",
            "tcpstate_findings_active", "tcpstate_packets_total", "tcpstate_capture_received_total",
            "tcpstate_dropped_total");

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        assumeFalse(Environment.run("promtool", "--version").isEmpty(), "promtool is not installed (apt-get install prometheus)");
        String out = Environment.run("promtool", "check", "rules", RULES.toString());
        assertThat(out).as("promtool check rules failed or printed nothing").contains("SUCCESS: 4 rules found");
    }

    @Test
    void rulesAndDashboardQueryOnlyServedMetrics() throws Exception {
        List<String> used = new ArrayList<>(metrics(Files.readString(RULES)));
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                used.addAll(metrics(target.path("expr").asText()));
            }
        }
        assertThat(used).isNotEmpty().allSatisfy(metric -> assertThat(SERVED).contains(metric));
        assertThat(used).contains("tcpstate_connections_total", "tcpstate_syn_total", "tcpstate_endpoints",
                "tcpstate_half_open", "tcpstate_time_wait", "tcpstate_findings_active", "tcpstate_dropped_total");
    }

    /** The served names are those of the endpoint: a scrape of an empty watch lists each once. */
    @Test
    void theEndpointServesEveryListedMetric() throws Exception {
        dev.tcpstate.analysis.LiveAnalyzer live = new dev.tcpstate.analysis.LiveAnalyzer(
                dev.tcpstate.analysis.AnalysisConfig.defaults(), dev.tcpstate.detect.DetectorSettings.DEFAULTS,
                60_000_000_000L, dev.tcpstate.analysis.LiveAnalyzer.Listener.NONE);
        MetricsEndpoint endpoint = MetricsEndpoint.start(java.net.InetAddress.getLoopbackAddress(), 0);
        try (endpoint) {
            endpoint.publish(live.snapshot(0, dev.tcpstate.analysis.LiveSnapshot.CaptureCounts.NONE));
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String metric : SERVED) {
                if (!metric.equals("tcpstate_connections_total")) { // no series until a record is logged
                    assertThat(body).as(metric).containsPattern("(?m)^" + metric + "[{ ]");
                }
            }
        }
    }

    private static List<String> metrics(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
