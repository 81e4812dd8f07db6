package dev.tcpstate.cli;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.detect.DetectorSettings;
import picocli.CommandLine.Mixin;

/**
 * Everything about how an analysis runs, for the commands that find findings (analyze, check,
 * shell, watch): how connections are tracked, and every detector threshold.
 */
final class AnalysisOptions {
    @Mixin
    TrackingOptions tracking;

    @Mixin
    DetectorOptions detectors;

    @Mixin
    UidSeedOption uidSeed;

    AnalysisConfig config(ChecksumMode checksums) {
        return tracking.config(checksums);
    }

    DetectorSettings settings() {
        return detectors.settings();
    }
}
