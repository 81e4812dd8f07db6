package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code tcpstate interfaces} without libpcap (one line, exit 4, as for {@code watch}) and
 * without capture permission, which listing does not need: libpcap reads the list from the
 * kernel without a packet socket, so there is no permission error to report.
 */
class InterfacesErrorsTest {
    @Test
    void noLibpcapSaysHowToInstallItAndExits4() throws Exception {
        JavaProcess.Result result = JavaProcess.run(List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so"),
                Main.class, "interfaces");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.CAPTURE_UNAVAILABLE);
        assertThat(result.stderr().strip()).isEqualTo("tcpstate: live capture needs libpcap: apt-get install libpcap0.8");
        assertThat(result.stderr().lines()).as("one line, no stack trace").hasSize(1);
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void listingNeedsNoCapturePermission() throws Exception {
        Assumptions.assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed");
        Assumptions.assumeTrue(Environment.isRoot(), "dropping capabilities needs root");
        Assumptions.assumeFalse(Environment.run("setpriv", "--version").isEmpty(), "setpriv (util-linux) is missing");
        // root without CAP_NET_RAW and CAP_NET_ADMIN, as an unprivileged user would be
        Process process = new ProcessBuilder("setpriv", "--bounding-set", "-net_raw,-net_admin", "--inh-caps",
                "-net_raw,-net_admin", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "interfaces")
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(err).isEmpty();
        assertThat(out.lines().filter(line -> line.startsWith("lo "))).singleElement().asString().contains("loopback");
    }
}
