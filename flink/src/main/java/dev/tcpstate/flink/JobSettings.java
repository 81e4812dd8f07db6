package dev.tcpstate.flink;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.detect.DetectorSettings;
import java.io.Serializable;

/**
 * What every stage of the job is told, as the CLI's defaults make it: checksum handling, the
 * MSL, the uid key, the capture's first packet time, and how far packet times may go back.
 */
public record JobSettings(ChecksumMode checksums, long mslNanos, int uidKey, long captureStartNanos,
        long outOfOrderNanos) implements Serializable {

    AnalysisConfig analysis() {
        return new AnalysisConfig(checksums, mslNanos);
    }

    DetectorSettings detectors() {
        return DetectorSettings.DEFAULTS.withTimeWaitNanos(analysis().timeWaitNanos());
    }
}
