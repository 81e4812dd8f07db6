package dev.tcpstate.cli;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.decode.ChecksumMode;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Options every command that reads captures shares. */
final class CaptureOptions {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE",
            description = "pcap or pcapng file, plain or gzip-compressed; - reads stdin. Several are merged into one "
                    + "stream by timestamp (rotated files, several interfaces), except by stats, which counts each in turn.")
    List<String> captures;

    @Mixin
    ChecksumOption checksum;

    ChecksumMode checksums() {
        return checksum.mode;
    }

    AnalysisConfig config() {
        return new AnalysisConfig(checksums());
    }
}
