package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import org.junit.jupiter.api.Test;

/** tcpdump's and tshark's habits on files: -r, -f (a BPF filter), -c, and a time range. */
class CaptureSelectionTest {
    private static final String SAMPLE = Environment.samples().resolve("client-close.pcap").toString();
    private static final String FLOOD = Environment.samples().resolve("syn-flood.pcap").toString();

    private static String connections(String... args) {
        // a fixed uid key: two runs compared must number alike
        String[] all = new String[args.length + 5];
        all[0] = "connections";
        all[1] = "--format";
        all[2] = "ndjson";
        all[3] = "--uid-seed";
        all[4] = "1";
        System.arraycopy(args, 0, all, 5, args.length);
        Result result = Cli.run(all);
        assertThat(result.code()).as(result.err()).isZero();
        return result.out();
    }

    @Test
    void dashRReadsACaptureAsNamingItDoes() {
        assertThat(connections("-r", SAMPLE)).isEqualTo(connections(SAMPLE)).contains("\"uid\"");
    }

    @Test
    void noCaptureAtAllIsAOneLineUsageError() {
        Result result = Cli.run("connections");
        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("no capture given");
    }

    @Test
    void aFilterKeepsOnlyItsFramesAndSoItsConnections() {
        assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed");
        // the 20 legitimate clients only: the spoofed sources are in 10.201.0.0/16
        String legit = connections("-f", "not net 10.201.0.0/16", FLOOD);
        assertThat(legit.lines()).hasSize(20).allSatisfy(line -> assertThat(line).contains("\"id.orig_h\":\"10.200.0.1\""));
        String spoofed = connections("--filter", "src net 10.201.0.0/16", FLOOD);
        assertThat(spoofed.lines()).hasSize(2000);
    }

    @Test
    void aFilterLibpcapCannotCompileIsAUsageErrorWithItsMessage() {
        assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed");
        Result result = Cli.run("connections", "-f", "tcp prot 80", SAMPLE);
        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("tcp prot 80").contains("syntax error");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void countStopsAfterNFramesAsTcpdumpDoes() {
        Result stats = Cli.run("stats", "--format", "json", "-c", "5", SAMPLE);
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("\"frames\":5,");
        // the first three TCP frames are the handshake: one connection, still open when the count stops
        String three = connections("-c", "4", SAMPLE); // ARP request, ARP reply, SYN, SYN-ACK
        assertThat(three).contains("\"history\":\"Sh\"");
    }

    @Test
    void aTimeRangeKeepsTheFramesInsideIt() {
        // client-close: the SYN at 1795433850.002682, the last ACK at 1795433850.204784
        String late = connections("--since", "1795433850.2", SAMPLE);
        assertThat(late).contains("\"history\":\"");
        assertThat(late).doesNotContain("\"history\":\"ShAD");
        String all = connections("--since", "2026-11-23T11:37:30Z", "--until", "2026-11-23T12:37:31+01:00", SAMPLE);
        assertThat(all).isEqualTo(connections(SAMPLE));
        String none = connections("--until", "1795433850", SAMPLE);
        assertThat(none).isEmpty();
    }

    @Test
    void badTimesAndCountsAreUsageErrors() {
        assertThat(Cli.run("connections", "--since", "yesterday", SAMPLE).code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("connections", "--since", "2", "--until", "1", SAMPLE).code()).isEqualTo(ExitCodes.USAGE);
        Result zero = Cli.run("connections", "-c", "0", SAMPLE);
        assertThat(zero.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("--count must be at least 1");
    }
}
