package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.JavaProcess;
import dev.tcpstate.testing.TrafficScript;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-flows auto} (the default) caps the flow table at what a quarter of the heap holds:
 * on a small heap a flood is tracked with evictions, and its finding keeps its exact counts.
 */
class MaxFlowsAutoTest {
    private static final Pattern CAP = Pattern.compile("evicted early by --max-flows ([0-9,]+)");

    @Test
    void aSmallHeapGetsASmallerCapAndTheFloodIsStillCountedExactly(@TempDir Path dir) throws Exception {
        TrafficScript script = new TrafficScript();
        for (int i = 0; i < 40_000; i++) {
            script.spoofedSyn(1_800_000_000_000_000_000L + i * 100_000L, "10.7." + (i / 250 % 250) + "." + (i % 250 + 1),
                    1024 + i % 60_000, "10.0.0.2", 80);
        }
        Path capture = script.writeTo(dir.resolve("flood.pcap"));
        JavaProcess.Result result = JavaProcess.run(List.of("-Xmx128m"), Main.class, "analyze", capture.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Matcher cap = CAP.matcher(result.stderr());
        assertThat(cap.find()).as(result.stderr()).isTrue();
        int flows = Integer.parseInt(cap.group(1).replace(",", ""));
        // a quarter of a 128 MiB heap at 1 KiB each: about 32,000 flows, fewer than the 40,000 attempts
        assertThat(flows).isBetween(20_000, 33_000);
        assertThat(result.stdout()).contains("TS301 syn-flood  10.0.0.2:80").contains("got 40,000 SYNs")
                .contains("40,000 half-open attempts");
    }

    @Test
    void aCapThatIsNotANumberIsAUsageError() {
        Cli.Result result = Cli.run("connections", "--max-flows", "lots", "samples/client-close.pcap");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--max-flows lots (expected: auto or a count of 1 or more)");
    }
}
