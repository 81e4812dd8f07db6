package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.report.AnalyzeJsonRenderer;
import dev.tcpstate.report.AnalyzeTextRenderer;
import dev.tcpstate.report.HtmlRenderer;
import dev.tcpstate.live.StopSignals;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcpstate analyze}: the diagnosis a person reads first. */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = DetectorDefaults.class,
        sortOptions = false,
        description = {"The diagnosis: what the captures hold, how the connections went, and the findings worst "
                + "first (handshake failures, half-open connections, SYN floods, TIME-WAIT buildup), each with "
                + "evidence and advice, then a timeline of SYN rate, half-open and TIME-WAIT counts.",
            "Every finding id is explained in docs/findings.md; the thresholds below are its detectors'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:analysed, findings or not (see 'tcpstate check' for a CI gate)", "2:usage",
            "3:unreadable or corrupt capture", "5:internal error",
            "6:report not written (-o FILE or standard output)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tcpstate analyze samples/syn-flood.pcap",
            "  tcpstate analyze --format json capture.pcap | jq '.findings[] | {id, subject, message}'",
            "  tcpstate analyze --format ndjson capture.pcap | jq -c 'select(.event == \"finding\") | .finding.id'",
            "  tcpstate analyze --flood-rate 20 --time-wait-min 1000 capture.pcapng",
            "  tcpstate analyze --format html -o report.html capture.pcap",
            "  tcpstate analyze --threads 4 rotated-*.pcap     (rotated files merge by time)"})
final class AnalyzeCommand implements Callable<Integer> {
    enum Format { text, json, ndjson, html }

    enum Charts { auto, unicode, ascii }

    /** Timeline buckets in JSON, where no terminal limits them. */
    private static final int JSON_BUCKETS = 100;

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureOptions capture;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json (summary, the connections' tally, findings with all their counts "
                    + "and example connections, timeline, thresholds; the connections themselves are 'tcpstate "
                    + "connections'), ndjson (a line per finding, then a summary line), or html (one self-contained page with charts and a sortable connection table, "
                    + "which keeps every connection).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE instead of standard output.")
    java.nio.file.Path output;

    @Option(names = "--width", paramLabel = "COLUMNS",
            description = "Width of the text report (default: $COLUMNS, else 80).")
    Integer width;

    @Option(names = "--charts", paramLabel = "STYLE", defaultValue = "auto",
            description = "Timeline characters: unicode blocks, ascii, or auto (blocks when the output "
                    + "encoding has them; default).")
    Charts charts;

    @Mixin
    TimeZoneOption timeZone;

    @Mixin
    AnalysisOptions analysisOptions;

    @Override
    public Integer call() throws Exception {
        var config = threads.apply(analysisOptions.config(capture.checksums()));
        var settings = analysisOptions.settings();
        int columns = Terminal.width(width);
        int buckets = format == Format.json || format == Format.ndjson ? JSON_BUCKETS
                : format == Format.html ? HtmlRenderer.BUCKETS : AnalyzeTextRenderer.timelineColumns(columns);
        // opened first: a report that cannot be written should not wait for a long analysis to say so
        try (OutputWriter file = output == null ? null : OutputWriter.open(output)) {
            Analyzer analyzer = new Analyzer(config).selecting(capture.selection());
            Analysis analysis;
            try (StopSignals signals = capture.endStreamsOnSignal()) {
                analysis = analyzer.analyze(capture.captures(), settings, buckets, format == Format.html);
            }
            PrintWriter err = spec.commandLine().getErr();
            capture.noteSignal(err);
            analysis.summary().warnings().forEach(warning -> err.println("tcpstate: warning: " + warning));
            CaptureNotes.flowCap(analysis.evictedFlows(), analysis.forgottenTuples(), config.maxFlows(), err);
            err.flush();
            boolean unicode = output != null || charts == Charts.unicode || charts == Charts.auto && Terminal.unicode();
            if (charts == Charts.ascii) {
                unicode = false;
            }
            // standard output's failures are Main's to report; a file's are this command's
            PrintWriter target = file == null ? spec.commandLine().getOut() : file;
            switch (format) {
                case text -> AnalyzeTextRenderer.render(analysis, columns, unicode, timeZone.times(), target);
                case json -> AnalyzeJsonRenderer.render(analysis, target);
                case ndjson -> AnalyzeJsonRenderer.ndjson(analysis, target);
                case html -> HtmlRenderer.render(analysis, capture.captures(), VersionProvider.version(), timeZone.times(),
                        target);
            }
            if (file != null) {
                file.close();
                if (file.checkError()) {
                    throw new OutputWriter.OutputException(output.toString(), file.failure().orElse("write error"));
                }
                err.println("tcpstate: wrote " + output);
                err.flush();
            }
            return InputFailures.report(analysis.inputFailures(), err, ExitCodes.OK);
        }
    }
}
