package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.NamespacePair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcpstate watch} for real: two network namespaces joined by a veth pair, tcpstate
 * capturing on the server's end with {@code --format ndjson}, and real kernel TCP between them
 * (samples/tools): clean connections, a refused port, a burst of short connections and a small
 * burst of spoofed SYNs. SIGTERM ends the watch once the traffic is done (not a fixed
 * {@code --duration}, which a busy machine's slow traffic could outlast). The events and the final report must match what the
 * kernels' {@code ss} shows. Needs root, libpcap, iproute2 and python3; skipped otherwise.
 * Addresses stay inside the namespaces: 10.203.0.1 (client), 10.203.0.2 (server), spoofed
 * sources in 10.204.0.0/16.
 */
@Timeout(120)
class WatchLiveTest {
    private static final String CLIENT = "tcpst-wtc";
    private static final String SERVER = "tcpst-wts";
    private static final Path TOOLS = Path.of("samples/tools").toAbsolutePath();
    private static final int CLEAN = 5;
    private static final int BURST = 30;
    private static final int SPOOFED = 40;

    @TempDir
    Path dir;

    private final List<Process> background = new ArrayList<>();

    @BeforeEach
    void needsRootLibpcapAndTools() throws Exception {
        Assumptions.assumeTrue(Environment.isRoot(), "network namespaces and capture need root");
        Assumptions.assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed (apt-get install libpcap0.8)");
        Assumptions.assumeFalse(Environment.run("ip", "-V").isEmpty(), "iproute2 is not installed");
        Assumptions.assumeFalse(Environment.run("python3", "--version").isEmpty(), "python3 is not installed");
        teardown();
        NamespacePair.sh("ip", "netns", "add", CLIENT);
        NamespacePair.sh("ip", "netns", "add", SERVER);
        NamespacePair.sh("ip", "link", "add", "veth-wc", "netns", CLIENT, "type", "veth", "peer", "name", "veth-ws", "netns", SERVER);
        for (String[] ns : new String[][] {{CLIENT, "veth-wc", "10.203.0.1/24"}, {SERVER, "veth-ws", "10.203.0.2/24"}}) {
            NamespacePair.sh("ip", "netns", "exec", ns[0], "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            NamespacePair.sh("ip", "-n", ns[0], "addr", "add", ns[2], "dev", ns[1]);
            NamespacePair.sh("ip", "-n", ns[0], "link", "set", ns[1], "up");
            NamespacePair.sh("ip", "-n", ns[0], "link", "set", "lo", "up");
        }
        // the server answers spoofed SYNs towards the client's side, where they die
        NamespacePair.sh("ip", "-n", SERVER, "route", "add", "10.204.0.0/16", "via", "10.203.0.1");
        NamespacePair.sh("ip", "netns", "exec", CLIENT, "sysctl", "-qw", "net.ipv4.ip_forward=0");
    }

    @AfterEach
    void teardown() throws Exception {
        for (Process process : background) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        background.clear();
        Environment.run("ip", "netns", "pids", CLIENT).lines().forEach(pid -> Environment.run("kill", "-9", pid));
        Environment.run("ip", "netns", "pids", SERVER).lines().forEach(pid -> Environment.run("kill", "-9", pid));
        Environment.run("ip", "netns", "del", CLIENT);
        Environment.run("ip", "netns", "del", SERVER);
    }

    @Test
    void watchSeesWhatTheKernelsDid() throws Exception {
        Path events = dir.resolve("events.ndjson");
        Path errors = dir.resolve("watch.err");
        Path written = dir.resolve("written.pcap");
        List<String> watch = new ArrayList<>(List.of("ip", "netns", "exec", SERVER,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "watch", "-i", "veth-ws", "-f", "tcp",
                "--format", "ndjson", "--write", written.toString()));
        Process tcpstate = new ProcessBuilder(watch).redirectOutput(events.toFile()).redirectError(errors.toFile()).start();
        background.add(tcpstate);
        NamespacePair.waitFor(errors, "tcpstate: watching veth-ws", 20);
        long watching = System.nanoTime();

        background.add(new ProcessBuilder("ip", "netns", "exec", SERVER, "python3", TOOLS.resolve("server.py").toString(),
                "--addr", "10.203.0.2", "--port", "8080", "--req", "100", "--resp", "1000", "--delay", "0").start());
        waitUntilListening(8080, 20);
        client("--count", String.valueOf(CLEAN), "--interval", "0.05");
        client("--port", "8081", "--expect", "refused");
        client("--count", String.valueOf(BURST));
        NamespacePair.sh("ip", "netns", "exec", CLIENT, "python3", TOOLS.resolve("synflood.py").toString(), "--dst", "10.203.0.2",
                "--dport", "8080", "--src-net", "10.204.0.0/16", "--count", String.valueOf(SPOOFED), "--rate", "200",
                "--seed", "3");
        Thread.sleep(1500);
        // the kernels' view, while tcpstate is still watching (TIME-WAIT lasts 60 s, SYN-RECV ~60 s)
        Map<String, Integer> clientSockets = ss(CLIENT);
        Map<String, Integer> serverSockets = ss(SERVER);

        // at least 11 s of watching, for ten stats events; then SIGTERM, which ends watch like Ctrl-C
        Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(11) - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - watching)));
        tcpstate.destroy();
        assertThat(tcpstate.waitFor(60, TimeUnit.SECONDS)).as("watch ends on SIGTERM").isTrue();
        assertThat(tcpstate.exitValue()).as(Files.readString(errors)).isZero();

        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
            lines.add(mapper.readTree(line));
        }
        Map<String, Integer> byEvent = new HashMap<>();
        lines.forEach(e -> byEvent.merge(e.path("event").asText(), 1, Integer::sum));
        int total = CLEAN + 1 + BURST + SPOOFED;
        assertThat(byEvent.get("connection_opened")).isEqualTo(total);
        assertThat(byEvent.get("connection_logged")).as("every record, the open ones at the end").isEqualTo(total);
        assertThat(byEvent.get("stats")).isGreaterThanOrEqualTo(10);
        assertThat(lines.get(lines.size() - 1).path("event").asText()).isEqualTo("report");

        Map<String, Integer> closedOutcomes = new HashMap<>();
        lines.stream().filter(e -> e.path("event").asText().equals("connection_closed"))
                .forEach(e -> closedOutcomes.merge(e.path("connection").path("outcome").asText(), 1, Integer::sum));
        assertThat(closedOutcomes).containsEntry("complete", CLEAN + BURST).containsEntry("refused", 1);
        assertThat(lines.stream().filter(e -> e.path("event").asText().equals("finding_raised"))
                .map(e -> e.path("finding").path("id").asText() + " " + e.path("finding").path("subject").asText()))
                .contains("TS102 10.203.0.2:8081", "TS103 10.203.0.2:8080");

        // the final report against the kernels: TIME-WAIT on the client, SYN-RECV on the server
        JsonNode report = lines.get(lines.size() - 1).path("report");
        // (the client originates every connection: its TIME-WAITs are its host's)
        int clientTimeWait = report.path("connections").path("time_wait_at_end_by_host").path("10.203.0.1").asInt();
        int serverSynRecv = report.path("connections").path("end_states").path("responder").path("syn-received")
                .asInt();
        assertThat(clientTimeWait).as("client TIME-WAIT").isEqualTo(clientSockets.getOrDefault("TIME-WAIT", 0))
                .isEqualTo(CLEAN + BURST);
        assertThat(serverSynRecv).as("server SYN-RECV").isEqualTo(serverSockets.getOrDefault("SYN-RECV", 0))
                .isEqualTo(SPOOFED);
        assertThat(report.path("connections").path("total").asInt()).isEqualTo(total);

        // --write left a valid capture of the same traffic
        java.io.StringWriter stats = new java.io.StringWriter();
        assertThat(Main.run(new java.io.PrintWriter(stats), new java.io.PrintWriter(new java.io.StringWriter()),
                "stats", "--format", "json", written.toString())).isZero();
        assertThat(mapper.readTree(stats.toString()).path("frames").asLong())
                .isEqualTo(report.path("capture").path("frames").asLong());
    }

    private void client(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", CLIENT, "python3",
                TOOLS.resolve("client.py").toString(), "--addr", "10.203.0.2", "--delay", "0", "--timeout", "10"));
        command.addAll(List.of(args));
        NamespacePair.sh(command.toArray(String[]::new));
    }

    /** ss -tanH in a namespace: sockets by state, LISTEN left out. */
    private static Map<String, Integer> ss(String namespace) {
        Map<String, Integer> states = new HashMap<>();
        Environment.run("ip", "netns", "exec", namespace, "ss", "-tanH").lines().map(l -> l.trim().split("\\s+")[0])
                .filter(s -> !s.isEmpty() && !s.equals("LISTEN")).forEach(s -> states.merge(s, 1, Integer::sum));
        return states;
    }


    private static void waitUntilListening(int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (Environment.run("ip", "netns", "exec", SERVER, "ss", "-ltnH", "sport = :" + port).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the test server does not listen on port " + port);
            }
            Thread.sleep(100);
        }
    }

}
