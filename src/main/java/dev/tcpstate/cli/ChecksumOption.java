package dev.tcpstate.cli;

import dev.tcpstate.decode.ChecksumMode;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --checksums validate|ignore}, for every command that decodes frames (files or live). */
final class ChecksumOption {
    @Option(names = "--checksums", paramLabel = "MODE", defaultValue = "ignore", converter = Converter.class,
            completionCandidates = Modes.class,
            description = "validate: skip frames with a wrong IPv4 or TCP checksum; ignore (default): keep "
                    + "them, as captures on the sending host carry offloaded, unfinished checksums.")
    ChecksumMode mode;

    /** What the completion script offers: the words the converter accepts, not the enum's upper-case names. */
    static final class Modes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("validate", "ignore").iterator();
        }
    }

    static final class Converter implements ITypeConverter<ChecksumMode> {
        @Override
        public ChecksumMode convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "validate" -> ChecksumMode.VALIDATE;
                case "ignore" -> ChecksumMode.IGNORE;
                default -> throw new TypeConversionException(
                        "(expected: validate or ignore)");
            };
        }
    }
}
