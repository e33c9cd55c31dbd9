package io.natsee.broker.config;

import java.util.Objects;

/**
 * Where a key or value was written in a configuration file: the file as it was named, the line
 * (from 1) and the column (from 1, counted in characters; a tab counts as one).
 */
public record ConfigPosition(String file, int line, int column) {

    public ConfigPosition {
        Objects.requireNonNull(file, "file");
    }

    /** An error at this position. */
    public ConfigError error(String message) {
        return new ConfigError(file, line, column, message);
    }

    /** {@code file:line:column}, as compilers and nats-server write positions. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
