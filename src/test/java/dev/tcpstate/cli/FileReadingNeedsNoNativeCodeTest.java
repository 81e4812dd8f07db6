package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Frames;
import dev.tcpstate.testing.JavaProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading files works on a machine without libpcap, and a command that does need it says so in
 * one line with exit code 4. Both run in a fresh JVM: pcap4j decides once per JVM whether
 * libpcap loads, and class loading is what would pull it in.
 */
class FileReadingNeedsNoNativeCodeTest {
    /** Points pcap4j at a library that does not exist: a machine without libpcap. */
    private static final String NO_LIBPCAP = "-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so";

    @TempDir
    Path dir;

    @Test
    void statsOnAFileLoadsNoPcap4jAndNoJnaClass() throws Exception {
        Path file = CaptureWriter.pcap(1).record(1, 0, Frames.pattern(60, 1), 60).writeTo(dir.resolve("f.pcap"));

        JavaProcess.Result result = JavaProcess.run(List.of("-verbose:class", NO_LIBPCAP), Main.class, "stats",
                file.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("dev.tcpstate.capture.PcapReader").contains("1 read, 0 TCP");
        assertThat(result.stdout().lines().filter(line -> line.contains("org.pcap4j") || line.contains("com.sun.jna")))
                .isEmpty();
    }

    @Test
    void aCommandNeedingLibpcapSaysSoInOneLineAndExitsFour() throws Exception {
        JavaProcess.Result result = JavaProcess.run(List.of(NO_LIBPCAP), Main.class, "interfaces");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CAPTURE_UNAVAILABLE);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("tcpstate: live capture needs libpcap: apt-get install libpcap0.8"
                + System.lineSeparator());
    }

    @Test
    void withStacktraceTheLinkageErrorBehindItIsShown() throws Exception {
        JavaProcess.Result result = JavaProcess.run(List.of(NO_LIBPCAP), Main.class, "interfaces", "--stacktrace");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CAPTURE_UNAVAILABLE);
        assertThat(result.stderr()).contains("UnsatisfiedLinkError").contains("/nonexistent/libpcap.so");
    }
}
