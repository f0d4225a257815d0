package io.vipflip.config;

import java.util.List;

/** Every problem found in a configuration document, each naming its JSON path and the rule it breaks. */
public final class ConfigException extends RuntimeException {
    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super("invalid vipflip configuration (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s")
                + "):\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
