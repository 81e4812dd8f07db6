package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.JavaProcess;
import dev.tcpstate.testing.TrafficScript;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A heap too small for the capture ends with one sentence and exit 5, not a stack trace. */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void tooSmallAHeapSaysWhatToDo() throws Exception {
        TrafficScript script = new TrafficScript();
        for (int i = 0; i < 40_000; i++) {
            script.connection(1_800_000_000_000_000_000L + i * 100_000L, "10.1." + (i / 250 % 250) + "." + (i % 250 + 1),
                    40000 + i / 62_500, "10.0.0.2", 443, 400_000L, true);
        }
        Path capture = script.writeTo(dir.resolve("many.pcap"));
        JavaProcess.Result result = JavaProcess.run(List.of("-Xmx24m"), Main.class, "analyze", capture.toString());
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(result.stderr().strip()).startsWith("tcpstate: out of memory: ").contains("-Xmx").contains("--max-flows")
                .doesNotContain("\tat ");
    }
}
