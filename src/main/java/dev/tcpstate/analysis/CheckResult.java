package dev.tcpstate.analysis;

import dev.tcpstate.detect.Finding;
import java.util.List;

/**
 * {@code tcpstate check}'s verdict: every rule it applied, passed or not; the findings, each with
 * the capture it came from; and the captures it could not read whole. A run whose input failed
 * never passes, whatever the rules say: what was not read was not checked.
 */
public record CheckResult(List<Rule> rules, List<Located> findings, List<String> captures,
        List<InputError> inputErrors, List<InputWarning> warnings) {

    public CheckResult {
        rules = List.copyOf(rules);
        findings = List.copyOf(findings);
        captures = List.copyOf(captures);
        inputErrors = List.copyOf(inputErrors);
        warnings = List.copyOf(warnings);
    }

    /**
     * One rule: its name (as in the rules file), what it requires, whether it passed, what was
     * found (one line), and the findings that are the evidence.
     */
    public record Rule(String name, String requirement, boolean passed, String result, List<Finding> evidence) {
        public Rule {
            evidence = List.copyOf(evidence);
        }
    }

    /** A finding and the capture (as given on the command line) that holds its first packet. */
    public record Located(Finding finding, String capture) {
    }

    /**
     * A capture that could not be read whole: corrupt part-way ({@code partlyRead}: analysed up to
     * there) or not read at all (missing, unreadable, not a capture). The message names it.
     */
    public record InputError(String capture, String message, boolean partlyRead) {
    }

    /** A problem that did not stop the reading, such as a cut last record. */
    public record InputWarning(String capture, String message) {
    }

    public boolean passed() {
        return inputErrors.isEmpty() && rules.stream().allMatch(Rule::passed);
    }

    public List<Rule> violations() {
        return rules.stream().filter(rule -> !rule.passed()).toList();
    }
}
