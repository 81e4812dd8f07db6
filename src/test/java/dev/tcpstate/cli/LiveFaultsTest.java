package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tcpstate watch --write} when the capture is cut short, for real, in a child JVM: the
 * interface it watches disappears (the veth deleted, or its peer's network namespace removed), goes
 * down and comes back, or the process is stopped by Ctrl-C, SIGTERM or SIGKILL while it writes.
 * Each time the report of what was seen and a valid pcap must survive, with one clear stderr line
 * and the documented exit code (docs/live-faults.md).
 *
 * <p>Needs root and libpcap; the interface tests also iproute2 and python3 (samples/tools for
 * real kernel TCP between two namespaces this test creates, addresses 10.206.0.1 and 10.206.0.2
 * inside them only), the signal tests coreutils' {@code env --default-signal} (a child started
 * from a background job would otherwise ignore SIGINT). The Ctrl-C tests talk over loopback.
 * Names carry a random suffix so that runs side by side do not collide.
 */
@Timeout(40)
class LiveFaultsTest {
    private static final Path TOOLS = Path.of("samples/tools").toAbsolutePath();
    private static final Pattern WROTE = Pattern.compile("(?m)^tcpstate: wrote (\\d+) frames to ");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final String suffix = String.format("%05x", ThreadLocalRandom.current().nextInt(1 << 20));
    private final String client = "tcpst-lf" + suffix + "c";
    private final String server = "tcpst-lf" + suffix + "s";
    private final String clientVeth = "lf" + suffix + "c";
    private final String serverVeth = "lf" + suffix + "s";
    private final List<Process> background = new ArrayList<>();
    private boolean namespaces;

    @BeforeEach
    void needsRootAndLibpcap() {
        Assumptions.assumeTrue(Environment.isRoot(), "live capture and network namespaces need root");
        Assumptions.assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed (apt-get install libpcap0.8)");
    }

    @AfterEach
    void cleanUp() {
        for (Process process : background) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (namespaces) {
            for (String namespace : List.of(client, server)) {
                Environment.run("ip", "netns", "pids", namespace).lines()
                        .forEach(pid -> Environment.run("kill", "-9", pid));
                Environment.run("ip", "netns", "del", namespace);
            }
        }
    }

    /** How the watched interface disappears. */
    enum Disappearance {
        /** {@code ip link del} on the watched end of the veth pair. */
        LINK_DELETED,
        /** The peer's namespace removed: the kernel destroys the veth pair with it. */
        PEER_NAMESPACE_DELETED
    }

    @ParameterizedTest
    @EnumSource(Disappearance.class)
    void anInterfaceThatDisappearsEndsTheWatchWithItsReportAndExitCode4(Disappearance how) throws Exception {
        Watch watch = watchInServerNamespace();
        connections(5);
        watch.waitForEvents("connection_closed", 5);

        if (how == Disappearance.LINK_DELETED) {
            sh("ip", "-n", server, "link", "del", serverVeth);
        } else {
            sh("ip", "netns", "del", client);
        }

        assertThat(watch.process.waitFor(10, TimeUnit.SECONDS)).as("watch ends once the interface is gone").isTrue();
        String err = Files.readString(watch.stderr);
        assertThat(watch.process.exitValue()).as(err).isEqualTo(ExitCodes.CAPTURE_UNAVAILABLE);
        assertThat(err.lines().toList()).last().isEqualTo("tcpstate: capture on " + serverVeth + " stopped: the "
                + "interface disappeared (deleted, or its network namespace removed; libpcap: The interface disappeared)");
        assertThat(err.lines().filter(line -> line.contains("stopped"))).hasSize(1);
        assertNoStackTrace(err);

        JsonNode report = watch.report();
        assertThat(report.path("connections").path("total").asInt()).isEqualTo(5);
        assertThat(report.path("connections").path("by_outcome").path("complete").asInt()).as(report.toString())
                .isEqualTo(5);
        long written = framesWritten(err);
        assertThat(written).isEqualTo(report.path("capture").path("frames").asLong()).isGreaterThanOrEqualTo(5 * 8);
        // a tool reading only the report learns it too
        assertThat(report.path("capture").path("warnings").toString()).as(report.toString())
                .contains("stopped: the interface disappeared");
        assertValidCapture(watch.pcap, written);
    }

    @Test
    void anInterfaceThatGoesDownIsWaitedForAndSaidOnce() throws Exception {
        Watch watch = watchInServerNamespace();
        connections(5);
        watch.waitForEvents("connection_closed", 5);

        sh("ip", "-n", server, "link", "set", serverVeth, "down");
        String down = "tcpstate: " + serverVeth + " is down (no link, or set down) at ";
        watch.waitForStderr(down, 5);
        Thread.sleep(1500); // two more looks at the link: still down, nothing more to say
        assertThat(watch.process.isAlive()).as("libpcap waits silently for the interface").isTrue();

        sh("ip", "-n", server, "link", "set", serverVeth, "up");
        watch.waitForStderr("tcpstate: " + serverVeth + " is up again at ", 5);
        connections(2);
        watch.waitForEvents("connection_closed", 7);
        signal(watch.process, "INT");

        assertThat(watch.process.waitFor(10, TimeUnit.SECONDS)).as("Ctrl-C ends watch").isTrue();
        String err = Files.readString(watch.stderr);
        assertThat(watch.process.exitValue()).as(err).isZero();
        assertThat(err.lines().filter(line -> line.startsWith(down))).as(err).hasSize(1)
                .first().asString().endsWith("; still watching: capture resumes when it is back up (Ctrl-C stops)");
        assertThat(err.lines().filter(line -> line.contains(" is up again at "))).hasSize(1);
        assertThat(err).doesNotContain("stopped");
        assertNoStackTrace(err);
        JsonNode report = watch.report();
        assertThat(report.path("connections").path("by_outcome").path("complete").asInt())
                .as("capture resumed after the link came back").isEqualTo(7);
        assertValidCapture(watch.pcap, framesWritten(err));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aStopSignalWhileWritingLeavesTheReportAValidCaptureAndExitCode0(String signal) throws Exception {
        try (LoopbackStream traffic = new LoopbackStream()) {
            Watch watch = watchOnLoopback(traffic.port());
            watch.waitForCapturedBytes(64 * 1024);

            signal(watch.process, signal);

            assertThat(watch.process.waitFor(10, TimeUnit.SECONDS)).as("SIG" + signal + " ends watch").isTrue();
            String err = Files.readString(watch.stderr);
            assertThat(watch.process.exitValue()).as(err).isZero();
            assertNoStackTrace(err);
            long written = framesWritten(err);
            assertThat(written).isPositive().isEqualTo(watch.report().path("capture").path("frames").asLong());
            assertValidCapture(watch.pcap, written);
        }
    }

    @Test
    void aKilledWatchStillLeavesOnlyWholeRecords() throws Exception {
        try (LoopbackStream traffic = new LoopbackStream()) {
            Watch watch = watchOnLoopback(traffic.port());
            watch.waitForCapturedBytes(256 * 1024);

            watch.process.destroyForcibly(); // SIGKILL: no handler, no flush, mid-stream

            assertThat(watch.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Cli.Result stats = Cli.run("stats", "--format", "json", watch.pcap.toString());
            assertThat(stats.code()).as(stats.err()).isZero();
            assertThat(stats.err()).as("no truncated last record").isEmpty();
            long frames = JSON.readTree(stats.out()).path("frames").asLong();
            assertThat(frames).isPositive();
            assertValidCapture(watch.pcap, frames);
        }
    }

    // --- the watch process -------------------------------------------------------------------

    /** A child JVM running {@code tcpstate watch}, its output in files. */
    private record Watch(Process process, Path stdout, Path stderr, Path pcap) {
        void waitForStderr(String text, int seconds) throws Exception {
            waitUntil(() -> read(stderr).contains(text), seconds, () -> "no '" + text + "' on stderr: " + read(stderr));
        }

        void waitForEvents(String event, int count) throws Exception {
            String key = "\"event\":\"" + event + "\"";
            waitUntil(() -> read(stdout).lines().filter(line -> line.contains(key)).count() >= count, 10,
                    () -> "fewer than " + count + " " + event + " events: " + read(stdout) + read(stderr));
        }

        /** Until the file holds this much: flushed records, so the signal meets a writer at work. */
        void waitForCapturedBytes(long bytes) throws Exception {
            waitUntil(() -> Files.exists(pcap) && size(pcap) >= bytes, 10,
                    () -> pcap + " stays under " + bytes + " bytes: " + read(stderr));
        }

        /** The last event on stdout, which must be the report. */
        JsonNode report() throws IOException {
            List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            assertThat(lines).as("events on stdout").isNotEmpty();
            JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
            assertThat(last.path("event").asText()).isEqualTo("report");
            return last.path("report");
        }
    }

    private Watch watchInServerNamespace() throws Exception {
        Assumptions.assumeFalse(Environment.run("ip", "-V").isEmpty(), "iproute2 is not installed");
        Assumptions.assumeFalse(Environment.run("python3", "--version").isEmpty(), "python3 is not installed");
        namespaces = true;
        sh("ip", "netns", "add", client);
        sh("ip", "netns", "add", server);
        sh("ip", "link", "add", clientVeth, "netns", client, "type", "veth", "peer", "name", serverVeth, "netns", server);
        for (String[] ns : new String[][] {{client, clientVeth, "10.206.0.1/24"}, {server, serverVeth, "10.206.0.2/24"}}) {
            sh("ip", "netns", "exec", ns[0], "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            sh("ip", "-n", ns[0], "addr", "add", ns[2], "dev", ns[1]);
            sh("ip", "-n", ns[0], "link", "set", ns[1], "up");
            sh("ip", "-n", ns[0], "link", "set", "lo", "up");
        }
        Watch watch = startWatch(List.of("ip", "netns", "exec", server), serverVeth, "tcp");
        background.add(new ProcessBuilder("ip", "netns", "exec", server, "python3", TOOLS.resolve("server.py").toString(),
                "--addr", "10.206.0.2", "--port", "8080", "--delay", "0").redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.out").toFile()).start());
        waitUntil(() -> !Environment.run("ip", "netns", "exec", server, "ss", "-ltnH", "sport = :8080").isBlank(), 10,
                () -> "the test server does not listen");
        return watch;
    }

    private Watch watchOnLoopback(int port) throws Exception {
        return startWatch(List.of(), "lo", "tcp port " + port);
    }

    private Watch startWatch(List<String> prefix, String device, String filter) throws Exception {
        Assumptions.assumeTrue(Environment.run("env", "--default-signal=INT,TERM", "echo", "ok").contains("ok"),
                "coreutils env --default-signal (8.31+) is missing: the child might ignore SIGINT");
        Path stdout = dir.resolve("events.ndjson");
        Path stderr = dir.resolve("watch.err");
        Path pcap = dir.resolve("out.pcap");
        List<String> command = new ArrayList<>(prefix);
        // SIGINT as a terminal would deliver it, even if this JVM was started ignoring it
        command.addAll(List.of("env", "--default-signal=INT,TERM",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "watch", "-i", device, "-f", filter,
                "--format", "ndjson", "--write", pcap.toString()));
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        background.add(process);
        Watch watch = new Watch(process, stdout, stderr, pcap);
        watch.waitForStderr("tcpstate: watching " + device, 15);
        return watch;
    }

    // --- checks ------------------------------------------------------------------------------

    /** tcpstate's reader and tcpdump (when installed) read the file to its end: {@code frames} whole records. */
    private static void assertValidCapture(Path pcap, long frames) throws Exception {
        Cli.Result stats = Cli.run("stats", "--format", "json", pcap.toString());
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.err()).as("tcpstate's reader warns of nothing (no truncated last record)").isEmpty();
        assertThat(JSON.readTree(stats.out()).path("frames").asLong()).isEqualTo(frames);
        if (Environment.run("tcpdump", "--version").isEmpty()) {
            return;
        }
        Process tcpdump = new ProcessBuilder("tcpdump", "-n", "-r", pcap.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        long packets = new String(tcpdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().count();
        String err = new String(tcpdump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tcpdump.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(tcpdump.exitValue()).as(err).isZero();
        assertThat(err).doesNotContain("truncated");
        assertThat(packets).as("packets tcpdump reads").isEqualTo(frames);
    }

    private static void assertNoStackTrace(String err) {
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
    }

    private static long framesWritten(String err) {
        Matcher wrote = WROTE.matcher(err);
        assertThat(wrote.find()).as("a 'wrote N frames' line in: " + err).isTrue();
        return Long.parseLong(wrote.group(1));
    }

    // --- traffic and helpers -----------------------------------------------------------------

    /** Real kernel TCP between the test's namespaces: {@code count} clean connections (samples/tools/client.py). */
    private void connections(int count) throws Exception {
        sh("ip", "netns", "exec", client, "python3", TOOLS.resolve("client.py").toString(), "--addr", "10.206.0.2",
                "--port", "8080", "--count", String.valueOf(count), "--delay", "0", "--timeout", "5");
    }

    /**
     * Steady traffic over loopback: one connection, 1 KiB every millisecond (no Nagle, so a
     * frame each), read by the other side, until closed.
     */
    private static final class LoopbackStream implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread sender;
        private final Thread receiver;
        private volatile boolean running = true;

        LoopbackStream() throws IOException {
            Socket out = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            Socket in = listener.accept();
            out.setTcpNoDelay(true);
            sender = new Thread(() -> {
                byte[] chunk = new byte[1024];
                try (out; OutputStream stream = out.getOutputStream()) {
                    while (running) {
                        stream.write(chunk);
                        stream.flush();
                        Thread.sleep(1);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed: the traffic ends
                }
            }, "loopback-sender");
            receiver = new Thread(() -> {
                byte[] sink = new byte[65_536];
                try (in; InputStream stream = in.getInputStream()) {
                    while (stream.read(sink) >= 0) {
                        // read everything, so the sender never blocks
                    }
                } catch (IOException e) {
                    // closed: the traffic ends
                }
            }, "loopback-receiver");
            sender.start();
            receiver.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            running = false;
            sender.join(5000);
            receiver.join(5000);
            listener.close();
        }
    }

    private static void signal(Process process, String name) throws Exception {
        sh("kill", "-s", name, String.valueOf(process.pid()));
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static void waitUntil(BooleanSupplier condition, int seconds, java.util.function.Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            Thread.sleep(100);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
