package io.natsee.broker.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command-line parser that reads arguments as Go's {@code flag} package does, which is what
 * nats-server uses: one or two dashes alike ({@code -port}, {@code --port}), values as
 * {@code -port=4222} or {@code -port 4222}, boolean flags only as {@code -D} or {@code -D=false},
 * {@code --} ending the flags, parsing stopping at the first argument that is not a flag, and
 * Go's error texts ({@code flag provided but not defined: -x}).
 */
final class GoFlags {

    /** What a flag holds. */
    enum Kind {
        /** {@code true}/{@code false}; given alone it means {@code true}. */
        BOOLEAN,
        /** Any text, the empty text included. */
        STRING,
        /** A 64-bit integer as Go's {@code strconv.ParseInt(s, 0, 64)} reads it. */
        INTEGER
    }

    /** A flag: the key its value is stored under, and its kind. */
    record Definition(String key, Kind kind) {
    }

    /**
     * The result of parsing.
     *
     * @param values the value of each flag given, by key; the last occurrence wins. Booleans are
     *               {@link Boolean}, integers {@link Long}, strings {@link String}
     * @param names the name each key was last given as, without dashes (for messages)
     * @param arguments the arguments after the flags
     */
    record Parsed(Map<String, Object> values, Map<String, String> names, List<String> arguments) {
    }

    private final Map<String, Definition> definitions = new HashMap<>();

    /** Defines a flag under each of its names (without dashes). */
    GoFlags define(String key, Kind kind, String... names) {
        Definition definition = new Definition(key, kind);
        for (String name : names) {
            if (definitions.putIfAbsent(name, definition) != null) {
                throw new IllegalArgumentException("flag redefined: " + name);
            }
        }
        return this;
    }

    /**
     * Parses the arguments.
     *
     * @throws FlagException with Go's text for the first argument it cannot read
     */
    Parsed parse(String[] arguments) throws FlagException {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        int i = 0;
        while (i < arguments.length) {
            String argument = arguments[i];
            if (argument.length() < 2 || argument.charAt(0) != '-') {
                break;
            }
            int dashes = 1;
            if (argument.charAt(1) == '-') {
                dashes = 2;
                if (argument.length() == 2) {
                    i++;
                    break;
                }
            }
            String name = argument.substring(dashes);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw new FlagException("bad flag syntax: " + argument);
            }
            i++;
            String value = null;
            int equals = name.indexOf('=', 1);
            if (equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Definition definition = definitions.get(name);
            if (definition == null) {
                throw new FlagException("flag provided but not defined: -" + name);
            }
            Object parsed;
            if (definition.kind() == Kind.BOOLEAN) {
                if (value == null) {
                    parsed = Boolean.TRUE;
                } else {
                    parsed = parseBoolean(value);
                    if (parsed == null) {
                        throw new FlagException("invalid boolean value " + quote(value) + " for -" + name + ": parse error");
                    }
                }
            } else {
                if (value == null) {
                    if (i >= arguments.length) {
                        throw new FlagException("flag needs an argument: -" + name);
                    }
                    value = arguments[i++];
                }
                if (definition.kind() == Kind.INTEGER) {
                    try {
                        parsed = parseInteger(value);
                    } catch (NumberFormatException e) {
                        throw new FlagException("invalid value " + quote(value) + " for flag -" + name + ": " + e.getMessage());
                    }
                } else {
                    parsed = value;
                }
            }
            values.put(definition.key(), parsed);
            names.put(definition.key(), name);
        }
        List<String> rest = new ArrayList<>(List.of(arguments).subList(i, arguments.length));
        return new Parsed(values, names, rest);
    }

    /** Go's {@code strconv.ParseBool}; {@code null} when the text is none of its spellings. */
    static Boolean parseBoolean(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * Go's {@code strconv.ParseInt(text, 0, 64)}: an optional sign, then decimal, {@code 0x} hex,
     * {@code 0o} or leading-{@code 0} octal, or {@code 0b} binary; underscores only after a base
     * prefix.
     *
     * @throws NumberFormatException with Go's reason, {@code parse error} or
     *                               {@code value out of range}
     */
    static long parseInteger(String text) {
        String digits = text;
        boolean negative = false;
        if (!digits.isEmpty() && (digits.charAt(0) == '+' || digits.charAt(0) == '-')) {
            negative = digits.charAt(0) == '-';
            digits = digits.substring(1);
        }
        int radix = 10;
        boolean prefixed = false;
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            char marker = Character.toLowerCase(digits.charAt(1));
            switch (marker) {
                case 'x' -> {
                    radix = 16;
                    digits = digits.substring(2);
                }
                case 'o' -> {
                    radix = 8;
                    digits = digits.substring(2);
                }
                case 'b' -> {
                    radix = 2;
                    digits = digits.substring(2);
                }
                default -> {
                    radix = 8;
                    digits = digits.substring(1);
                }
            }
            prefixed = true;
        }
        if (prefixed) {
            if (digits.endsWith("_") || digits.contains("__")) {
                throw new NumberFormatException("parse error");
            }
            digits = digits.replace("_", "");
        }
        if (digits.isEmpty() || digits.charAt(0) == '+' || digits.charAt(0) == '-') {
            throw new NumberFormatException("parse error");
        }
        BigInteger value;
        try {
            value = new BigInteger(digits, radix);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("parse error");
        }
        if (negative) {
            value = value.negate();
        }
        if (value.bitLength() > 63) {
            throw new NumberFormatException("value out of range");
        }
        return value.longValue();
    }

    /** Go's {@code %q} for the texts a command line holds. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** A command line Go's flag package would refuse, with its message. */
    static final class FlagException extends Exception {
        private static final long serialVersionUID = 1L;

        FlagException(String message) {
            super(message);
        }
    }
}
