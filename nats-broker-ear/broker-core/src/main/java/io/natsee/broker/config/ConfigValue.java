package io.natsee.broker.config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A value read from a configuration file, remembering where it was written; one of the
 * nested record types, mirroring the types nats-server's parser produces.
 */
public sealed interface ConfigValue {

    /** Where the value starts; for a {@code $variable} reference, where the reference is. */
    ConfigPosition position();

    /** The same value at another position, used when a variable reference copies it. */
    ConfigValue withPosition(ConfigPosition position);

    /** A short description of the type for error messages, such as "a string". */
    String typeName();

    /**
     * The value as plain Java objects: {@link String}, {@link Long}, {@link Double},
     * {@link Boolean}, {@link Instant}, {@code List<Object>} or {@code Map<String, Object>}.
     */
    Object toPlain();

    /** A quoted, bare or block string; durations are strings too. */
    record StringValue(String value, ConfigPosition position) implements ConfigValue {
        public StringValue {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(position, "position");
        }

        @Override
        public StringValue withPosition(ConfigPosition position) {
            return new StringValue(value, position);
        }

        @Override
        public String typeName() {
            return "a string";
        }

        @Override
        public Object toPlain() {
            return value;
        }
    }

    /** An integer, with any size suffix already applied ({@code 1KB} is 1024); text is as written. */
    record IntegerValue(long value, String text, ConfigPosition position) implements ConfigValue {
        public IntegerValue {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(position, "position");
        }

        @Override
        public IntegerValue withPosition(ConfigPosition position) {
            return new IntegerValue(value, text, position);
        }

        @Override
        public String typeName() {
            return "an integer";
        }

        @Override
        public Object toPlain() {
            return value;
        }
    }

    /** A number with a fractional part, such as {@code 1.5}. */
    record FloatValue(double value, ConfigPosition position) implements ConfigValue {
        public FloatValue {
            Objects.requireNonNull(position, "position");
        }

        @Override
        public FloatValue withPosition(ConfigPosition position) {
            return new FloatValue(value, position);
        }

        @Override
        public String typeName() {
            return "a float";
        }

        @Override
        public Object toPlain() {
            return value;
        }
    }

    /** {@code true}/{@code yes}/{@code on} or {@code false}/{@code no}/{@code off}, any case. */
    record BooleanValue(boolean value, ConfigPosition position) implements ConfigValue {
        public BooleanValue {
            Objects.requireNonNull(position, "position");
        }

        @Override
        public BooleanValue withPosition(ConfigPosition position) {
            return new BooleanValue(value, position);
        }

        @Override
        public String typeName() {
            return "a boolean";
        }

        @Override
        public Object toPlain() {
            return value;
        }
    }

    /** An ISO 8601 date and time in Zulu form, such as {@code 2023-01-31T12:00:00Z}. */
    record DateValue(Instant value, ConfigPosition position) implements ConfigValue {
        public DateValue {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(position, "position");
        }

        @Override
        public DateValue withPosition(ConfigPosition position) {
            return new DateValue(value, position);
        }

        @Override
        public String typeName() {
            return "a date";
        }

        @Override
        public Object toPlain() {
            return value;
        }
    }

    /** A {@code [ ... ]} list of values. */
    record ArrayValue(List<ConfigValue> elements, ConfigPosition position) implements ConfigValue {
        public ArrayValue {
            elements = List.copyOf(elements);
            Objects.requireNonNull(position, "position");
        }

        @Override
        public ArrayValue withPosition(ConfigPosition position) {
            return new ArrayValue(elements, position);
        }

        @Override
        public String typeName() {
            return "an array";
        }

        @Override
        public Object toPlain() {
            List<Object> plain = new ArrayList<>(elements.size());
            for (ConfigValue element : elements) {
                plain.add(element.toPlain());
            }
            return Collections.unmodifiableList(plain);
        }
    }

    /** A {@code { ... }} block, and the whole file; entries keep the order they were written in. */
    record MapValue(Map<String, ConfigEntry> entries, ConfigPosition position) implements ConfigValue {
        public MapValue {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            Objects.requireNonNull(position, "position");
        }

        /** The entry with exactly this key, or {@code null}. */
        public ConfigEntry entry(String key) {
            return entries.get(key);
        }

        /** The value with exactly this key, or {@code null}. */
        public ConfigValue get(String key) {
            ConfigEntry entry = entries.get(key);
            return entry == null ? null : entry.value();
        }

        @Override
        public MapValue withPosition(ConfigPosition position) {
            return new MapValue(entries, position);
        }

        @Override
        public String typeName() {
            return "a block";
        }

        @Override
        public Object toPlain() {
            Map<String, Object> plain = new LinkedHashMap<>();
            for (ConfigEntry entry : entries.values()) {
                plain.put(entry.key(), entry.value().toPlain());
            }
            return Collections.unmodifiableMap(plain);
        }
    }
}
