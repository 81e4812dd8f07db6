package dev.tcpstate.report;

import dev.tcpstate.analysis.CheckResult;
import dev.tcpstate.detect.Finding;
import java.io.PrintWriter;

/**
 * {@code check --format junit}: JUnit XML as CI systems read it (Jenkins, GitLab, GitHub
 * reporters): one {@code testsuite} for the run, one {@code testcase} per rule, a
 * {@code failure} with the findings as evidence for each rule that failed, and a testcase with an
 * {@code error} for each capture that could not be read whole; warnings (a cut last record) go
 * to the suite's {@code system-err}.
 */
public final class JunitRenderer {
    private JunitRenderer() {
    }

    public static void render(CheckResult result, PrintWriter out) {
        int failures = result.violations().size();
        int errors = result.inputErrors().size();
        int tests = errors + result.rules().size();
        String suite = "tcpstate check " + String.join(" ", result.captures());
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.printf("<testsuites name=\"tcpstate\" tests=\"%d\" failures=\"%d\" errors=\"%d\">%n", tests, failures,
                errors);
        out.printf("  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" timestamp=\"%s\">%n",
                Xml.escape(suite), tests, failures, errors, java.time.Instant.now().truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS).toString().replace("Z", ""));
        // a capture that could not be read is an error, not a pass: what was not read was not checked
        for (CheckResult.InputError error : result.inputErrors()) {
            out.printf("    <testcase classname=\"tcpstate.capture\" name=\"%s\" time=\"0\">%n", Xml.escape(error.capture()));
            out.printf("      <error message=\"%s\" type=\"%s\">%s</error>%n", Xml.escape(error.message()),
                    error.partlyRead() ? "corrupt-capture" : "unreadable-capture", Xml.escape(error.message()));
            out.println("    </testcase>");
        }
        for (CheckResult.Rule rule : result.rules()) {
            out.printf("    <testcase classname=\"tcpstate.check\" name=\"%s\" time=\"0\"", Xml.escape(rule.name()));
            if (rule.passed()) {
                out.println("/>");
                continue;
            }
            out.println(">");
            out.printf("      <failure message=\"%s\" type=\"%s\">%s</failure>%n", Xml.escape(CheckTextRenderer.line(rule)),
                    Xml.escape(rule.evidence().isEmpty() ? rule.name() : rule.evidence().get(0).type().id()),
                    Xml.escape(evidence(rule)));
            out.println("    </testcase>");
        }
        if (!result.warnings().isEmpty()) {
            StringBuilder warnings = new StringBuilder();
            result.warnings().forEach(warning -> warnings.append("warning: ").append(warning.message()).append('\n'));
            out.printf("    <system-err>%s</system-err>%n", Xml.escape(warnings.toString()));
        }
        out.println("  </testsuite>");
        out.println("</testsuites>");
        out.flush();
    }

    private static String evidence(CheckResult.Rule rule) {
        StringBuilder text = new StringBuilder(CheckTextRenderer.line(rule)).append('\n');
        for (Finding finding : rule.evidence()) {
            text.append('\n').append(finding.severity().label().toUpperCase(java.util.Locale.ROOT)).append(' ')
                    .append(finding.type().id()).append(' ').append(finding.type().title()).append(' ')
                    .append(finding.subject()).append('\n').append(finding.message()).append('\n');
            for (Finding.Evidence e : finding.evidence()) {
                text.append("  ").append(e.uid()).append(' ').append(e.connection()).append(' ').append(e.outcome())
                        .append('\n');
            }
            text.append("  see ").append(finding.type().documentation()).append('\n');
        }
        return text.toString();
    }
}
