package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.analysis.CheckResult;
import dev.tcpstate.analysis.CheckRules;
import dev.tcpstate.analysis.Checker;
import dev.tcpstate.capture.CaptureUnavailableException;
import dev.tcpstate.report.CheckTextRenderer;
import dev.tcpstate.report.JunitRenderer;
import dev.tcpstate.report.SarifRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcpstate check}: a CI gate over captured traffic. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = DetectorDefaults.class,
        sortOptions = false,
        description = {"A CI gate: analyse the captures as 'analyze' does and fail (exit 1) when a rule is broken. "
                + "Rules come from options or a rules file (options win); with none given, any error-severity "
                + "finding fails.",
            "One line per broken rule goes to stderr; the report (text, JUnit XML or SARIF 2.1.0) to stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every rule passed", "1:a rule failed", "2:usage (also a bad rules file)",
            "3:unreadable or corrupt capture (it outranks 1)", "5:internal error", "6:report not written"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tcpstate check --max-half-open 0 --fail-on-flood capture.pcap",
            "  tcpstate check --rules tcp-rules.conf --format junit capture.pcap > tcpstate-junit.xml",
            "  tcpstate check --fail-on warning --allow TS204 --format sarif capture.pcap > tcpstate.sarif",
            "", "A rules file (--rules FILE): one 'key = value' a line, '#' comments, keys as the options:", "",
            "  max-handshake-failures = 0",
            "  max-half-open = 0",
            "  max-time-wait = 5000",
            "  fail-on-flood = true",
            "  fail-on = warning",
            "  allow = TS204, TS402"})
final class CheckCommand implements Callable<Integer> {
    enum Format { text, junit, sarif }

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureOptions capture;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--rules", paramLabel = "FILE", description = "Read rules from FILE (its format: see Examples).")
    Path rulesFile;

    @Option(names = "--max-handshake-failures", paramLabel = "N",
            description = "Fail when more than N handshakes failed (unanswered, refused, no final ACK, reset, bad SYN-ACK).")
    Long maxHandshakeFailures;

    @Option(names = "--max-half-open", paramLabel = "N", description = "Fail when more than N connections were half-open.")
    Long maxHalfOpen;

    @Option(names = "--max-time-wait", paramLabel = "N",
            description = "Fail when a host held more than N endpoints in TIME-WAIT at once.")
    Long maxTimeWait;

    @Option(names = "--fail-on-flood", description = "Fail on a SYN flood finding (TS301, TS302).")
    boolean failOnFlood;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", completionCandidates = Severities.class,
            description = "Fail on any finding of this severity or worse: note, warning, error (default), or none.")
    String failOn;

    /** The words --fail-on takes, for the completion script (the option is a String, checked with the rules file's). */
    static final class Severities implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("note", "warning", "error", "none").iterator();
        }
    }

    @Option(names = "--allow", paramLabel = "ID", split = ",",
            description = "Finding ids or names that never fail a rule (e.g. TS204 or connection-reset); repeatable.")
    List<String> allow = List.of();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), junit (JUnit XML, a testcase per rule) or sarif (SARIF 2.1.0, a result per finding).")
    Format format;

    @Mixin
    AnalysisOptions analysisOptions;

    @Override
    public Integer call() throws Exception {
        CheckRules rules = rules();
        Analyzer analyzer = new Analyzer(threads.apply(analysisOptions.config(capture.checksums()))).selecting(capture.selection());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CheckResult result;
        try {
            Analysis analysis = analyzer.analyze(capture.captures(), analysisOptions.settings(), 10);
            result = Checker.check(analysis, rules, capture.captures());
        } catch (CaptureUnavailableException e) {
            throw e;
        } catch (java.io.IOException e) {
            // nothing could be read: the report still goes out, with the capture that failed as an error
            result = Checker.unread(capture.captures(), e);
        }
        result.warnings().forEach(warning -> err.println("tcpstate: warning: " + warning.message()));
        for (CheckResult.Rule rule : result.violations()) {
            err.println("tcpstate: check failed: " + CheckTextRenderer.line(rule));
        }
        err.flush();
        switch (format) {
            case text -> CheckTextRenderer.render(result, out);
            case junit -> JunitRenderer.render(result, out);
            case sarif -> SarifRenderer.render(result, rules.allowed(), VersionProvider.version(), out);
        }
        out.flush();
        // a gate must not pass on a capture it could not read whole: that outranks the findings
        for (CheckResult.InputError error : result.inputErrors()) {
            err.println("tcpstate: " + error.message());
        }
        err.flush();
        return !result.inputErrors().isEmpty() ? ExitCodes.BAD_INPUT
                : result.passed() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private CheckRules rules() throws java.io.IOException {
        CheckRules rules = CheckRules.DEFAULTS;
        if (rulesFile != null) {
            if (!java.nio.file.Files.isReadable(rulesFile)) {
                throw new IllegalArgumentException("--rules " + rulesFile + ": cannot read it");
            }
            rules = CheckRules.read(rulesFile, rules);
        }
        if (maxHandshakeFailures != null) {
            rules = rules.with("max-handshake-failures", maxHandshakeFailures.toString());
        }
        if (maxHalfOpen != null) {
            rules = rules.with("max-half-open", maxHalfOpen.toString());
        }
        if (maxTimeWait != null) {
            rules = rules.with("max-time-wait", maxTimeWait.toString());
        }
        if (failOnFlood) {
            rules = rules.with("fail-on-flood", "true");
        }
        if (failOn != null) {
            rules = rules.with("fail-on", failOn);
        }
        if (!allow.isEmpty()) {
            rules = rules.with("allow", String.join(",", allow));
        }
        return rules;
    }
}
