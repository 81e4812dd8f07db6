package dev.tcpstate.cli;

import dev.tcpstate.detect.DetectorSettings;
import picocli.CommandLine.Option;

/**
 * Every detector threshold as an option. Their defaults come from {@link DetectorSettings#DEFAULTS}
 * through {@link DetectorDefaults}, which each command that has these options names; they are
 * explained in docs/findings.md.
 */
final class DetectorOptions {
    private static final DetectorSettings D = DetectorSettings.DEFAULTS;

    @Option(names = "--min-failures", paramLabel = "N",
            description = "Handshake failures of one class at one service before they are a finding (default ${DEFAULT-VALUE}).")
    int minFailures;

    @Option(names = "--failure-error-ratio", paramLabel = "RATIO",
            description = "A handshake-failure finding is an error when this share of the service's attempts failed "
                    + "that way (default ${DEFAULT-VALUE}) and at least --failure-error-min did; otherwise a warning.")
    double failureErrorRatio;

    @Option(names = "--failure-error-min", paramLabel = "N",
            description = "A handshake-failure finding is an error only when at least this many attempts failed that way "
                    + "(default ${DEFAULT-VALUE}), besides --failure-error-ratio.")
    int failureErrorMinimum;

    @Option(names = "--half-open-min", paramLabel = "N",
            description = "Half-open connections at one service before they are a finding (default ${DEFAULT-VALUE}).")
    int halfOpenMinimum;

    @Option(names = "--flood-window", paramLabel = "SECONDS",
            description = "Sliding window over which SYN rates are measured (default ${DEFAULT-VALUE}).")
    double floodWindowSeconds;

    @Option(names = "--flood-rate", paramLabel = "PER_SECOND",
            description = "SYN flood alarm: half-open attempts per second over the window at or above this "
                    + "(default ${DEFAULT-VALUE}), while at most --flood-completion of them completed.")
    double floodRate;

    @Option(names = "--flood-completion", paramLabel = "RATIO",
            description = "SYN flood alarm only while at most this share of the window's attempts completed "
                    + "(default ${DEFAULT-VALUE}), besides --flood-rate.")
    double floodCompletion;

    @Option(names = "--flood-min", paramLabel = "N",
            description = "No flood finding (fast or slow) with fewer half-open attempts than this (default ${DEFAULT-VALUE}).")
    int floodMinimum;

    @Option(names = "--cusum-interval", paramLabel = "SECONDS",
            description = "Slow-flood CUSUM detector: observation interval (default ${DEFAULT-VALUE}).")
    double cusumIntervalSeconds;

    @Option(names = "--cusum-offset", paramLabel = "A",
            description = "CUSUM drift allowed per interval, in units of the average connections closed "
                    + "(default ${DEFAULT-VALUE}).")
    double cusumOffset;

    @Option(names = "--cusum-threshold", paramLabel = "N",
            description = "CUSUM sum that raises the slow-flood alarm (default ${DEFAULT-VALUE}).")
    double cusumThreshold;

    @Option(names = "--backscatter-hosts", paramLabel = "N",
            description = "Distinct addresses one host sent unsolicited SYN-ACKs/RSTs to before it is backscatter "
                    + "(default ${DEFAULT-VALUE}).")
    int backscatterHosts;

    @Option(names = "--time-wait-min", paramLabel = "N",
            description = "TIME-WAIT peak at one host that makes a note (default ${DEFAULT-VALUE}).")
    int timeWaitMinimum;

    @Option(names = "--time-wait-warn", paramLabel = "N",
            description = "TIME-WAIT peak at one host that makes a warning (default ${DEFAULT-VALUE}).")
    int timeWaitWarning;

    @Option(names = "--ephemeral-ports", paramLabel = "LOW-HIGH",
            description = "The clients' ephemeral port range (default ${DEFAULT-VALUE}, Linux's).")
    String ephemeralPorts;

    @Option(names = "--port-share-warn", paramLabel = "RATIO",
            description = "Share of the ephemeral range held towards one destination for a warning "
                    + "(default ${DEFAULT-VALUE}).")
    double portShareWarning;

    @Option(names = "--port-share-error", paramLabel = "RATIO",
            description = "Share of the ephemeral range held towards one destination for an error "
                    + "(default ${DEFAULT-VALUE}).")
    double portShareError;

    /** The settings; a value out of range is a usage error naming the option. */
    DetectorSettings settings() {
        positive("--min-failures", minFailures);
        ratio("--failure-error-ratio", failureErrorRatio);
        positive("--failure-error-min", failureErrorMinimum);
        positive("--half-open-min", halfOpenMinimum);
        positive("--flood-window", floodWindowSeconds);
        positive("--flood-rate", floodRate);
        ratio("--flood-completion", floodCompletion);
        positive("--flood-min", floodMinimum);
        positive("--cusum-interval", cusumIntervalSeconds);
        positive("--cusum-offset", cusumOffset);
        positive("--cusum-threshold", cusumThreshold);
        positive("--backscatter-hosts", backscatterHosts);
        positive("--time-wait-min", timeWaitMinimum);
        positive("--time-wait-warn", timeWaitWarning);
        ratio("--port-share-warn", portShareWarning);
        ratio("--port-share-error", portShareError);
        String[] range = ephemeralPorts.split("-");
        int low;
        int high;
        try {
            low = Integer.parseInt(range[0].trim());
            high = range.length == 2 ? Integer.parseInt(range[1].trim()) : -1;
        } catch (NumberFormatException e) {
            low = -1;
            high = -1;
        }
        if (range.length != 2 || low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("--ephemeral-ports " + ephemeralPorts
                    + " (expected: LOW-HIGH, 1 <= LOW <= HIGH <= 65535, e.g. 32768-60999)");
        }
        return new DetectorSettings(minFailures, failureErrorRatio, failureErrorMinimum, halfOpenMinimum,
                nanos(floodWindowSeconds), floodRate, floodCompletion, floodMinimum, nanos(cusumIntervalSeconds),
                cusumOffset, cusumThreshold, backscatterHosts, D.timeWaitNanos(), timeWaitMinimum, timeWaitWarning,
                low, high, portShareWarning, portShareError);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static void positive(String option, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(option + " " + value + " (expected: a positive number)");
        }
    }

    private static void ratio(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(option + " " + value + " (expected: a ratio from 0 to 1)");
        }
    }
}
