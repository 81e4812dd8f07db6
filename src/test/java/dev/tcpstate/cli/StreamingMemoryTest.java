package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.HeapWatchdog;
import dev.tcpstate.testing.JavaProcess;
import dev.tcpstate.testing.TrafficScript;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands keep no connection: {@code connections}, {@code analyze} and {@code check} run over
 * a million connections in a child JVM whose live heap is watched. Had any of them kept a record
 * per connection (at least 88 bytes each, 88 MB in all), the watchdog would see it; what they do
 * keep is the flow table's cap (10,000 here, about 1 KiB each) and the JVM's own.
 */
class StreamingMemoryTest {
    private static final int CONNECTIONS = 1_000_000;
    private static final long S = 1_000_000_000L;
    /** Measured: 21–29 MiB (the cap, the JVM, young garbage); the records alone would be 88 MB. */
    private static final long LIVE_BOUND = 40L << 20;

    @Test
    void connectionsAnalyzeAndCheckKeepNoRecordPerConnection(@TempDir Path dir) throws Exception {
        TrafficScript script = new TrafficScript();
        for (int i = 0; i < CONNECTIONS; i++) {
            // refused attempts from ever new clients over 100 s: each is its own four-tuple
            script.refused(S + i * (100 * S / CONNECTIONS), "10." + (1 + i / 65_536) + "." + (i / 256 % 256) + "."
                    + (i % 256), 40_000 + i % 20_000, "10.99.0.1", 8081);
        }
        Path capture = script.writeTo(dir.resolve("refused.pcap"));
        JavaProcess.Result result = JavaProcess.run(List.of("-Xmx160m", "-XX:+UseSerialGC"), Child.class,
                capture.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        String[] numbers = result.stdout().strip().split("\n");
        assertThat(numbers).hasSize(3);
        for (String line : numbers) {
            String[] parts = line.split(" ");
            assertThat(Integer.parseInt(parts[1])).as("%s exit code", parts[0]).isIn(0, 1);
            assertThat(Long.parseLong(parts[2])).as("%s: heap live after a collection, at the most (%s)", parts[0],
                    result.stdout().lines().map(l -> l.substring(0, Math.min(60, l.length()))).toList())
                    .isLessThan(LIVE_BOUND).isPositive();
        }
        assertThat(numbers[0]).as("every connection written once").contains(" lines " + CONNECTIONS);
        assertThat(numbers[1]).as("every connection counted").contains("\"total\":" + CONNECTIONS);
        assertThat(numbers[1]).as("the refusals found").contains("\"id\":\"TS102\"");
    }

    /** The child: runs each command with a watchdog, and prints its exit code, its most live heap and a digest. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            String capture = args[0];
            run("connections", capture, "connections", "--format", "ndjson", "--max-flows", "10000", capture);
            run("analyze", capture, "analyze", "--format", "json", "--max-flows", "10000", capture);
            run("check", capture, "check", "--max-flows", "10000", capture);
        }

        private static void run(String name, String capture, String... args) throws Exception {
            System.gc();
            HeapWatchdog watchdog = new HeapWatchdog();
            watchdog.start();
            long[] lines = {0};
            StringWriter kept = new StringWriter();
            Writer out = new Writer() {
                @Override
                public void write(char[] buffer, int offset, int length) {
                    for (int i = offset; i < offset + length; i++) {
                        lines[0] += buffer[i] == '\n' ? 1 : 0;
                    }
                    if (!name.equals("connections")) {
                        kept.write(buffer, offset, length);
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
            watchdog.interrupt();
            watchdog.join();
            String compact = kept.toString().replaceAll("\\s+", "");
            String digest = name.equals("connections") ? "lines " + lines[0]
                    : compact.substring(0, Math.min(4000, compact.length()));
            System.out.println(name + " " + code + " " + watchdog.mostLive() + " " + digest);
        }
    }
}
