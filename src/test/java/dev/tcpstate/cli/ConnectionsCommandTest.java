package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.Environment;
import dev.tcpstate.testing.PacketBuilder;
import dev.tcpstate.decode.TcpFlags;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connections --format ndjson} on the recorded samples: each record's
 * conn_state and end states are what the scenario's kernels did (samples/README.md, NAME.ss.txt).
 */
class ConnectionsCommandTest {
    @TempDir
    Path dir;

    /** The records {@code tcpstate connections ...} prints, under a fixed uid key, so runs compare. */
    private static List<String> records(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add(1, "--uid-seed");
        all.add(2, "1");
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        return out.toString().lines().toList();
    }

    private static List<String> sample(String name) {
        return records("connections", "--format", "ndjson", Environment.samples().resolve(name).toString());
    }

    private static String field(String record, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(\"[^\"]*\"|[^,}]*)").matcher(record);
        assertThat(matcher.find()).as("%s in %s", key, record).isTrue();
        return matcher.group(1).replace("\"", "");
    }

    @Test
    void aCleanCloseIsSfWithTheClientInTimeWait() {
        assertThat(sample("client-close.pcap")).singleElement().satisfies(record -> {
            assertThat(field(record, "conn_state")).isEqualTo("SF");
            assertThat(field(record, "history")).isEqualTo("ShADadFf");
            assertThat(field(record, "orig_bytes")).isEqualTo("100");
            assertThat(field(record, "resp_bytes")).isEqualTo("1000");
            assertThat(field(record, "orig_state")).isEqualTo("time-wait");
            assertThat(field(record, "resp_state")).isEqualTo("closed");
            assertThat(field(record, "time_wait_at_end")).isEqualTo("true");
        });
        assertThat(sample("server-close.pcap")).singleElement().satisfies(record -> {
            assertThat(field(record, "conn_state")).isEqualTo("SF");
            assertThat(field(record, "orig_state")).isEqualTo("closed");
            assertThat(field(record, "resp_state")).isEqualTo("time-wait");
        });
    }

    /** Which namespace of samples/record.sh an address lives in (spoofed sources live nowhere). */
    private static String role(String address) {
        return switch (address) {
            case "10.200.0.1", "fd00:200::1", "127.0.0.1" -> "client";
            case "10.200.0.2", "fd00:200::2" -> "server";
            case "10.200.0.3" -> "sink";
            default -> "none";
        };
    }

    /** ss's name for a state tcpstate reports; null for states ss does not list (no socket). */
    private static String ssName(String state) {
        return switch (state) {
            case "closed", "listen", "unknown" -> null;
            case "established" -> "ESTAB";
            case "syn-received" -> "SYN-RECV";
            default -> state.toUpperCase(java.util.Locale.ROOT);
        };
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"client-close.pcap", "client-close.pcap.gz",
        "client-close.pcapng", "client-close-ns.pcap", "client-close-sll2.pcap", "ipv6-client-close.pcap",
        "server-close.pcap", "refused.pcap", "server-abort.pcap", "half-open.pcap", "multi-if.pcapng",
        "time-wait-burst.pcap", "firewalled-syn.pcap", "syn-flood.pcap"})
    void everySampleEndsWithTheSocketsTheKernelsListed(String name) throws Exception {
        String scenario = name.replaceFirst("\\.pcap(ng)?(\\.gz)?$", "");
        List<String> ss = Files.readAllLines(Environment.samples().resolve(
                (scenario.equals("client-close") && name.endsWith("ng") ? "client-close-pcapng" : scenario) + ".ss.txt"));
        java.util.Map<String, Long> kernel = new java.util.TreeMap<>();
        ss.stream().filter(line -> !line.startsWith("#") && !line.isBlank()).map(line -> line.split(" "))
                .filter(parts -> !parts[1].equals("LISTEN"))
                .forEach(parts -> kernel.merge(parts[0] + " " + parts[1], Long.parseLong(parts[2]), Long::sum));

        List<String> records = sample(name);
        // an attempt Zeek's timer split is one socket: count it once, at its last record
        java.util.Set<String> continued = records.stream().filter(record -> record.contains("\"continues\""))
                .map(record -> field(record, "continues")).collect(java.util.stream.Collectors.toSet());
        java.util.Map<String, Long> ours = new java.util.TreeMap<>();
        for (String record : records) {
            if (continued.contains(field(record, "uid"))) {
                continue;
            }
            for (String side : List.of("orig", "resp")) {
                String state = ssName(field(record, side + "_state"));
                String role = role(field(record, "id." + side + "_h"));
                if (state != null && !role.equals("none")) {
                    ours.merge(role + " " + state, 1L, Long::sum);
                }
            }
        }

        switch (scenario) {
            case "firewalled-syn" -> {
                // The client's kernel gave up after its last retry: nothing on the wire says so, so
                // the attempt's socket is still SYN-SENT at the end of the capture.
                assertThat(kernel).isEmpty();
                assertThat(ours).containsExactly(java.util.Map.entry("client SYN-SENT", 1L));
            }
            case "syn-flood" -> {
                // The server answered most spoofed SYNs with SYN cookies and kept no socket for
                // them; on the wire, those SYN-ACKs are the ones it never sent again.
                long cookies = ss.stream().filter(line -> line.startsWith("# nstat server TcpExtSyncookiesSent "))
                        .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
                List<String> spoofed = records.stream().filter(record -> field(record, "id.orig_h").startsWith("10.201."))
                        .toList();
                long retried = spoofed.stream().filter(record -> Integer.parseInt(field(record, "resp_pkts")) > 1).count();
                long complete = records.size() - spoofed.size();
                assertThat(retried).isEqualTo(kernel.get("server SYN-RECV"));
                assertThat(spoofed.size() - retried).as("cookies for spoofed SYNs").isEqualTo(cookies - complete);
                assertThat(ours.get("client TIME-WAIT")).isEqualTo(kernel.get("client TIME-WAIT"));
            }
            default -> assertThat(ours).isEqualTo(kernel);
        }
    }

    @Test
    void handshakeRoundTripsAreTsharksInitialRtt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Environment.tsharkAvailable(), "tshark is not installed");
        for (String name : List.of("client-close.pcap", "ipv6-client-close.pcap", "time-wait-burst.pcap",
                "syn-flood.pcap", "refused.pcap")) {
            String capture = Environment.samples().resolve(name).toString();
            // tshark: originator port and iRTT (seconds) at the ACK that completed each handshake
            java.util.Map<String, String> tshark = new java.util.HashMap<>();
            for (String line : Environment.run("tshark", "-r", capture, "-Y", "tcp.analysis.initial_rtt && tcp.flags == 0x010 && tcp.seq == 1 && tcp.ack == 1",
                    "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.analysis.initial_rtt").split("\n")) {
                if (!line.isBlank()) {
                    String[] parts = line.split("\t");
                    tshark.putIfAbsent(parts[0], String.format(java.util.Locale.ROOT, "%.6f", Double.parseDouble(parts[1]) * 1000));
                }
            }
            java.util.Map<String, String> ours = new java.util.HashMap<>();
            for (String record : sample(name)) {
                if (record.contains("\"handshake_rtt_ms\"")) {
                    ours.put(field(record, "id.orig_p"), field(record, "handshake_rtt_ms"));
                }
            }
            assertThat(ours).as(name).isEqualTo(tshark);
        }
    }

    @Test
    void theOutcomeDoesNotDependOnWhetherTheCaptureRecordedTheSynOrTheSynAckFirst() {
        long t = 1_700_000_000_000_000_000L;
        // a SYN answered by a SYN-ACK, never acknowledged; in the second capture the SYN-ACK's
        // timestamp comes first (two interfaces, clocks apart). Port 9000 is no likely server
        // port, so only the SYN tells which side originated.
        for (boolean synAckFirst : new boolean[] {false, true}) {
            dev.tcpstate.testing.TrafficScript script = new dev.tcpstate.testing.TrafficScript();
            script.send(synAckFirst ? t + 1000 : t, "10.0.0.1", 40000, "10.0.0.2", 9000, TcpFlags.SYN, 100, 0, 0);
            script.send(synAckFirst ? t : t + 1000, "10.0.0.2", 9000, "10.0.0.1", 40000, TcpFlags.SYN | TcpFlags.ACK,
                    500, 101, 0);
            Path file = script.writeTo(dir.resolve(synAckFirst ? "syn-ack-first.pcap" : "syn-first.pcap"));
            assertThat(records("connections", "--format", "ndjson", file.toString())).singleElement()
                    .satisfies(record -> {
                        assertThat(field(record, "id.orig_h")).as("the SYN's sender originates").isEqualTo("10.0.0.1");
                        assertThat(field(record, "outcome")).as("SYN-ACK first: %s", synAckFirst)
                                .isEqualTo("no-final-ack");
                        assertThat(field(record, "orig_state")).isEqualTo("syn-sent");
                        assertThat(field(record, "resp_state")).isEqualTo("syn-received");
                    });
        }
    }

    @Test
    void refusedAbortedAndHalfOpenConnections() {
        assertThat(sample("refused.pcap")).singleElement().satisfies(record -> {
            assertThat(field(record, "conn_state")).isEqualTo("REJ");
            assertThat(record).as("a record does not name findings: they name their records").doesNotContain("findings");
            assertThat(Cli.run("analyze", "--uid-seed", "1", "--format", "json", "samples/refused.pcap").out())
                    .as("the refusal finding names this record").contains("\"id\":\"TS102\"")
                    .contains("\"uid\":\"" + field(record, "uid") + "\"");
        });
        assertThat(sample("server-abort.pcap")).singleElement()
                .satisfies(record -> assertThat(field(record, "conn_state")).isEqualTo("RSTR"));
        assertThat(sample("half-open.pcap")).singleElement().satisfies(record -> {
            assertThat(field(record, "conn_state")).isEqualTo("RSTR");
            assertThat(Integer.parseInt(field(record, "retransmits"))).as("unanswered retransmissions").isPositive();
            assertThat(field(record, "history")).contains("T");
        });
    }

    @Test
    void firewalledSynsAreUnansweredAttemptsSplitByZeeksFiveSecondTimer() {
        List<String> records = sample("firewalled-syn.pcap");
        // SYNs at 0, 1, 3 and 7 s: the attempt timer (5 s) ends the first record before the fourth
        assertThat(records).hasSize(2).allSatisfy(record -> {
            assertThat(field(record, "conn_state")).isEqualTo("S0");
            assertThat(field(record, "orig_state")).isEqualTo("syn-sent");
        });
        assertThat(records.stream().mapToInt(record -> Integer.parseInt(field(record, "orig_pkts"))).sum())
                .isEqualTo(4);
        // ...and the second says it goes on with the first one's SYN, with the kernel's retry count
        // (tcp_syn_retries=3 in the client's namespace, recorded in firewalled-syn.ss.txt)
        assertThat(field(records.get(0), "syn_retries")).isEqualTo("2");
        assertThat(field(records.get(1), "continues")).isEqualTo(field(records.get(0), "uid"));
        assertThat(field(records.get(1), "syn_retries")).isEqualTo("3");
    }

    @Test
    void aLongerAttemptTimeoutKeepsTheRetriesInOneRecordAsTheKernelCountedThem() {
        // tcp_syn_retries=3 in the client's namespace: one attempt, three retries
        assertThat(records("connections", "--format", "ndjson", "--attempt-timeout", "30",
                Environment.samples().resolve("firewalled-syn.pcap").toString())).singleElement().satisfies(record -> {
                    assertThat(field(record, "orig_pkts")).isEqualTo("4");
                    assertThat(field(record, "syn_retries")).isEqualTo("3");
                    assertThat(field(record, "outcome")).isEqualTo("unanswered");
                });
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "connections",
                "--idle-timeout", "0", Environment.samples().resolve("refused.pcap").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("expected: positive seconds");
    }

    @Test
    void theTimeWaitBurstHasOneSfRecordPerKernelTimeWait() throws Exception {
        List<String> records = sample("time-wait-burst.pcap");
        long kernel = Files.readAllLines(Environment.samples().resolve("time-wait-burst.ss.txt")).stream()
                .filter(line -> line.startsWith("client TIME-WAIT ")).mapToLong(line -> Long.parseLong(line.split(" ")[2]))
                .sum();
        assertThat(records).hasSize((int) kernel).allSatisfy(record -> {
            assertThat(field(record, "conn_state")).isEqualTo("SF");
            assertThat(field(record, "time_wait_at_end")).isEqualTo("true");
        });
        assertThat(records.stream().map(record -> field(record, "uid")).distinct()).hasSize((int) kernel);
    }

    @Test
    void eachSampleGetsTheOutcomeItsScenarioStaged() {
        assertThat(sample("client-close.pcap")).extracting(record -> field(record, "outcome")).containsExactly("complete");
        assertThat(sample("refused.pcap")).extracting(record -> field(record, "outcome")).containsExactly("refused");
        // Zeek's attempt timer cut the attempt in two: the first record goes on in the second
        assertThat(sample("firewalled-syn.pcap")).extracting(record -> field(record, "outcome"))
                .containsExactly("continued", "unanswered");
        assertThat(sample("server-abort.pcap")).extracting(record -> field(record, "outcome")).containsExactly("reset");
        assertThat(sample("half-open.pcap")).extracting(record -> field(record, "outcome")).containsExactly("half-open");
        List<String> flood = sample("syn-flood.pcap");
        assertThat(flood.stream().filter(record -> field(record, "id.orig_h").startsWith("10.201.")))
                .hasSize(2000).allSatisfy(record -> assertThat(field(record, "outcome")).isEqualTo("no-final-ack"));
        assertThat(flood.stream().filter(record -> !field(record, "id.orig_h").startsWith("10.201.")))
                .hasSize(20).allSatisfy(record -> assertThat(field(record, "outcome")).isEqualTo("complete"));
    }

    @Test
    void filtersAndSortingSelectAndOrderRecords() {
        String flood = Environment.samples().resolve("syn-flood.pcap").toString();
        List<String> completed = records("connections", "--format", "ndjson", "--outcome", "complete", flood);
        assertThat(completed).hasSize(20)
                .allSatisfy(record -> assertThat(field(record, "outcome")).isEqualTo("complete"));
        assertThat(records("connections", "--format", "ndjson", "--state", "S1,REJ", "--host", "10.200.0.1", flood))
                .isEmpty();
        assertThat(records("connections", "--format", "ndjson", "--port", "9", flood)).isEmpty();
        List<String> byPackets = records("connections", "--format", "ndjson", "--sort", "packets", flood);
        List<Long> packets = byPackets.stream().map(record -> Long.parseLong(field(record, "orig_pkts"))
                + Long.parseLong(field(record, "resp_pkts"))).toList();
        assertThat(packets).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(packets.get(0)).isGreaterThan(packets.get(packets.size() - 1));
    }

    @Test
    void recordsComeInTheOrderTheyEndAndSortTsPutsThemInStartOrder() {
        String burst = Environment.samples().resolve("time-wait-burst.pcap").toString();
        List<String> streamed = records("connections", "--format", "ndjson", burst);
        List<String> sorted = records("connections", "--format", "ndjson", "--sort", "ts", burst);
        assertThat(streamed).hasSize(2000).containsExactlyInAnyOrderElementsOf(sorted);
        List<Double> starts = sorted.stream().map(record -> Double.parseDouble(field(record, "ts"))).toList();
        assertThat(starts).isSorted();
        // the capture ends within the clients' TIME-WAIT: every record is final at its end, and
        // those of one moment come by number (the packet that opened them)
        List<Long> numbers = streamed.stream().map(record -> dev.tcpstate.flow.ConnectionRecord.id(field(record,
                "uid"))).toList();
        assertThat(numbers).isSorted();
        // records that end at different times: the one that began first but ends last comes last
        long t = 1_700_000_000_000_000_000L;
        long s = 1_000_000_000L;
        dev.tcpstate.testing.TrafficScript script = new dev.tcpstate.testing.TrafficScript()
                .connection(t, "10.0.0.1", 40000, "10.0.0.2", 80, s / 1000, false)
                .refused(t + s, "10.0.0.1", 40001, "10.0.0.2", 81)
                .send(t + 30 * s, "10.0.0.7", 5555, "10.0.0.8", 22, TcpFlags.ACK, 1, 1, 0)
                .send(t + 31 * s, "10.0.0.7", 5555, "10.0.0.8", 22, TcpFlags.ACK, 1, 1, 0);
        Path file = script.writeTo(dir.resolve("ends.pcap"));
        // the refusal is final 5 s after it (Zeek's delete timer, at the next packet); the first
        // connection waits for its server's TIME-WAIT, which the capture's end cuts short
        List<String> ended = records("connections", "--format", "ndjson", file.toString());
        assertThat(ended).extracting(record -> field(record, "id.orig_p")).containsExactly("40001", "40000", "5555");
        assertThat(records("connections", "--format", "ndjson", "--sort", "ts", file.toString()))
                .extracting(record -> field(record, "id.orig_p")).containsExactly("40000", "40001", "5555");
    }

    @Test
    void theTextTableSizesItsColumnsOnItsFirstRowsAndWritesEveryRow() {
        String burst = Environment.samples().resolve("time-wait-burst.pcap").toString();
        List<String> table = records("connections", "--width", "200", burst);
        assertThat(table).hasSize(2000 + 2).as("a header, a row per connection, a summary");
        assertThat(table.get(0)).matches("UID +CONNECTION .*");
        assertThat(table.get(table.size() - 1)).isEqualTo("2000 connections: 2000 complete");
        int width = table.get(1).length();
        assertThat(table.subList(1, table.size() - 1)).as("rows past the first 1,000 keep their widths")
                .allSatisfy(row -> assertThat(row.length()).isLessThanOrEqualTo(width + 4).isLessThanOrEqualTo(200));
    }

    @Test
    void badSortKeysAndMslAreUsageErrors() {
        StringWriter err = new StringWriter();
        String capture = Environment.samples().resolve("refused.pcap").toString();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "connections", "--sort", "size",
                capture)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--sort size (expected: ts, duration, bytes or packets)");
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "connections",
                "--msl", "0", capture)).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void timeWaitAtTheEndDependsOnTheMsl() {
        // a clean close, then (10 s later) an unrelated SYN that moves packet time on
        CaptureWriter writer = script(CLEAN_CLOSE, 100);
        byte[] other = PacketBuilder.tcp().ipv4("10.0.0.7", "10.0.0.8").ports(1234, 22).flags(TcpFlags.SYN).build()
                .bytes();
        Path capture = writer.record(110, 0, other, other.length).writeTo(dir.resolve("tw.pcap"));

        assertThat(records("connections", "--format", "ndjson", "--port", "80", capture.toString())).singleElement()
                .satisfies(record -> assertThat(field(record, "orig_state")).isEqualTo("time-wait"));
        assertThat(records("connections", "--format", "ndjson", "--port", "80", "--msl", "1", capture.toString()))
                .singleElement().satisfies(record -> {
                    assertThat(field(record, "orig_state")).isEqualTo("closed");
                    assertThat(field(record, "time_wait_at_end")).isEqualTo("false");
                });
    }

    @Test
    void likelyServerPortsDecideTheServerOfAConnectionSeenWithoutItsSyn() {
        // the capture starts at the SYN-ACK from port 80, as Zeek's chksum-default trace does
        byte[] synAck = PacketBuilder.tcp().ipv4("10.0.0.2", "10.0.0.1").ports(80, 40000)
                .flags(TcpFlags.SYN | TcpFlags.ACK).seq(300).ack(101).build().bytes();
        Path capture = CaptureWriter.pcap(1).record(1, 0, synAck, synAck.length).writeTo(dir.resolve("sa.pcap"));

        assertThat(records("connections", "--format", "ndjson", capture.toString())).singleElement()
                .satisfies(record -> {
                    // port 80 is a likely server port by default: Zeek flips, the client originates
                    assertThat(field(record, "id.orig_h")).isEqualTo("10.0.0.1");
                    assertThat(field(record, "history")).isEqualTo("^h");
                });
        assertThat(records("connections", "--format", "ndjson", "--likely-server-ports", "none", capture.toString()))
                .singleElement().satisfies(record -> {
                    assertThat(field(record, "id.orig_h")).isEqualTo("10.0.0.2");
                    assertThat(field(record, "history")).isEqualTo("H");
                });
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "connections",
                "--likely-server-ports", "80,http", capture.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("expected: default, none, or ports 0-65535");
    }

    @Test
    void aConnectionOnATupleStillInTimeWaitSaysItReusedIt() {
        // a clean close, then 10 s later the same ports again with a new ISN
        CaptureWriter writer = script(CLEAN_CLOSE, 100);
        append(writer, new String[][] {{"c", "S", "9000", "0"}, {"s", "SA", "7000", "9001"},
            {"c", "A", "9001", "7001"}}, 110);
        Path capture = writer.writeTo(dir.resolve("reuse.pcap"));

        List<String> records = records("connections", "--format", "ndjson", capture.toString());
        assertThat(records).extracting(record -> field(record, "reused_time_wait")).containsExactly("false", "true");
        assertThat(records("connections", "--format", "ndjson", "--msl", "1", capture.toString()))
                .extracting(record -> field(record, "reused_time_wait")).containsExactly("false", "false");
    }

    /** A handshake and a close, client 10.0.0.1:40000, server 10.0.0.2:80. */
    private static final String[][] CLEAN_CLOSE = {{"c", "S", "100", "0"}, {"s", "SA", "300", "101"},
        {"c", "A", "101", "301"}, {"c", "FA", "101", "301"}, {"s", "FA", "301", "102"}, {"c", "A", "102", "302"}};

    /** A pcap of {@code steps} ({c|s, flags, seq, ack}) 1 ms apart, starting at {@code second}. */
    private static CaptureWriter script(String[][] steps, long second) {
        return append(CaptureWriter.pcap(1), steps, second);
    }

    private static CaptureWriter append(CaptureWriter writer, String[][] steps, long second) {
        int millis = 0;
        for (String[] step : steps) {
            boolean client = step[0].equals("c");
            byte[] frame = PacketBuilder.tcp().ipv4(client ? "10.0.0.1" : "10.0.0.2", client ? "10.0.0.2" : "10.0.0.1")
                    .ports(client ? 40000 : 80, client ? 80 : 40000).flags(dev.tcpstate.testing.Segments.flags(step[1]))
                    .seq(Integer.parseInt(step[2])).ack(Integer.parseInt(step[3])).build().bytes();
            writer.record(second, 1000L * ++millis, frame, frame.length);
        }
        return writer;
    }

    @Test
    void aSynAfterARejectStartsANewRecordEvenWithTheSameIsn() {
        // Zeek's IsReuse: once a side has closed, every SYN opens a new record (the pop3 corpus trace)
        byte[] syn = PacketBuilder.tcp().ipv4("10.0.0.1", "10.0.0.2").ports(40000, 110).flags(TcpFlags.SYN)
                .seq(100).build().bytes();
        byte[] reject = PacketBuilder.tcp().ipv4("10.0.0.2", "10.0.0.1").ports(110, 40000)
                .flags(TcpFlags.RST | TcpFlags.ACK).seq(0).ack(101).build().bytes();
        Path capture = CaptureWriter.pcap(1).record(1, 0, syn, syn.length).record(1, 1000, reject, reject.length)
                .record(1, 500_000, syn, syn.length).record(1, 501_000, reject, reject.length)
                .writeTo(dir.resolve("rej.pcap"));

        assertThat(records("connections", "--format", "ndjson", capture.toString())).hasSize(2).allSatisfy(record -> {
            assertThat(field(record, "conn_state")).isEqualTo("REJ");
            assertThat(field(record, "history")).isEqualTo("Sr");
        });
    }
}
