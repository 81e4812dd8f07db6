package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.live.Shell;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tcpstate shell CAPTURE}: explore one analysed capture interactively. */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = DetectorDefaults.class,
        sortOptions = false,
        description = {"Explore a capture interactively: the capture is analysed once, then commands with "
                + "completion (Tab) and history show it: summary, findings, conns [--outcome O] [--state S] "
                + "[--host H] [--port P], ladder UID, timewait HOST, help, quit.",
            "History is kept in ~/.tcpstate_history."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:usage", "3:unreadable or corrupt capture"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tcpstate shell samples/syn-flood.pcap",
            "  echo 'conns --outcome refused' | tcpstate shell capture.pcap",})
final class ShellCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CaptureOptions capture;

    @Mixin
    ThreadsOption threads;

    @Mixin
    TimeZoneOption timeZone;

    @Mixin
    AnalysisOptions analysisOptions;

    @Override
    public Integer call() throws Exception {
        Analyzer analyzer = new Analyzer(threads.apply(analysisOptions.config(capture.checksums()))).selecting(capture.selection());
        Analysis analysis = analyzer.analyze(capture.captures(), analysisOptions.settings(), 60, true);
        // said before the shell starts, so that the user knows what the answers leave out
        int code = InputFailures.report(analysis.inputFailures(), spec.commandLine().getErr(), ExitCodes.OK);
        Shell shell = new Shell(analysis, timeZone.times(), uid -> {
            try {
                return analyzer.ladder(capture.captures(), uid);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        shell.runOnSystemTerminal(Path.of(System.getProperty("user.home"), ".tcpstate_history"));
        return code;
    }
}
