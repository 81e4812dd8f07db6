package dev.tcpstate.cli;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.capture.BpfCompiler;
import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.CaptureUnavailableException;
import dev.tcpstate.capture.FrameSelection;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.live.StopSignals;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options every command that reads captures shares, and the frames it keeps of them (as tcpdump -r does).
 * The captures are Paths, not Strings, so that the completion script completes file names ("-", stdin,
 * is a Path too).
 */
final class CaptureOptions {
    private static final int ETHERNET = 1;

    @Parameters(arity = "0..*", paramLabel = "CAPTURE",
            description = "pcap or pcapng file, plain or gzip-compressed; - reads stdin. Several are merged into one "
                    + "stream by timestamp (rotated files, several interfaces), except by stats, which counts each in turn.")
    List<Path> positional = new ArrayList<>();

    @Option(names = {"-r", "--read"}, paramLabel = "FILE",
            description = "A capture to read, as with tcpdump -r and tshark -r (the same as naming it; repeatable).")
    List<Path> read = new ArrayList<>();

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF",
            description = "Analyse only the frames this libpcap filter keeps, as tcpdump -r FILE 'BPF' would "
                    + "(e.g. 'tcp port 443', 'host 10.0.0.2 and not port 22'); needs libpcap.")
    String filter;

    @Option(names = {"-c", "--count"}, paramLabel = "N",
            description = "Stop after N frames (counted after --filter and the time range, as tcpdump -c does).")
    Long count;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Analyse frames from this time on: ISO-8601 (2026-12-03T15:20:00Z, or with an offset) or "
                    + "epoch seconds (1796311238.5).")
    String since;

    @Option(names = "--until", paramLabel = "TIME",
            description = "Analyse frames before this time (same forms as --since).")
    String until;

    @Mixin
    ChecksumOption checksum;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Set by a signal that ended the stdin or pipe captures. */
    private volatile boolean signalled;

    /** The captures to read: those named with -r first, then the others, in the order given. */
    List<String> captures() {
        List<String> all = new ArrayList<>();
        read.forEach(path -> all.add(path.toString()));
        positional.forEach(path -> all.add(path.toString()));
        if (all.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no capture given: name one, or use -r FILE");
        }
        return all;
    }

    /**
     * The frames to keep; a bad time, count or filter is a usage error (the filter is compiled for
     * Ethernet here, so that a typo stops the command before it reads anything).
     */
    FrameSelection selection() throws CaptureUnavailableException {
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, not " + count);
        }
        long from = since == null ? Long.MIN_VALUE : time("--since", since);
        long to = until == null ? Long.MAX_VALUE : time("--until", until);
        if (to <= from) {
            throw new ParameterException(spec.commandLine(), "--until (" + until + ") must come after --since ("
                    + since + ")");
        }
        if (filter != null && !filter.isBlank()) {
            try {
                BpfCompiler.compile(filter, ETHERNET);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return new FrameSelection(filter, from, to, count == null ? Long.MAX_VALUE : count);
    }

    private long time(String option, String text) {
        try {
            if (text.matches("\\d+(\\.\\d{1,9})?")) {
                return new BigDecimal(text).movePointRight(9).longValueExact();
            }
            Instant instant = text.endsWith("Z") || text.endsWith("z") ? Instant.parse(text.toUpperCase(java.util.Locale.ROOT))
                    : OffsetDateTime.parse(text).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ParameterException(spec.commandLine(), option + " '" + text
                    + "' is not a time: expected ISO-8601 with a zone (2026-12-03T15:20:00Z, 2026-12-03T16:20:00+01:00)"
                    + " or epoch seconds (1796311238.5)");
        }
    }

    /**
     * For the reading, when a capture is stdin or a pipe: Ctrl-C (SIGINT), SIGTERM or SIGHUP ends
     * those captures there, as their writer closing them would, so that the command reports what
     * arrived ({@code tcpdump -w - | tcpstate stats -}, then Ctrl-C) and exits with its usual code;
     * a second signal ends the process at once (StopSignals). Null when every capture is a file:
     * a signal then ends the process as usual.
     */
    StopSignals endStreamsOnSignal() {
        if (captures().stream().noneMatch(CaptureFiles::isStream)) {
            return null;
        }
        return StopSignals.install(() -> {
            signalled = true;
            CaptureFiles.endStreams();
        });
    }

    /** Says on stderr that a signal ended the input, when one did: the report covers less than the whole stream. */
    void noteSignal(PrintWriter err) {
        if (signalled) {
            err.println("tcpstate: stopped by a signal: the report covers the input read until then");
        }
    }

    ChecksumMode checksums() {
        return checksum.mode;
    }

    AnalysisConfig config() {
        return new AnalysisConfig(checksums());
    }
}
