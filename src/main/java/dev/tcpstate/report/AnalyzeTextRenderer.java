package dev.tcpstate.report;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.ConnectionTally;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.Severity;
import dev.tcpstate.detect.Timeline;
import dev.tcpstate.flow.ConnectionRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code tcpstate analyze} for people, in the order they read it: what the capture holds, how the
 * connections went, the findings worst first (each with its message, a few connections, a line of
 * advice and where it is explained), and a timeline of SYN rate, half-open and TIME-WAIT counts.
 */
public final class AnalyzeTextRenderer {
    /** Evidence lines shown per finding (JSON carries them all). */
    private static final int EVIDENCE_LINES = 3;
    private static final String INDENT = "  ";
    private static final int LABEL = 13;

    private AnalyzeTextRenderer() {
    }

    /** Timeline columns that fit {@code width}: what is left after the label and the peak. */
    public static int timelineColumns(int width) {
        return Math.max(10, width - LABEL - 16);
    }

    /** What lists every connection of a finding: for a file, {@code tcpstate connections} on it. */
    public static final String ALL_CONNECTIONS = "tcpstate connections shows them all";

    public static void render(Analysis analysis, int width, boolean unicode, TimeFormat times, PrintWriter out) {
        render(analysis, width, unicode, times, ALL_CONNECTIONS, out);
    }

    /** As above; {@code allConnections} says where every connection of a finding can be seen. */
    public static void render(Analysis analysis, int width, boolean unicode, TimeFormat times, String allConnections,
            PrintWriter out) {
        summary(analysis, width, times, out);
        out.println();
        findings(analysis.findings(), width, times, allConnections, out);
        out.println();
        timeline(analysis.timeline(), unicode, times, out);
        out.flush();
    }

    /** The capture as {@code stats} prints it (long lines wrapped under their label) and the connections' tally. */
    public static void summary(Analysis analysis, int width, TimeFormat times, PrintWriter out) {
        java.io.StringWriter stats = new java.io.StringWriter();
        StatsTextRenderer.render(analysis.summary(), times, new PrintWriter(stats));
        stats.toString().lines().forEach(line -> wrap(out, line.substring(0, Math.min(LABEL, line.length())),
                line.substring(Math.min(LABEL, line.length())), width));
        out.println();
        connections(analysis.connections(), out);
        if (analysis.evictedFlows() > 0) {
            line(out, "evicted", String.format(Locale.ROOT, "%,d connections left the flow table early (--max-flows); "
                    + "they are reported as they stood", analysis.evictedFlows()));
        }
        if (analysis.forgottenTuples() > 0) {
            line(out, "forgotten", String.format(Locale.ROOT, "%,d ended four-tuples forgotten early (--max-flows); "
                    + "new connections on them were not checked for TIME-WAIT reuse or a repeated SYN",
                    analysis.forgottenTuples()));
        }
        out.flush();
    }

    private static void connections(ConnectionTally connections, PrintWriter out) {
        line(out, "connections", String.format(Locale.ROOT, "%,d", connections.total())
                + (connections.total() == 0 ? "" : ": " + tally(connections.byOutcome())));
        if (connections.total() > 0) {
            line(out, "zeek states", tally(connections.byConnState()));
        }
        Map<String, Long> timeWait = connections.timeWaitAtEnd();
        String text = String.format(Locale.ROOT, "%,d endpoints at the end", connections.timeWaitEndpointsAtEnd());
        List<String> hosts = timeWait.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d", e.getValue())).toList();
        line(out, "time-wait", text + (hosts.isEmpty() ? "" : ": " + String.join(", ", hosts)
                + (timeWait.size() > hosts.size() ? ", ..." : "")));
    }

    /** "2,000 no-final-ack, 20 complete": counts by key, largest first. */
    private static String tally(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> parts.add(String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey())));
        return String.join(", ", parts);
    }

    /** The findings, worst first, each with its message, evidence, advice and docs anchor. */
    public static void findings(List<Finding> findings, int width, TimeFormat times, PrintWriter out) {
        findings(findings, width, times, ALL_CONNECTIONS, out);
    }

    private static void findings(List<Finding> findings, int width, TimeFormat times, String allConnections,
            PrintWriter out) {
        if (findings.isEmpty()) {
            line(out, "findings", "none");
            return;
        }
        Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
        findings.forEach(finding -> bySeverity.merge(finding.severity(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        for (Severity severity : List.of(Severity.ERROR, Severity.WARNING, Severity.NOTE)) {
            int n = bySeverity.getOrDefault(severity, 0);
            if (n > 0) {
                parts.add(n + " " + severity.label() + (n == 1 ? "" : "s"));
            }
        }
        line(out, "findings", String.join(", ", parts));
        for (Finding finding : findings) {
            out.println();
            out.println(String.format(Locale.ROOT, "%-8s %s %s  %s  %s .. %s", finding.severity().label().toUpperCase(Locale.ROOT),
                    finding.type().id(), finding.type().title(), finding.subject(), times.clock(finding.startNanos()),
                    times.clock(finding.endNanos())));
            wrap(out, INDENT, finding.message(), width);
            List<Finding.Evidence> evidence = finding.evidence();
            for (int i = 0; i < Math.min(EVIDENCE_LINES, evidence.size()); i++) {
                Finding.Evidence e = evidence.get(i);
                // an 18-character uid and an IPv6 connection do not fit 80 columns in one line
                wrap(out, INDENT + (i == 0 ? "evidence: " : "          "), e.uid() + " " + e.connection() + " "
                        + e.outcome() + " " + times.clock(e.tsNanos()), width);
            }
            int more = countOf(finding) - Math.min(EVIDENCE_LINES, evidence.size());
            if (more > 0) {
                out.println(INDENT + "          ... and " + String.format(Locale.ROOT, "%,d", more)
                        + " more (" + allConnections + ")");
            }
            wrap(out, INDENT + "advice:   ", finding.advice(), width);
            out.println(INDENT + "see:      " + finding.type().documentation());
        }
    }

    /** How many connections a finding is about, as far as its counts say. */
    private static int countOf(Finding finding) {
        for (String key : List.of("connections", "failures", "half_open", "segments", "entered")) {
            Number value = finding.counts().get(key);
            if (value != null) {
                return value.intValue();
            }
        }
        return finding.evidence().size();
    }

    /**
     * Sparklines of attempts per second (each column's mean), half-open and TIME-WAIT counts; the
     * attempts' peak, and the half-open attempts' (as TS301/TS302 count them), are the most begun
     * in one real second, whatever a column's width.
     */
    public static void timeline(Timeline timeline, boolean unicode, TimeFormat times, PrintWriter out) {
        if (timeline.startNanos() == 0 && max(timeline.synsPerSecond()) == 0) {
            line(out, "timeline", "none (no frames)");
            return;
        }
        line(out, "timeline", times.dateTime(timeline.startNanos()) + ", " + Times.seconds(timeline.bucketNanos())
                + " s per column");
        Timeline.Peaks peaks = timeline.peaksPerSecond();
        series(out, "attempts/s", Sparkline.of(timeline.synsPerSecond(), unicode), peaks.attempts());
        series(out, "half-open", Sparkline.of(timeline.halfOpen(), unicode), max(timeline.halfOpen()));
        series(out, "TIME-WAIT", Sparkline.of(timeline.timeWait(), unicode), max(timeline.timeWait()));
        line(out, "peaks", String.format(Locale.ROOT, "in one second: %,d attempts, %,d half-open attempts",
                peaks.attempts(), peaks.halfOpenAttempts()));
    }

    private static void series(PrintWriter out, String label, String line, double peak) {
        out.printf(Locale.ROOT, "%-13s%s  peak %,.0f%n", label, line, peak);
    }

    private static double max(double[] values) {
        double max = 0;
        for (double value : values) {
            max = Math.max(max, value);
        }
        return max;
    }

    private static double max(long[] values) {
        long max = 0;
        for (long value : values) {
            max = Math.max(max, value);
        }
        return max;
    }

    private static void line(PrintWriter out, String label, String text) {
        out.printf(Locale.ROOT, "%-" + LABEL + "s%s%n", label, text);
    }

    /** Words of {@code text} after {@code first}, wrapped at {@code width}, continued under it. */
    private static void wrap(PrintWriter out, String first, String text, int width) {
        String indent = " ".repeat(first.length());
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > width) {
                out.println(line);
                line = new StringBuilder(indent);
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(word);
            empty = false;
        }
        out.println(line);
    }
}
