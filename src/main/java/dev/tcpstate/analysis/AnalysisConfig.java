package dev.tcpstate.analysis;

import dev.tcpstate.decode.ChecksumMode;
import java.util.Objects;

/**
 * Settings of one analysis run that are not about where frames come from.
 *
 * @param mslNanos the maximum segment lifetime; TIME-WAIT lasts twice it
 */
public record AnalysisConfig(ChecksumMode checksums, long mslNanos) {
    /** Linux's TIME-WAIT is 60 s: an MSL of 30 s. */
    public static final long DEFAULT_MSL_NANOS = 30_000_000_000L;

    public AnalysisConfig {
        Objects.requireNonNull(checksums, "checksums");
        if (mslNanos <= 0) {
            throw new IllegalArgumentException("MSL must be positive");
        }
    }

    public AnalysisConfig(ChecksumMode checksums) {
        this(checksums, DEFAULT_MSL_NANOS);
    }

    public static AnalysisConfig defaults() {
        return new AnalysisConfig(ChecksumMode.IGNORE);
    }

    public long timeWaitNanos() {
        return 2 * mslNanos;
    }
}
