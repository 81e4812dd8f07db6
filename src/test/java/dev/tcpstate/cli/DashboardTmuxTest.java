package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Environment;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard for real, in a tmux pane: it draws, follows keys (help and back), and on q
 * leaves the alternate screen, prints the final report and exits 0. Its metrics endpoint, scraped
 * meanwhile, says what the screen and the report say: one set of numbers. Needs tmux, root and
 * libpcap (it captures on lo); skipped otherwise.
 */
@Timeout(90)
class DashboardTmuxTest {
    private static final String SESSION = "tcpstate-dashboard-test";

    @AfterEach
    void killSession() {
        Environment.run("tmux", "kill-session", "-t", SESSION);
    }

    @Test
    void drawsFollowsKeysAndRestoresTheTerminal() throws Exception {
        Assumptions.assumeFalse(Environment.run("tmux", "-V").isEmpty(), "tmux is not installed");
        Assumptions.assumeTrue(Environment.isRoot(), "capturing on lo needs root");
        Assumptions.assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed");
        int metricsPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metricsPort = free.getLocalPort();
        }
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = String.join(" ", java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "watch", "-i", "lo", "-f", "'tcp port " + server.getLocalPort() + "'",
                    "--format", "dashboard", "--metrics", "127.0.0.1:" + metricsPort) + "; echo EXITED $?; sleep 60";
            assertThat(Environment.run("tmux", "new-session", "-d", "-s", SESSION, "-x", "100", "-y", "30", command))
                    .isNotNull();
            waitForPane("tcpstate watch lo", 30);
            for (int i = 0; i < 3; i++) {
                exchange(server);
            }
            String overview = waitForPane("closed 3", 20);
            assertThat(overview).contains("CONNECTIONS 3").contains("TIME-WAIT 3").contains("q quit");
            // the metrics say what the screen says: the same snapshot
            assertThat(scrape(metricsPort)).contains("tcpstate_endpoints{state=\"time-wait\"} 3.0");
            // once Zeek has logged them (5 s after their close), the three count as complete
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String metrics = scrape(metricsPort);
            while (!metrics.contains("outcome=\"complete\"} 3.0") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                metrics = scrape(metricsPort);
            }
            assertThat(metrics).contains("tcpstate_connections_total{conn_state=\"SF\",outcome=\"complete\"} 3.0");
            Environment.run("tmux", "send-keys", "-t", SESSION, "h");
            assertThat(waitForPane("tcpstate watch: keys", 10)).contains("pause the screen");
            Environment.run("tmux", "send-keys", "-t", SESSION, "Escape");
            waitForPane("CONNECTIONS 3", 10);
            Environment.run("tmux", "send-keys", "-t", SESSION, "q");
            String after = waitForPane("EXITED", 30);
            assertThat(after).contains("EXITED 0").contains("connections  3: 3 complete")
                    .as("the alternate screen is gone").doesNotContain("q quit  p pause");
        }
    }

    private static String scrape(int port) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void exchange(ServerSocket server) throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write(new byte[100]);
            out.flush();
            InputStream in = accepted.getInputStream();
            in.readNBytes(100);
        }
    }

    private static String waitForPane(String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String pane = "";
        while (System.nanoTime() < deadline) {
            pane = Environment.run("tmux", "capture-pane", "-p", "-t", SESSION);
            if (pane.contains(text)) {
                return pane;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in the pane:\n" + pane);
    }
}
