package dev.tcpstate.report;

import dev.tcpstate.analysis.CheckResult;
import java.io.PrintWriter;

/** {@code tcpstate check} as text: a line per capture not read whole, a line per rule, then the verdict. */
public final class CheckTextRenderer {
    private CheckTextRenderer() {
    }

    public static void render(CheckResult result, PrintWriter out) {
        for (CheckResult.InputError error : result.inputErrors()) {
            out.println("ERROR " + error.message());
        }
        for (CheckResult.Rule rule : result.rules()) {
            out.println((rule.passed() ? "pass  " : "FAIL  ") + line(rule));
        }
        int failed = result.violations().size();
        int unread = result.inputErrors().size();
        String rules = failed + " of " + result.rules().size() + " rules";
        if (unread > 0) {
            out.println("check failed: " + unread + " capture" + (unread == 1 ? "" : "s") + " not read whole"
                    + (failed > 0 ? ", " + rules : ""));
        } else {
            out.println(failed == 0 ? "check passed: " + result.rules().size() + " rule"
                    + (result.rules().size() == 1 ? "" : "s") : "check failed: " + rules);
        }
        out.flush();
    }

    /** "max-half-open: 3 half-open connections (expected: at most 0 half-open connections)". */
    public static String line(CheckResult.Rule rule) {
        return rule.name() + ": " + rule.result() + " (expected: " + rule.requirement() + ")";
    }
}
