package dev.tcpstate.analysis;

import dev.tcpstate.detect.Finding;
import java.util.List;

/** {@code tcpstate check}'s verdict: every rule it applied, passed or not, with the analysis behind it. */
public record CheckResult(List<Rule> rules, Analysis analysis, List<String> captures) {

    public CheckResult {
        rules = List.copyOf(rules);
        captures = List.copyOf(captures);
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

    public boolean passed() {
        return rules.stream().allMatch(Rule::passed);
    }

    public List<Rule> violations() {
        return rules.stream().filter(rule -> !rule.passed()).toList();
    }
}
