package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import org.junit.jupiter.api.Test;

/** A usage error is one line saying what is wrong, then where to read more; exit 2. */
class UsageErrorsTest {
    private static final String CAPTURE = Environment.samples().resolve("client-close.pcap").toString();

    /** Asserts the two lines and exit 2; returns the first. */
    private static String usageError(String command, String... args) {
        Result result = run(args);
        assertThat(result.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).as(result.err()).hasSize(2);
        assertThat(result.err().lines().toList().get(1))
                .isEqualTo("Try '" + command + " --help' for more information.");
        String line = result.err().lines().findFirst().orElseThrow();
        assertThat(line).startsWith("tcpstate: ");
        return line;
    }

    @Test
    void anUnknownOptionIsOneLineWithoutSuggestionsThatDoNotFit() {
        assertThat(usageError("tcpstate connections", "connections", "-F", "tcp port 8081", CAPTURE))
                .isEqualTo("tcpstate: Unknown option: '-F'")
                .doesNotContain("--format");
        assertThat(usageError("tcpstate connections", "connections", "--formt", "json", CAPTURE))
                .endsWith("(did you mean --format?)");
        assertThat(usageError("tcpstate", "analyse", CAPTURE)).isEqualTo("tcpstate: unknown command 'analyse' "
                + "(did you mean analyze?)");
        assertThat(usageError("tcpstate check", "check")).isEqualTo("tcpstate: no capture given: name one, or use -r FILE");
        assertThat(usageError("tcpstate")).startsWith("tcpstate: a command is required: analyze, check, connections");
    }

    @Test
    void enumeratedOptionsNameTheirValuesInLowerCase() {
        assertThat(usageError("tcpstate connections", "connections", "--format", "xml", CAPTURE))
                .isEqualTo("tcpstate: --format xml (expected: text, json, ndjson, csv or zeek)");
        assertThat(usageError("tcpstate check", "check", "--format", "html", CAPTURE))
                .isEqualTo("tcpstate: --format html (expected: text, junit or sarif)");
        assertThat(usageError("tcpstate stats", "stats", "--checksums", "strict", CAPTURE))
                .isEqualTo("tcpstate: --checksums strict (expected: validate or ignore)");
        assertThat(usageError("tcpstate connections", "connections", "--outcome", "complete,finished", CAPTURE))
                .isEqualTo("tcpstate: --outcome finished (expected: complete, refused, unanswered, no-final-ack, "
                        + "reset-in-handshake, reset, half-open, half-closed, open, midstream, continued)");
        assertThat(usageError("tcpstate connections", "connections", "--state", "SF,XX", CAPTURE))
                .isEqualTo("tcpstate: --state XX (expected: S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, "
                        + "SHR, OTH)");
        // any case is taken
        assertThat(run("connections", "--format", "JSON", "--checksums", "Validate", "--state", "sf", "--outcome",
                "Complete", CAPTURE).out()).contains("\"conn_state\":\"SF\"");
    }

    @Test
    void portsAndHostsAreChecked() {
        assertThat(usageError("tcpstate connections", "connections", "--port", "99999", CAPTURE))
                .isEqualTo("tcpstate: --port 99999 (expected: a port from 0 to 65535)");
        assertThat(usageError("tcpstate connections", "connections", "--port", "-1", CAPTURE))
                .isEqualTo("tcpstate: --port -1 (expected: a port from 0 to 65535)");
        assertThat(usageError("tcpstate connections", "connections", "--host", "notanip", CAPTURE))
                .isEqualTo("tcpstate: --host notanip (expected: an IPv4 or IPv6 address, or a CIDR block such as "
                        + "10.0.0.0/8)");
        assertThat(usageError("tcpstate connections", "connections", "--host", "10.0.0.0/33", CAPTURE))
                .isEqualTo("tcpstate: --host 10.0.0.0/33 (expected: a prefix length from 0 to 32 after the /)");
    }

    @Test
    void hostTakesACidrBlock() {
        assertThat(run("connections", "--host", "10.200.0.0/16", CAPTURE).out()).contains("1 connection:");
        assertThat(run("connections", "--host", "10.200.0.2", CAPTURE).out()).contains("1 connection:");
        assertThat(run("connections", "--host", "10.201.0.0/16", CAPTURE).out()).contains("0 connections");
        String ipv6 = Environment.samples().resolve("ipv6-client-close.pcap").toString();
        assertThat(run("connections", "--host", "fd00:200::/64", ipv6).out()).contains("1 connection:");
        assertThat(run("connections", "--host", "fd00:201::/64", ipv6).out()).contains("0 connections");
        assertThat(run("connections", "--host", "10.200.0.0/16", ipv6).out()).contains("0 connections");
    }
}
