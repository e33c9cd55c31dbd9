package io.natsee.broker.config;

import java.util.Objects;

/**
 * One {@code key: value} pair of a configuration block, with the position of its key and
 * whether a {@code $variable} reference used it.
 *
 * <p>nats-server treats a top-level key that a variable reference used as a variable
 * definition rather than an option, so the loader needs to know; the parser marks the entry
 * while it resolves references, which is why this one flag is mutable.
 */
public final class ConfigEntry {

    private final String key;
    private final ConfigPosition keyPosition;
    private final ConfigValue value;
    private boolean usedAsVariable;

    public ConfigEntry(String key, ConfigPosition keyPosition, ConfigValue value) {
        this.key = Objects.requireNonNull(key, "key");
        this.keyPosition = Objects.requireNonNull(keyPosition, "keyPosition");
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The key as written, case preserved. */
    public String key() {
        return key;
    }

    /** Where the key starts. */
    public ConfigPosition keyPosition() {
        return keyPosition;
    }

    public ConfigValue value() {
        return value;
    }

    /** Whether a {@code $key} reference somewhere after this entry resolved to it. */
    public boolean usedAsVariable() {
        return usedAsVariable;
    }

    void markUsedAsVariable() {
        usedAsVariable = true;
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
