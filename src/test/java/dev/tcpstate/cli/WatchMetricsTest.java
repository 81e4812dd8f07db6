package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.NamespacePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch --metrics} for real: tcpstate watches a veth between two namespaces this test
 * creates, real kernel TCP goes through it (clean connections and a refused port), and a real
 * Prometheus server (Debian {@code prometheus}, started here with its own scrape config) scrapes
 * the endpoint. What Prometheus stored must equal the traffic and the report watch prints at the
 * end; {@code promtool check metrics} must accept the endpoint's output. Everything runs inside
 * the server's namespace (10.205.0.2), so nothing listens outside it. Needs root, libpcap,
 * iproute2, python3 and prometheus; skipped otherwise.
 */
@Timeout(150)
class WatchMetricsTest {
    private static final Path TOOLS = Path.of("samples/tools").toAbsolutePath();
    private static final int CLEAN = 6;
    private static final String METRICS = "127.0.0.1:19464";

    @TempDir
    Path dir;

    private NamespacePair pair;

    @BeforeEach
    void needsRootLibpcapAndPrometheus() throws Exception {
        Assumptions.assumeTrue(NamespacePair.available(), "needs root, libpcap, iproute2 and python3");
        Assumptions.assumeFalse(Environment.run("prometheus", "--version").isEmpty(),
                "prometheus is not installed (apt-get install prometheus)");
        pair = new NamespacePair("tcpst-wm", "10.205.0");
    }

    @AfterEach
    void teardown() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void prometheusScrapesWhatTheWireCarried() throws Exception {
        Path errors = dir.resolve("watch.err");
        Path events = dir.resolve("events.ndjson");
        Process watch = new ProcessBuilder("ip", "netns", "exec", pair.server,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "watch", "-i", pair.serverInterface,
                "-f", "tcp", "--format", "ndjson", "--metrics", METRICS)
                .redirectOutput(events.toFile()).redirectError(errors.toFile()).start();
        try {
            NamespacePair.waitFor(errors, "metrics on port 19464", 20);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: tcpstate
                        static_configs:
                          - targets: ['%s']
                    """.formatted(METRICS));
            pair.start(pair.server, dir.resolve("prometheus.log"), "prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:19090");

            pair.start(pair.server, dir.resolve("server.log"), "python3", TOOLS.resolve("server.py").toString(),
                    "--addr", pair.serverAddress, "--port", "8080", "--req", "100", "--resp", "1000", "--delay", "0");
            pair.waitUntilListening(8080, 20);
            client("--count", String.valueOf(CLEAN), "--interval", "0.05");
            client("--port", "8081", "--expect", "refused");

            // Zeek logs a closed connection 5 s after its close: wait until Prometheus has them all
            long complete = waitForQuery("sum(tcpstate_connections_total{outcome=\"complete\"})", CLEAN, 60);
            long refused = waitForQuery("sum(tcpstate_connections_total{outcome=\"refused\",conn_state=\"REJ\"})", 1, 30);
            assertThat(complete).isEqualTo(CLEAN);
            assertThat(refused).isEqualTo(1);
            assertThat(query("sum(tcpstate_connections_total{conn_state=\"SF\"})")).isEqualTo(CLEAN);
            assertThat(query("tcpstate_syn_total")).as("every connection began with a SYN").isEqualTo(CLEAN + 1);
            assertThat(query("tcpstate_findings_active{id=\"TS102\"}")).as("the refusal raised TS102").isEqualTo(1);
            assertThat(query("sum(tcpstate_dropped_total)")).isZero();

            // promtool accepts what the endpoint serves
            String exposition = pair.run(pair.server, "python3", "-c",
                    "import urllib.request; print(urllib.request.urlopen('http://" + METRICS
                            + "/metrics').read().decode(), end='')");
            assertThat(exposition).contains("# TYPE tcpstate_connections_total counter")
                    .contains("tcpstate_endpoints{state=\"time-wait\"}").contains("tcpstate_time_wait{host=\"10.205.0.1\"} 6.0");
            Path scraped = dir.resolve("scraped.txt");
            Files.writeString(scraped, exposition);
            Process promtool = new ProcessBuilder("sh", "-c", "promtool check metrics < " + scraped)
                    .redirectErrorStream(true).start();
            String lint = new String(promtool.getInputStream().readAllBytes());
            assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(promtool.exitValue()).as(lint).isZero();
        } finally {
            watch.destroy(); // SIGTERM: watch prints its report and exits 0
            assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(watch.exitValue()).as(Files.readString(errors)).isZero();

        // the final report counts the same connections Prometheus stored
        List<String> lines = Files.readAllLines(events);
        JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1)).path("report");
        assertThat(report.path("connections").path("total").asLong()).isEqualTo(CLEAN + 1);
        assertThat(report.path("connections").path("by_outcome").path("complete").asLong()).isEqualTo(CLEAN);
        assertThat(report.path("connections").path("by_outcome").path("refused").asLong()).isEqualTo(1);
    }

    private void client(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", pair.client, "python3",
                TOOLS.resolve("client.py").toString(), "--addr", pair.serverAddress, "--delay", "0", "--timeout", "10"));
        command.addAll(List.of(args));
        NamespacePair.sh(command.toArray(String[]::new));
    }

    /** Polls Prometheus until the query's value is {@code expected} (or time runs out); returns the last value. */
    private long waitForQuery(String promql, long expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long value = -1;
        while (System.nanoTime() < deadline) {
            value = query(promql);
            if (value == expected) {
                return value;
            }
            Thread.sleep(500);
        }
        return value;
    }

    /** The value of an instant PromQL query, from the Prometheus server in the namespace; -1 when empty. */
    private long query(String promql) throws Exception {
        String json = pair.run(pair.server, "python3", "-c",
                "import sys, urllib.parse, urllib.request; print(urllib.request.urlopen("
                        + "'http://127.0.0.1:19090/api/v1/query?query=' + urllib.parse.quote(sys.argv[1])).read().decode())",
                promql);
        if (json.isBlank()) {
            return -1;
        }
        JsonNode result = new ObjectMapper().readTree(json).path("data").path("result");
        return result.isEmpty() ? -1 : Math.round(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }
}
