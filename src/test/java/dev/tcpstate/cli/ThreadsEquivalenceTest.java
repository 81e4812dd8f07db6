package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.TrafficScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --threads N} gives what one thread gives: the same records under the same uids, the same
 * findings, byte for byte, on every sample and on busy traffic whose records Zeek's timers end at
 * packets of other connections (which another thread owns).
 */
class ThreadsEquivalenceTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    static Stream<String> samples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples"))) {
            return files.map(Path::toString).filter(name -> name.matches(".*\\.(pcap|pcapng|pcap\\.gz)")).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleGivesTheSameConnectionsOnThreeThreads(String sample) {
        assertSameOnThreads(List.of("connections", "--format", "ndjson", sample), 3);
    }

    @Test
    void busyTrafficGivesTheSameConnectionsAndFindingsOnAnyNumberOfThreads(@TempDir Path dir) {
        Path capture = busyTraffic(dir.resolve("busy.pcap"), 7);
        String one = assertSameOnThreads(List.of("connections", "--format", "ndjson", capture.toString()), 2, 3, 7);
        // the traffic has what makes sharding hard: attempts split by the attempt timer, tuples
        // reused in TIME-WAIT, and records that the timers ended
        assertThat(one).contains("\"continues\":\"C").contains("\"reused_time_wait\":true")
                .contains("\"conn_state\":\"S0\"").contains("\"conn_state\":\"REJ\"");
        assertThat(one.lines().count()).isGreaterThan(2000);
        String findings = assertSameOnThreads(List.of("analyze", "--format", "json", capture.toString()), 2, 4);
        assertThat(findings).contains("\"id\":\"TS101\"");
    }

    @Test
    void rotatedFilesOnSeveralThreadsGiveWhatTheWholeFileGivesOnOne(@TempDir Path dir) throws IOException {
        Assumptions.assumeFalse(Environment.run("editcap", "-h").isEmpty(), "editcap (wireshark-common) is not installed");
        Path whole = busyTraffic(dir.resolve("whole.pcap"), 11);
        Path parts = Files.createDirectories(dir.resolve("parts"));
        Environment.run("editcap", "-c", "4000", whole.toString(), parts.resolve("part.pcap").toString());
        List<String> args = new ArrayList<>(List.of("connections", "--uid-seed", "1", "--format", "ndjson", "--threads", "3"));
        try (Stream<Path> files = Files.list(parts)) {
            files.map(Path::toString).sorted(java.util.Comparator.reverseOrder()).forEach(args::add);
        }
        assertThat(args).hasSizeGreaterThan(8);
        Cli.Result split = Cli.run(args.toArray(String[]::new));
        Cli.Result single = Cli.run("connections", "--uid-seed", "1", "--format", "ndjson", whole.toString());
        assertThat(split.code()).as(split.err()).isZero();
        assertThat(split.out()).isEqualTo(single.out());
    }

    @Test
    void aCorruptCaptureFailsAlikeOnSeveralThreads(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Path.of("samples/time-wait-burst.pcap"));
        Path cut = dir.resolve("cut.pcap");
        // a record header whose length runs past the file's end, well after the first connections
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2 + 7));
        Cli.Result one = Cli.run("analyze", "--uid-seed", "1", "--threads", "1", cut.toString());
        Cli.Result three = Cli.run("analyze", "--uid-seed", "1", "--threads", "3", cut.toString());
        assertThat(one.code()).isZero(); // a cut last record is a warning; the rest is analysed
        assertThat(three.code()).isEqualTo(one.code());
        assertThat(three.err()).isEqualTo(one.err()).contains("truncated");
        assertThat(three.out()).isEqualTo(one.out());

        // a record in the middle claiming 256 MiB: an error, whichever thread reads it first
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(whole.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int at = 24;
        for (int record = 0; record < 1000; record++) {
            at += 16 + bytes.getInt(at + 8);
        }
        bytes.putInt(at + 8, 256 << 20);
        Path corrupt = Files.write(dir.resolve("corrupt.pcap"), bytes.array());
        Cli.Result first = Cli.run("analyze", "--uid-seed", "1", "--threads", "1", corrupt.toString());
        Cli.Result many = Cli.run("analyze", "--uid-seed", "1", "--threads", "3", corrupt.toString());
        assertThat(first.code()).as(first.err()).isEqualTo(3);
        assertThat(many.code()).isEqualTo(3);
        assertThat(many.err()).isEqualTo(first.err()).contains("corrupt.pcap");
    }

    @Test
    void aThreadCountOutOfRangeIsAUsageError() {
        Cli.Result result = Cli.run("connections", "--threads", "0", "samples/client-close.pcap");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--threads 0 (expected: 1 to 256)");
    }

    /** Runs {@code args} on one thread and on each of {@code threads}; all outputs must be equal. */
    private static String assertSameOnThreads(List<String> args, int... threads) {
        Cli.Result one = Cli.run(with(args, 1));
        assertThat(one.code()).as(one.err()).isZero();
        for (int n : threads) {
            Cli.Result many = Cli.run(with(args, n));
            assertThat(many.code()).as(many.err()).isZero();
            assertThat(many.out()).as("--threads %d against one thread", n).isEqualTo(one.out());
        }
        return one.out();
    }

    private static String[] with(List<String> args, int threads) {
        List<String> all = new java.util.ArrayList<>(args);
        all.add(1, "--threads");
        all.add(2, Integer.toString(threads));
        all.add(3, "--uid-seed"); // the same uids on every run
        all.add(4, "1");
        return all.toArray(String[]::new);
    }

    /**
     * Ten minutes of mixed traffic among 40 clients and 6 servers: complete connections closed by
     * either side, refusals, SYNs retried past the attempt timer, spoofed SYNs, vanishing servers,
     * one-sided closes answered seconds later (Zeek's expire timer), client ports reused soon after
     * a close (inside TIME-WAIT), and idle connections that the inactivity timer ends.
     */
    static Path busyTraffic(Path file, long seed) {
        Random random = new Random(seed);
        TrafficScript script = new TrafficScript();
        int[] nextPort = new int[40];
        java.util.Arrays.fill(nextPort, 30000);
        for (int i = 0; i < 3000; i++) {
            long t = (long) (random.nextDouble() * 600 * S);
            int c = random.nextInt(40);
            String client = "10.1.0." + (c + 1);
            String server = "10.2.0." + (random.nextInt(6) + 1);
            int serverPort = random.nextBoolean() ? 8080 : 5432;
            int port = nextPort[c]++;
            switch (random.nextInt(10)) {
                case 0, 1, 2 -> script.connection(t, client, port, server, serverPort, 2 * MS, random.nextBoolean());
                case 3 -> script.refused(t, client, port, server, serverPort);
                case 4 -> script.unanswered(client, port, server, serverPort, t, t + S, t + 3 * S, t + 7 * S);
                case 5 -> script.spoofedSyn(t, "172.16." + random.nextInt(256) + "." + random.nextInt(256),
                        1024 + random.nextInt(60000), server, serverPort);
                case 6 -> script.vanishingServer(t, client, port, server, serverPort, 3, random.nextBoolean());
                case 7 -> oneSidedClose(script, t, client, port, server, serverPort,
                        (long) (random.nextDouble() * 12 * S));
                case 8 -> {
                    // the same client port again, 1-40 s after a close: inside TIME-WAIT
                    script.connection(t, client, port, server, serverPort, 2 * MS, true);
                    long again = t + S + (long) (random.nextDouble() * 39 * S);
                    script.connection(again, client, port, server, serverPort, 2 * MS, random.nextBoolean());
                }
                default -> {
                    // a handshake, then silence past the 60 s handshake-inactivity or 5 min idle timer
                    script.send(t, client, port, server, serverPort, TcpFlags.SYN, 1, 0, 0);
                    script.send(t + MS, server, serverPort, client, port, TcpFlags.SYN | TcpFlags.ACK, 7, 2, 0);
                    script.send(t + 2 * MS, client, port, server, serverPort, TcpFlags.ACK, 2, 8, 0);
                    script.send(t + 70 * S, client, port, server, serverPort, TcpFlags.PSH | TcpFlags.ACK, 2, 8, 10);
                }
            }
        }
        return script.writeTo(file);
    }

    /** The client closes; the server sends more data {@code later} and never closes. */
    private static void oneSidedClose(TrafficScript script, long t, String client, int port, String server,
            int serverPort, long later) {
        script.send(t, client, port, server, serverPort, TcpFlags.SYN, 1, 0, 0);
        script.send(t + MS, server, serverPort, client, port, TcpFlags.SYN | TcpFlags.ACK, 7, 2, 0);
        script.send(t + 2 * MS, client, port, server, serverPort, TcpFlags.ACK, 2, 8, 0);
        script.send(t + 3 * MS, client, port, server, serverPort, TcpFlags.FIN | TcpFlags.ACK, 2, 8, 0);
        script.send(t + 4 * MS, server, serverPort, client, port, TcpFlags.ACK, 8, 3, 0);
        script.send(t + 4 * MS + later, server, serverPort, client, port, TcpFlags.PSH | TcpFlags.ACK, 8, 3, 50);
    }
}
