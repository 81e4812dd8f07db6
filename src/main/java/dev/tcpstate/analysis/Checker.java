package dev.tcpstate.analysis;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.CaptureFormatException;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Applies {@link CheckRules} to an analysis. */
public final class Checker {
    private Checker() {
    }

    public static CheckResult check(Analysis analysis, CheckRules rules, List<String> captures) {
        List<CheckResult.Rule> results = new ArrayList<>();
        List<Finding> counted = analysis.findings().stream().filter(f -> !rules.allowed().contains(f.type())).toList();
        rules.maxHandshakeFailures().ifPresent(max -> {
            long failures = analysis.detection().handshakeFailures(rules.allowed());
            results.add(new CheckResult.Rule("max-handshake-failures", "at most " + max + " failed handshakes",
                    failures <= max, plural(failures, "failed handshake"), of(counted,
                            Set.of(FindingType.HANDSHAKE_UNANSWERED, FindingType.HANDSHAKE_REFUSED,
                                    FindingType.HANDSHAKE_NO_FINAL_ACK, FindingType.HANDSHAKE_RESET,
                                    FindingType.HANDSHAKE_BAD_SYN_ACK, FindingType.SYN_FLOOD,
                                    FindingType.SYN_FLOOD_SLOW))));
        });
        rules.maxHalfOpen().ifPresent(max -> {
            long halfOpen = (rules.allowed().contains(FindingType.HALF_OPEN_PEER_RESET) ? 0
                    : analysis.detection().halfOpenPeerReset())
                    + (rules.allowed().contains(FindingType.HALF_OPEN_PEER_SILENT) ? 0
                            : analysis.detection().halfOpenPeerSilent());
            results.add(new CheckResult.Rule("max-half-open", "at most " + max + " half-open connections",
                    halfOpen <= max, plural(halfOpen, "half-open connection"),
                    of(counted, Set.of(FindingType.HALF_OPEN_PEER_RESET, FindingType.HALF_OPEN_PEER_SILENT))));
        });
        rules.maxTimeWait().ifPresent(max -> {
            Map<String, Integer> peaks = analysis.detection().timeWaitPeaks();
            var worst = peaks.entrySet().stream().max(Map.Entry.comparingByValue());
            int peak = worst.map(Map.Entry::getValue).orElse(0);
            results.add(new CheckResult.Rule("max-time-wait", "at most " + max + " endpoints of one host in TIME-WAIT",
                    peak <= max, worst.map(w -> "peak " + w.getValue() + " at " + w.getKey())
                            .orElse("no endpoint in TIME-WAIT"), of(counted, Set.of(FindingType.TIME_WAIT_BUILDUP))));
        });
        if (rules.failOnFlood()) {
            List<Finding> floods = of(counted, Set.of(FindingType.SYN_FLOOD, FindingType.SYN_FLOOD_SLOW));
            results.add(new CheckResult.Rule("fail-on-flood", "no SYN flood", floods.isEmpty(),
                    floods.isEmpty() ? "no SYN flood" : floods.size() + " SYN flood" + (floods.size() == 1 ? "" : "s")
                            + " (" + floods.get(0).subject() + ")", floods));
        }
        rules.failOn().ifPresent(least -> {
            List<Finding> severe = counted.stream().filter(f -> f.severity().compareTo(least) >= 0)
                    .sorted(Comparator.comparing(Finding::severity).reversed()).toList();
            results.add(new CheckResult.Rule("fail-on", "no finding of severity " + least.label() + " or worse"
                    + (rules.allowed().isEmpty() ? "" : " (allowed: " + ids(rules.allowed()) + ")"), severe.isEmpty(),
                    severe.isEmpty() ? "none" : severe.size() + " finding" + (severe.size() == 1 ? "" : "s") + ": "
                            + String.join(", ", severe.stream().map(f -> f.type().id() + " " + f.subject()).toList()),
                    severe));
        });
        List<CheckResult.Located> located = analysis.findings().stream()
                .map(finding -> new CheckResult.Located(finding, captureOf(finding, analysis.summary().sources(), captures)))
                .toList();
        List<CheckResult.InputError> errors = analysis.inputFailures().stream()
                .map(e -> new CheckResult.InputError(named(e.source(), captures),
                        e.getMessage() + "; that capture is analysed up to there", true)).toList();
        List<CheckResult.InputWarning> warnings = analysis.summary().warnings().stream()
                .map(w -> new CheckResult.InputWarning(named(w.source(), captures), w.toString())).toList();
        return new CheckResult(results, located, captures, errors, warnings);
    }

    /**
     * The verdict when the captures could not be read at all ({@code failure}: a missing file, one
     * that is not a capture): no rule was checked, and the report says which capture failed.
     */
    public static CheckResult unread(List<String> captures, IOException failure) {
        String message = failure.getMessage();
        String capture = failure instanceof CaptureFormatException format ? named(format.source(), captures)
                : captures.stream().filter(c -> message != null && message.startsWith(c + ": ")).findFirst()
                        .orElse(String.join(" ", captures));
        return new CheckResult(List.of(), List.of(), captures,
                List.of(new CheckResult.InputError(capture, message, false)), List.of());
    }

    /**
     * The capture holding a finding's first packet. Several captures are read as one stream, so
     * this goes by time: the first capture whose frames span the finding's start, else the last
     * one that began before it. Captures of several interfaces at once overlap in time; there the
     * first of them given is named.
     */
    static String captureOf(Finding finding, List<CaptureSummary.SourceSummary> sources, List<String> captures) {
        long start = finding.startNanos();
        CaptureSummary.SourceSummary best = null;
        for (CaptureSummary.SourceSummary source : sources) {
            if (source.timeSpan().isEmpty()) {
                continue;
            }
            CaptureSummary.TimeSpan span = source.timeSpan().get();
            if (span.firstNanos() <= start && start <= span.lastNanos()) {
                return named(source.name(), captures);
            }
            if (span.firstNanos() <= start && (best == null || best.timeSpan().get().firstNanos() < span.firstNanos())) {
                best = source;
            }
        }
        return best != null ? named(best.name(), captures) : captures.isEmpty() ? "" : captures.get(0);
    }

    /** A source's name as the command line gave it: readers call standard input "<stdin>". */
    private static String named(String source, List<String> captures) {
        return source.equals("<stdin>") && captures.contains(CaptureFiles.STDIN) ? CaptureFiles.STDIN : source;
    }

    private static List<Finding> of(List<Finding> findings, Set<FindingType> types) {
        return findings.stream().filter(f -> types.contains(f.type())).toList();
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String ids(Set<FindingType> types) {
        return String.join(", ", types.stream().sorted().map(FindingType::id).toList());
    }
}
