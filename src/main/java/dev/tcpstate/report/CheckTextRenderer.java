package dev.tcpstate.report;

import dev.tcpstate.analysis.CheckResult;
import java.io.PrintWriter;

/** {@code tcpstate check} as text: a line per rule, then the verdict. */
public final class CheckTextRenderer {
    private CheckTextRenderer() {
    }

    public static void render(CheckResult result, PrintWriter out) {
        for (CheckResult.Rule rule : result.rules()) {
            out.println((rule.passed() ? "pass  " : "FAIL  ") + line(rule));
        }
        int failed = result.violations().size();
        out.println(failed == 0 ? "check passed: " + result.rules().size() + " rule" + (result.rules().size() == 1 ? "" : "s")
                : "check failed: " + failed + " of " + result.rules().size() + " rules");
        out.flush();
    }

    /** "max-half-open: 3 half-open connections (expected: at most 0 half-open connections)". */
    public static String line(CheckResult.Rule rule) {
        return rule.name() + ": " + rule.result() + " (expected: " + rule.requirement() + ")";
    }
}
