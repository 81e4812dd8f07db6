package dev.tcpstate.cli;

import dev.tcpstate.detect.DetectorSettings;
import java.math.BigDecimal;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The detector options' defaults, read from {@link DetectorSettings#DEFAULTS}: the help text, the
 * parsed options and the settings the library uses cannot disagree. Options it does not know keep
 * their own default.
 */
public final class DetectorDefaults implements IDefaultValueProvider {
    private static final DetectorSettings D = DetectorSettings.DEFAULTS;
    private static final double SECOND = 1e9;

    static final Map<String, String> VALUES = Map.ofEntries(
            Map.entry("--min-failures", text(D.minHandshakeFailures())),
            Map.entry("--failure-error-ratio", text(D.handshakeErrorRatio())),
            Map.entry("--failure-error-min", text(D.handshakeErrorMinimum())),
            Map.entry("--half-open-min", text(D.halfOpenMinimum())),
            Map.entry("--flood-window", text(D.floodWindowNanos() / SECOND)),
            Map.entry("--flood-rate", text(D.floodMinRate())),
            Map.entry("--flood-completion", text(D.floodMaxCompletion())),
            Map.entry("--flood-min", text(D.floodMinHalfOpen())),
            Map.entry("--cusum-interval", text(D.cusumIntervalNanos() / SECOND)),
            Map.entry("--cusum-offset", text(D.cusumOffset())),
            Map.entry("--cusum-threshold", text(D.cusumThreshold())),
            Map.entry("--backscatter-hosts", text(D.backscatterMinHosts())),
            Map.entry("--time-wait-min", text(D.timeWaitMinimum())),
            Map.entry("--time-wait-warn", text(D.timeWaitWarning())),
            Map.entry("--ephemeral-ports", D.ephemeralPortLow() + "-" + D.ephemeralPortHigh()),
            Map.entry("--port-share-warn", text(D.portShareWarning())),
            Map.entry("--port-share-error", text(D.portShareError())));

    @Override
    public String defaultValue(ArgSpec argument) {
        return argument instanceof OptionSpec option ? VALUES.get(option.longestName()) : null;
    }

    /** A number as people write it: {@code 10}, {@code 0.5}, {@code 1.05}. */
    private static String text(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
