package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.report.AnalyzeJsonRenderer;
import dev.tcpstate.report.AnalyzeTextRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcpstate analyze}: the diagnosis a person reads first. */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"The diagnosis: what the captures hold, how the connections went, and the findings worst "
                + "first (handshake failures, half-open connections, SYN floods, TIME-WAIT buildup), each with "
                + "evidence and advice, then a timeline of SYN rate, half-open and TIME-WAIT counts.",
            "Every finding id is explained in docs/findings.md; the thresholds below are its detectors'."},
        footer = {"", "Examples:",
            "  tcpstate analyze samples/syn-flood.pcap",
            "  tcpstate analyze --format json capture.pcap | jq '.findings[] | {id, subject, message}'",
            "  tcpstate analyze --flood-rate 20 --time-wait-min 1000 capture.pcapng",
            "", "Exit codes: 0 analysed (findings or not; see 'tcpstate check' for a CI gate), 2 usage, "
                    + "3 unreadable or corrupt capture, 5 internal error."})
final class AnalyzeCommand implements Callable<Integer> {
    enum Format { text, json }

    enum Charts { auto, unicode, ascii }

    /** Timeline buckets in JSON, where no terminal limits them. */
    private static final int JSON_BUCKETS = 100;

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureOptions capture;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json (everything: summary, every connection, findings with all "
                    + "their evidence, timeline, thresholds).")
    Format format;

    @Option(names = "--width", paramLabel = "COLUMNS",
            description = "Width of the text report (default: $COLUMNS, else 80).")
    Integer width;

    @Option(names = "--charts", paramLabel = "STYLE", defaultValue = "auto",
            description = "Timeline characters: unicode blocks, ascii, or auto (blocks when the output "
                    + "encoding has them; default).")
    Charts charts;

    @Mixin
    TrackingOptions tracking;

    @Mixin
    DetectorOptions detectors;

    @Override
    public Integer call() throws Exception {
        var config = tracking.config(capture.checksums);
        var settings = detectors.settings();
        int columns = Terminal.width(width);
        int buckets = format == Format.json ? JSON_BUCKETS : AnalyzeTextRenderer.timelineColumns(columns);
        Analysis analysis = new Analyzer(config).analyze(capture.captures, settings, buckets);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        analysis.summary().warnings().forEach(warning -> err.println("tcpstate: warning: " + warning));
        err.flush();
        switch (format) {
            case text -> AnalyzeTextRenderer.render(analysis, columns,
                    charts == Charts.unicode || charts == Charts.auto && Terminal.unicode(), out);
            case json -> AnalyzeJsonRenderer.render(analysis, out);
        }
        return ExitCodes.OK;
    }
}
