package dev.tcpstate.cli;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.decode.ChecksumMode;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every command that reads captures shares. */
final class CaptureOptions {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE",
            description = "pcap or pcapng file, plain or gzip-compressed; - reads stdin. Several are merged into one "
                    + "stream by timestamp (rotated files, several interfaces), except by stats, which counts each in turn.")
    List<String> captures;

    @Option(names = "--checksums", paramLabel = "MODE", defaultValue = "ignore",
            converter = ChecksumModeConverter.class,
            description = "validate: skip frames with a wrong IPv4 or TCP checksum; ignore (default): keep "
                    + "them, as captures on the sending host carry offloaded, unfinished checksums.")
    ChecksumMode checksums;

    AnalysisConfig config() {
        return new AnalysisConfig(checksums);
    }

    static final class ChecksumModeConverter implements picocli.CommandLine.ITypeConverter<ChecksumMode> {
        @Override
        public ChecksumMode convert(String value) {
            return switch (value) {
                case "validate" -> ChecksumMode.VALIDATE;
                case "ignore" -> ChecksumMode.IGNORE;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a checksum mode (expected: validate or ignore)");
            };
        }
    }
}
