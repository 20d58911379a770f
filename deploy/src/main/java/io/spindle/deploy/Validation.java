package io.spindle.deploy;

import java.util.List;

/**
 * What validating a manifest found.
 *
 * @param application the model as far as it could be read (null when the document is malformed or not an object);
 *                    only fit to deploy when {@link #valid()}
 * @param problems    every problem, in document order of discovery
 */
public record Validation(Application application, List<Problem> problems) {
    public Validation {
        problems = List.copyOf(problems);
    }

    /** True when there is no problem. */
    public boolean valid() {
        return problems.isEmpty() && application != null;
    }
}
