package io.vipflip.config;

import java.util.List;
import java.util.Optional;

/**
 * A parameter that could not be used as it is: its name, every error (each naming a field path of its document
 * and the rule), and the version still running instead, if a valid one was loaded before.
 */
public record ParameterProblem(String parameter, List<String> errors, Optional<String> runningRevision) {
    public ParameterProblem {
        errors = List.copyOf(errors);
    }

    /** One line for logs and answers: {@code /vipflip/prod/groups/web: probe.fall: must be … (still running v2 of …)}. */
    public String describe() {
        return parameter + ": " + String.join("; ", errors)
                + runningRevision.map(r -> " (still running " + r + ")").orElse(" (skipped)");
    }
}
