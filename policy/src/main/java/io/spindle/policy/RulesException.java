package io.spindle.policy;

import java.util.List;

/** A rules file that cannot be used: every problem, each as {@code path: reason}. */
public final class RulesException extends IllegalArgumentException {
    private final List<String> problems;

    RulesException(String source, List<String> problems) {
        super(source + ": " + problems.size() + (problems.size() == 1 ? " problem: " : " problems: ") + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem: {@code rules[2].match.kind: 'start' is not a kind (...)}. */
    public List<String> problems() {
        return problems;
    }
}
