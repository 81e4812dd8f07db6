package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.analysis.CaptureSummary;
import dev.tcpstate.live.StopSignals;
import dev.tcpstate.report.StatsJsonRenderer;
import dev.tcpstate.report.StatsTextRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Read captures and count what is in them: frames, TCP segments decoded, frames skipped "
                + "by reason, link types, bytes and time span. No connection analysis; a quick look at a "
                + "capture, and a check that tcpstate can read it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok (also when Ctrl-C or SIGTERM ends a stream: the report covers what was read)", "2:usage",
            "3:unreadable or corrupt capture", "5:internal error", "6:output not written"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tcpstate stats samples/client-close.pcap",
            "  tcpstate stats --format json capture.pcapng.gz",
            "  tcpdump -i eth0 -w - -c 1000 | tcpstate stats -",})
final class StatsCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureOptions capture;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json.")
    Format format;

    @Mixin
    TimeZoneOption timeZone;

    @Override
    public Integer call() throws Exception {
        Analyzer analyzer = new Analyzer(capture.config()).selecting(capture.selection());
        Analyzer.Reading reading;
        try (StopSignals signals = capture.endStreamsOnSignal()) {
            reading = analyzer.statistics(capture.captures());
        }
        CaptureSummary summary = reading.summary();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        capture.noteSignal(err);
        summary.warnings().forEach(warning -> err.println("tcpstate: warning: " + warning));
        err.flush();
        switch (format) {
            case text -> StatsTextRenderer.render(summary, timeZone.times(), out);
            case json -> StatsJsonRenderer.render(summary, out);
        }
        out.flush();
        return InputFailures.report(reading.failures(), err, ExitCodes.OK);
    }
}
