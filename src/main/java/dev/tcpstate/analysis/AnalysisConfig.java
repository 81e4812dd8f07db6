package dev.tcpstate.analysis;

import dev.tcpstate.decode.ChecksumMode;
import java.util.Objects;

/** Settings of one analysis run that are not about where frames come from. */
public record AnalysisConfig(ChecksumMode checksums) {
    public AnalysisConfig {
        Objects.requireNonNull(checksums, "checksums");
    }

    public static AnalysisConfig defaults() {
        return new AnalysisConfig(ChecksumMode.IGNORE);
    }
}
