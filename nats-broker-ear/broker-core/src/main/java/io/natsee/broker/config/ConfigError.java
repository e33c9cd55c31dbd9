package io.natsee.broker.config;

import java.util.Objects;

/**
 * One problem found in a configuration file, with the file, line and column it concerns
 * (line and column are 0 when the problem concerns the whole file, such as a missing file).
 */
public record ConfigError(String file, int line, int column, String message) {

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** The position this error points at. */
    public ConfigPosition position() {
        return new ConfigPosition(file, line, column);
    }

    /** {@code file:line:column: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
