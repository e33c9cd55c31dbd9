package io.natsee.broker.config;

import java.util.List;

/**
 * Thrown when a configuration file cannot be used; it carries every problem found, not just
 * the first, and its message lists them one per line.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<ConfigError> errors;

    /**
     * @param errors at least one problem, in the order they were found
     */
    public ConfigException(List<ConfigError> errors) {
        super(message(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** Every problem found, in the order they were found. */
    public List<ConfigError> errors() {
        return errors;
    }

    private static String message(List<ConfigError> errors) {
        StringBuilder text = new StringBuilder();
        for (ConfigError error : errors) {
            if (text.length() > 0) {
                text.append(System.lineSeparator());
            }
            text.append(error);
        }
        return text.toString();
    }
}
