package dev.tcpstate.cli;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.flow.ZeekRules;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Option;

/** How connections are tracked: TIME-WAIT length, Zeek's timers and server-port heuristic. */
final class TrackingOptions {
    @Option(names = "--msl", paramLabel = "SECONDS", defaultValue = "30",
            description = "Maximum segment lifetime; TIME-WAIT lasts twice it (default 30, Linux's 60 s TIME-WAIT).")
    double mslSeconds;

    @Option(names = "--attempt-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "An attempt nobody answered ends this long after its first SYN (Zeek's "
                    + "tcp_attempt_delay; default 5); a later copy of its SYN starts a record that 'continues' it.")
    double attemptSeconds;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "An idle connection ends after this much silence (Zeek's tcp_inactivity_timeout; "
                    + "default 300).")
    double idleSeconds;

    @Option(names = "--likely-server-ports", paramLabel = "PORTS", defaultValue = "default",
            description = "Zeek's likely_server_ports, which decide the server of a connection seen without its "
                    + "SYN: default (what Zeek's base scripts load: 22, 25, 53, 80, 443, 8080, ...), none (a bare "
                    + "'zeek -b'), or a comma-separated list.")
    String likelyServerPorts;

    @Option(names = "--max-flows", paramLabel = "N|auto", defaultValue = "auto",
            description = "Connections tracked at once; beyond it the oldest half-open ones are evicted first "
                    + "(reported as they stood, and counted). auto (default): what a quarter of the Java heap "
                    + "holds at about 1 KiB each, at most 1,000,000 (1,000,000 from a 4 GiB heap up).")
    String maxFlows;

    /** The analysis settings these options and {@code checksums} give; bad values are usage errors. */
    AnalysisConfig config(ChecksumMode checksums) {
        if (!(mslSeconds > 0)) {
            throw new IllegalArgumentException("--msl " + mslSeconds + " (expected: a positive number of seconds)");
        }
        if (!(attemptSeconds > 0) || !(idleSeconds > 0)) {
            throw new IllegalArgumentException("--attempt-timeout and --idle-timeout (expected: positive seconds)");
        }
        return new AnalysisConfig(checksums, (long) (mslSeconds * 1e9), serverPorts(likelyServerPorts),
                new ZeekRules.Timeouts((long) (attemptSeconds * 1e9), (long) (idleSeconds * 1e9)),
                maxFlows(maxFlows));
    }

    private static int maxFlows(String value) {
        if (value.equals("auto")) {
            return AnalysisConfig.defaultMaxFlows();
        }
        try {
            int flows = Integer.parseInt(value.trim().replace("_", "").replace(",", ""));
            if (flows >= 1) {
                return flows;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--max-flows " + value + " (expected: auto or a count of 1 or more)");
    }

    private static Set<Integer> serverPorts(String value) {
        return switch (value) {
            case "default" -> AnalysisConfig.ZEEK_BASE_SERVER_PORTS;
            case "none" -> Set.of();
            default -> {
                Set<Integer> ports = new HashSet<>();
                for (String part : value.split(",")) {
                    try {
                        int port = Integer.parseInt(part.trim());
                        if (port < 0 || port > 65535) {
                            throw new NumberFormatException();
                        }
                        ports.add(port);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--likely-server-ports " + value
                                + " (expected: default, none, or ports 0-65535 separated by commas)");
                    }
                }
                yield ports;
            }
        };
    }
}
