package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcpdump -w - | tcpstate stats -}, then Ctrl-C: a real child JVM reads part of a capture
 * from a pipe that stays open, gets SIGINT (or SIGTERM), and prints the report of what arrived,
 * exactly the report of a file holding those bytes, and exits 0 as the help's exit codes say.
 */
class SignalOnStreamTest {
    /** client-close.pcap's first 1500 bytes: 7 whole records, the 8th cut. */
    private static final int PART = 1500;

    @TempDir
    Path dir;

    private Path cut;
    private byte[] part;

    @BeforeEach
    void cutSample() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        byte[] sample = Files.readAllBytes(Environment.samples().resolve("client-close.pcap"));
        part = Arrays.copyOf(sample, PART);
        cut = Files.write(dir.resolve("cut.pcap"), part);
    }

    @Test
    void ctrlCMakesStatsReportWhatArrivedOnStdin() throws Exception {
        Cli.Result expected = Cli.run("stats", cut.toString());
        Child child = Child.start(part, "stats", "-");
        child.signal("INT");
        child.finish();
        assertThat(child.code).as(child.err).isEqualTo(ExitCodes.OK);
        assertThat(child.out).isEqualTo(expected.out().replace(cut.toString(), "<stdin>")).contains("7 frames");
        assertThat(child.err).contains("tcpstate: stopped by a signal").contains("truncated last record");
    }

    @Test
    void sigtermMakesConnectionsWriteTheRecordsOfWhatArrived() throws Exception {
        Cli.Result expected = Cli.run("connections", "--uid-seed", "1", "--format", "ndjson", cut.toString());
        Child child = Child.start(part, "connections", "--uid-seed", "1", "--format", "ndjson", "-");
        child.signal("TERM");
        child.finish();
        assertThat(child.code).as(child.err).isEqualTo(ExitCodes.OK);
        assertThat(child.out).isEqualTo(expected.out()).contains("\"uid\"");
        assertThat(child.err).contains("tcpstate: stopped by a signal");
    }

    @Test
    void ctrlCMakesAnalyzeReportWhatArrived() throws Exception {
        Cli.Result expected = Cli.run("analyze", "--uid-seed", "1", "--format", "json", cut.toString());
        Child child = Child.start(part, "analyze", "--uid-seed", "1", "--format", "json", "-");
        child.signal("INT");
        child.finish();
        assertThat(child.code).as(child.err).isEqualTo(ExitCodes.OK);
        assertThat(child.out).isEqualTo(expected.out().replace(cut.toString(), "<stdin>"));
    }

    /** tcpstate in a JVM of its own, its stdin a pipe that this test keeps open. */
    private static final class Child {
        private final Process process;
        private final OutputStream stdin;
        private final CompletableFuture<String> stdout;
        private final CompletableFuture<String> stderr;
        int code;
        String out;
        String err;

        private Child(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            this.stdout = drain(process.getInputStream());
            this.stderr = drain(process.getErrorStream());
        }

        static Child start(byte[] input, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(args));
            Child child = new Child(new ProcessBuilder(command).start());
            child.stdin.write(input);
            child.stdin.flush(); // and not closed: the writer (tcpdump) is still running
            child.awaitReadingStdin();
            return child;
        }

        private static CompletableFuture<String> drain(java.io.InputStream in) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        /**
         * Until the thread reading stdin exists (the signal handlers are installed before it starts)
         * and waits in the kernel for more of the pipe, so everything written has been read.
         */
        private void awaitReadingStdin() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long found = 0;
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("tcpstate ended before the signal").isTrue();
                Optional<Path> reader = task("tcpstate-stdin");
                if (reader.isPresent()) {
                    found = found == 0 ? System.nanoTime() : found;
                    String wchan = read(reader.get().resolve("wchan"));
                    // where /proc hides wchan, two seconds is plenty for a 1500-byte read
                    if (wchan.contains("pipe") || System.nanoTime() - found > TimeUnit.SECONDS.toNanos(2)) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("tcpstate never started reading stdin");
        }

        private Optional<Path> task(String name) throws IOException {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                return tasks.filter(task -> read(task.resolve("comm")).strip().equals(name)).findFirst();
            }
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                return ""; // the thread ended meanwhile
            }
        }

        /** kill -SIGNAL: Process.destroy() sends SIGTERM only, and nothing in Java sends SIGINT. */
        void signal(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        }

        void finish() throws Exception {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("tcpstate did not stop on the signal; stderr: " + stderr.getNow(""));
            }
            code = process.exitValue();
            out = stdout.get(10, TimeUnit.SECONDS);
            err = stderr.get(10, TimeUnit.SECONDS);
            stdin.close();
        }
    }
}
