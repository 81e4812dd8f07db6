package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code watch} when capture is impossible: one clear line each, exit 4 (or 2 for bad usage). */
class WatchErrorsTest {


    @Test
    void noLibpcapSaysHowToInstallIt() throws Exception {
        JavaProcess.Result result = JavaProcess.run(List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so"),
                Main.class, "watch", "-i", "lo", "--duration", "1s", "--format", "ndjson");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.CAPTURE_UNAVAILABLE);
        assertThat(result.stderr().strip()).isEqualTo("tcpstate: live capture needs libpcap: apt-get install libpcap0.8");
    }

    @Test
    void anUnknownInterfaceIsNamedWithTheOnesThatExist() {
        Assumptions.assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed");
        Result result = run("watch", "-i", "tcpst-nosuch0", "--duration", "1s", "--format", "ndjson");
        assertThat(result.code()).isEqualTo(ExitCodes.CAPTURE_UNAVAILABLE);
        assertThat(result.err()).startsWith("tcpstate: no such interface: tcpst-nosuch0 (capture interfaces here: ")
                .contains("lo");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void withoutCapturePermissionItSaysWhatToDo(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed");
        Assumptions.assumeTrue(Environment.isRoot(), "dropping capabilities needs root");
        Assumptions.assumeFalse(Environment.run("setpriv", "--version").isEmpty(), "setpriv (util-linux) is missing");
        // root without CAP_NET_RAW and CAP_NET_ADMIN, as an unprivileged user would be
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set", "-net_raw,-net_admin",
                "--inh-caps", "-net_raw,-net_admin", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "watch", "-i", "lo", "--duration",
                "1s", "--format", "ndjson", "--write", dir.resolve("out.pcap").toString()));
        Process process = new ProcessBuilder(command).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isEqualTo(ExitCodes.CAPTURE_UNAVAILABLE);
        assertThat(err).startsWith("tcpstate: cannot capture on lo: permission denied").contains("run as root")
                .contains("setcap cap_net_raw,cap_net_admin=eip");
        assertThat(err.lines()).as("one line, no stack trace").hasSize(1);
        assertThat(dir.resolve("out.pcap")).as("no capture, so no --write file").doesNotExist();
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("watch", "-i", "lo", "--duration", "soon").err()).contains("--duration soon (expected: e.g. 30s");
        assertThat(run("watch", "-i", "lo", "--duration", "soon").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(WatchCommand.parseDuration("1.5m").toMillis()).isEqualTo(90_000);
        assertThat(WatchCommand.parseDuration("250ms").toMillis()).isEqualTo(250);
        assertThat(WatchCommand.parseDuration("2h").toSeconds()).isEqualTo(7200);
        assertThat(WatchCommand.parseDuration("7").toSeconds()).isEqualTo(7);
    }

    /** Without -i, the interface tcpdump takes: the first up, not loopback, not "any". */
    @Test
    void withoutAnInterfaceItTakesTheOneTcpdumpWould() throws Exception {
        java.util.List<java.net.InetAddress> none = java.util.List.of();
        var lo = new dev.tcpstate.capture.CaptureInterface("lo", "", none, true, true, true);
        var any = new dev.tcpstate.capture.CaptureInterface("any", "", none, false, true, true);
        var down = new dev.tcpstate.capture.CaptureInterface("eth1", "", none, false, false, false);
        var eth0 = new dev.tcpstate.capture.CaptureInterface("eth0", "", none, false, true, true);
        assertThat(WatchCommand.defaultInterface(java.util.List.of(lo, any, down, eth0))).isEqualTo("eth0");
        assertThat(WatchCommand.defaultInterface(java.util.List.of(any, lo))).as("only loopback: as tcpdump, lo")
                .isEqualTo("lo");
        assertThatThrownBy(() -> WatchCommand.defaultInterface(java.util.List.of(any)))
                .hasMessageContaining("name one with -i");
    }

    @Test
    void aDashboardCannotGoWithHeadlessOptions() {
        var result = run("watch", "-i", "lo", "--no-dashboard", "--format", "dashboard");
        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--format dashboard cannot go with --no-dashboard or --output");
        assertThat(run("watch", "-i", "lo", "--output", "x.ndjson", "--rotate-size", "0").code())
                .isEqualTo(ExitCodes.USAGE);
    }
}
