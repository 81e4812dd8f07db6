package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.NamespacePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch -i A -i B}: two interfaces, one engine. The server's namespace has two veths, one to
 * each of two client namespaces (10.206.0.0/24 and 10.207.0.0/24, created here); real kernel TCP
 * runs over both, and the one report counts the connections of both. Needs root, libpcap,
 * iproute2 and python3; skipped otherwise.
 */
@Timeout(120)
class WatchInterfacesTest {
    private static final Path TOOLS = Path.of("samples/tools").toAbsolutePath();
    private static final String SECOND_CLIENT = "tcpst-wi2-c";

    @TempDir
    Path dir;

    private NamespacePair pair;

    @BeforeEach
    void twoLinks() throws Exception {
        Assumptions.assumeTrue(NamespacePair.available(), "needs root, libpcap, iproute2 and python3");
        Environment.run("ip", "netns", "del", SECOND_CLIENT);
        pair = new NamespacePair("tcpst-wi", "10.206.0");
        NamespacePair.sh("ip", "netns", "add", SECOND_CLIENT);
        NamespacePair.sh("ip", "link", "add", "vwi2c", "netns", SECOND_CLIENT, "type", "veth", "peer", "name", "vwi2s",
                "netns", pair.server);
        NamespacePair.sh("ip", "netns", "exec", SECOND_CLIENT, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        NamespacePair.sh("ip", "-n", SECOND_CLIENT, "addr", "add", "10.207.0.1/24", "dev", "vwi2c");
        NamespacePair.sh("ip", "-n", pair.server, "addr", "add", "10.207.0.2/24", "dev", "vwi2s");
        for (String[] link : new String[][] {{SECOND_CLIENT, "vwi2c"}, {pair.server, "vwi2s"}}) {
            NamespacePair.sh("ip", "-n", link[0], "link", "set", link[1], "up");
        }
    }

    @AfterEach
    void teardown() throws Exception {
        if (pair != null) {
            pair.close();
        }
        Environment.run("ip", "netns", "pids", SECOND_CLIENT).lines().forEach(pid -> Environment.run("kill", "-9", pid));
        Environment.run("ip", "netns", "del", SECOND_CLIENT);
    }

    @Test
    void oneReportCountsTheConnectionsOfBothInterfaces() throws Exception {
        Path errors = dir.resolve("watch.err");
        Path events = dir.resolve("events.ndjson");
        Process watch = new ProcessBuilder("ip", "netns", "exec", pair.server,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "watch", "-i", pair.serverInterface,
                "-i", "vwi2s", "-f", "tcp", "--format", "ndjson")
                .redirectOutput(events.toFile()).redirectError(errors.toFile()).start();
        try {
            NamespacePair.waitFor(errors, "watching " + pair.serverInterface + "+vwi2s", 20);
            pair.start(pair.server, dir.resolve("server.log"), "python3", TOOLS.resolve("server.py").toString(),
                    "--addr", "0.0.0.0", "--port", "8080", "--req", "100", "--resp", "1000", "--delay", "0");
            pair.waitUntilListening(8080, 20);
            client(pair.client, "10.206.0.2", 3);
            client(SECOND_CLIENT, "10.207.0.2", 2);
            Thread.sleep(1500);
        } finally {
            watch.destroy();
            assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(watch.exitValue()).as(Files.readString(errors)).isZero();
        List<String> lines = Files.readAllLines(events);
        JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1)).path("report");
        assertThat(report.path("connections").path("total").asLong()).isEqualTo(5);
        assertThat(report.path("connections").path("by_outcome").path("complete").asLong()).isEqualTo(5);
        List<String> clients = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = new ObjectMapper().readTree(line);
            if (event.path("event").asText().equals("connection_opened")) {
                clients.add(event.path("id.orig_h").asText());
            }
        }
        assertThat(clients).containsExactlyInAnyOrder("10.206.0.1", "10.206.0.1", "10.206.0.1", "10.207.0.1",
                "10.207.0.1");
    }

    private void client(String namespace, String server, int count) throws Exception {
        NamespacePair.sh("ip", "netns", "exec", namespace, "python3", TOOLS.resolve("client.py").toString(), "--addr",
                server, "--delay", "0", "--timeout", "10", "--count", String.valueOf(count));
    }
}
