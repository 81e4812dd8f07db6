package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Loss is never silent, on a real link: watch's hand-off queue is made tiny ({@code --queue 2}) so
 * that a burst of real kernel connections overflows it. The frames it dropped must be counted,
 * raise TS501 in the report, and mark the findings a lost packet can make up. Needs root, libpcap,
 * iproute2 and python3; skipped otherwise.
 */
@Timeout(120)
class WatchLossTest {
    private static final Path TOOLS = Path.of("samples/tools").toAbsolutePath();

    @TempDir
    Path dir;

    private NamespacePair pair;

    @BeforeEach
    void link() throws Exception {
        Assumptions.assumeTrue(NamespacePair.available(), "needs root, libpcap, iproute2 and python3");
        pair = new NamespacePair("tcpst-wl", "10.208.0");
    }

    @AfterEach
    void teardown() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void aQueueThatOverflowsIsReportedAndItsFindingsMarked() throws Exception {
        Path errors = dir.resolve("watch.err");
        Path events = dir.resolve("events.ndjson");
        Process watch = new ProcessBuilder("ip", "netns", "exec", pair.server,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "watch", "-i", pair.serverInterface,
                "-f", "tcp", "--format", "ndjson", "--queue", "2")
                .redirectOutput(events.toFile()).redirectError(errors.toFile()).start();
        try {
            NamespacePair.waitFor(errors, "watching " + pair.serverInterface, 20);
            pair.start(pair.server, dir.resolve("server.log"), "python3", TOOLS.resolve("server.py").toString(),
                    "--addr", pair.serverAddress, "--port", "8080", "--req", "10", "--resp", "10", "--delay", "0");
            pair.waitUntilListening(8080, 20);
            // a burst of short connections, as fast as the kernels go: far more than two frames at once
            NamespacePair.sh("ip", "netns", "exec", pair.client, "python3", TOOLS.resolve("client.py").toString(),
                    "--addr", pair.serverAddress, "--req", "10", "--resp", "10", "--delay", "0", "--count", "300");
            Thread.sleep(1500);
        } finally {
            watch.destroy();
            assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String err = Files.readString(errors);
        assertThat(watch.exitValue()).as(err).isZero();
        long queueDrops = Long.parseLong(err.replaceAll("(?s).*, ([0-9,]+) by tcpstate's queue.*", "$1").replace(",", ""));
        assertThat(queueDrops).as(err).isPositive();

        List<String> lines = Files.readAllLines(events);
        JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1)).path("report");
        JsonNode loss = null;
        for (JsonNode finding : report.path("findings")) {
            if (finding.path("id").asText().equals("TS501")) {
                loss = finding;
            }
        }
        assertThat(loss).as(report.toString()).isNotNull();
        assertThat(loss.path("counts").path("dropped_frames").asLong()).isEqualTo(queueDrops);
        for (JsonNode finding : report.path("findings")) {
            if (List.of("TS101", "TS103", "TS201", "TS202").contains(finding.path("id").asText())) {
                assertThat(finding.path("counts").path("capture_dropped_frames").asLong()).isEqualTo(queueDrops);
                assertThat(finding.path("message").asText()).contains("may be lost packets");
            }
        }
        // the event stream raised it while watching too
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"event\":\"finding_raised\"").contains("TS501"));
        // since when: the stats events say when drops were first seen, and the report's loss begins there
        java.math.BigDecimal since = null;
        for (String line : lines) {
            JsonNode event = new ObjectMapper().readTree(line);
            if (event.path("event").asText().equals("stats") && event.has("dropped_since")) {
                since = since == null ? event.path("dropped_since").decimalValue() : since;
                assertThat(event.path("dropped_since").decimalValue()).as("it does not move").isEqualByComparingTo(since);
            }
        }
        assertThat(since).as("a stats event says since when").isNotNull();
        if (loss.path("counts").path("capture_loss_percent").asDouble() < dev.tcpstate.detect.CaptureLoss.MIN_PERCENT) {
            assertThat(loss.path("start").decimalValue()).as(loss.toString()).isEqualByComparingTo(since);
        } else {
            // dropped data frames also left acknowledged bytes uncaptured: that loss may predate the
            // first drop, so it is claimed from the capture's start
            assertThat(loss.path("start").decimalValue()).as(loss.toString())
                    .isEqualByComparingTo(report.path("timeline").path("start").decimalValue())
                    .isLessThanOrEqualTo(since);
        }
    }
}
