package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Frames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading files must work on a machine without libpcap: a fresh JVM runs {@code stats} and must
 * not load a single pcap4j or JNA class (class loading is what would pull libpcap in).
 */
class FileReadingNeedsNoNativeCodeTest {
    @TempDir
    Path dir;

    @Test
    void statsOnAFileLoadsNoPcap4jAndNoJnaClass() throws Exception {
        Path file = CaptureWriter.pcap(1).record(1, 0, Frames.pattern(60, 1), 60).writeTo(dir.resolve("f.pcap"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-verbose:class", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "stats", file.toString()))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("dev.tcpstate.capture.PcapReader").contains("1 read, 0 TCP");
        assertThat(output.lines().filter(line -> line.contains("org.pcap4j") || line.contains("com.sun.jna")))
                .isEmpty();
    }
}
