package io.natsee.broker.config;

import io.natsee.broker.config.ConfigValue.ArrayValue;
import io.natsee.broker.config.ConfigValue.BooleanValue;
import io.natsee.broker.config.ConfigValue.IntegerValue;
import io.natsee.broker.config.ConfigValue.MapValue;
import io.natsee.broker.config.ConfigValue.StringValue;
import java.util.List;

/**
 * Typed reads of the values inside a configuration block, for the readers of nested blocks
 * ({@code authorization}, {@code tls}). A wrong value becomes a {@link BlockError} that the
 * caller records and then moves on to the next entry, so one pass reports every problem.
 */
final class BlockReader {

    private BlockReader() {
    }

    /** One wrong value; the reader records its error and skips the entry it belongs to. */
    static final class BlockError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ConfigError error;

        BlockError(ConfigPosition at, String message) {
            super(message, null, false, false);
            this.error = at.error(message);
        }
    }

    static String string(ConfigEntry entry) {
        if (entry.value() instanceof StringValue string) {
            return string.value();
        }
        throw wrongType(entry, "a string");
    }

    static boolean bool(ConfigEntry entry) {
        if (entry.value() instanceof BooleanValue bool) {
            return bool.value();
        }
        throw wrongType(entry, "a boolean (true or false)");
    }

    static long integer(ConfigEntry entry) {
        if (entry.value() instanceof IntegerValue integer) {
            return integer.value();
        }
        throw wrongType(entry, "an integer");
    }

    static MapValue map(ConfigEntry entry) {
        if (entry.value() instanceof MapValue map) {
            return map;
        }
        throw wrongType(entry, "a block { ... }");
    }

    /** A single string or an array of strings, as nats-server accepts for lists of names. */
    static List<StringValue> strings(ConfigEntry entry, String elementName) {
        ConfigValue value = entry.value();
        if (value instanceof StringValue string) {
            return List.of(string);
        }
        if (value instanceof ArrayValue array) {
            return array.elements().stream().map(element -> {
                if (element instanceof StringValue string) {
                    return string;
                }
                throw new BlockError(element.position(), elementName + " must be a string, not " + describe(element));
            }).toList();
        }
        throw wrongType(entry, "a string or an array of strings");
    }

    /** Keys whose values are secrets: errors name their type but never show them. */
    private static final java.util.Set<String> SECRET_KEYS = java.util.Set.of("pass", "password", "token");

    /** {@code "key" expects <expected>, not <type> (<value>)}, at the value; secrets are not shown. */
    static BlockError wrongType(ConfigEntry entry, String expected) {
        boolean secret = SECRET_KEYS.contains(entry.key().toLowerCase(java.util.Locale.ROOT));
        return new BlockError(entry.value().position(), "\"" + entry.key() + "\" expects " + expected + ", not "
                + (secret ? entry.value().typeName() : describe(entry.value())));
    }

    /** The value's type, with the value itself when it is short and printable. */
    static String describe(ConfigValue value) {
        if (value instanceof StringValue string) {
            return "a string (\"" + string.value() + "\")";
        }
        if (value instanceof IntegerValue integer) {
            return "an integer (" + integer.text() + ")";
        }
        if (value instanceof BooleanValue bool) {
            return "a boolean (" + bool.value() + ")";
        }
        return value.typeName();
    }

    /** nats-server's {@code unknown field} error for a key it does not read (unless a variable used it). */
    static void unknownField(ConfigEntry entry, List<ConfigError> errors) {
        if (!entry.usedAsVariable()) {
            errors.add(entry.keyPosition().error("unknown field \"" + entry.key() + "\""));
        }
    }
}
