package io.natsee.broker.monitor;

import java.util.Locale;
import java.util.function.Function;

/**
 * Reads monitoring query parameters as nats-server's {@code decodeBool}, {@code decodeInt} and
 * {@code decodeUint64} do, refusing bad values with Go's {@code strconv} error texts.
 */
final class QueryParameters {

    private final Function<String, String> parameters;

    /** Parameters looked up by name; the function returns {@code null} or "" when one is absent. */
    QueryParameters(Function<String, String> parameters) {
        this.parameters = parameters;
    }

    /** The parameter's text, "" when absent. */
    String text(String name) {
        String value = parameters.apply(name);
        return value == null ? "" : value;
    }

    /** Go's {@code strconv.ParseBool}: 1, t, T, TRUE, true, True and their false forms; absent is false. */
    boolean bool(String name) throws MonitorRequestException {
        String value = text(name);
        return switch (value) {
            case "" -> false;
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new MonitorRequestException("Error decoding boolean for '" + name
                    + "': strconv.ParseBool: parsing " + quote(value) + ": invalid syntax");
        };
    }

    /** Go's {@code strconv.Atoi} (64-bit int); absent is 0. Values beyond an int are clamped. */
    int integer(String name) throws MonitorRequestException {
        String value = text(name);
        if (value.isEmpty()) {
            return 0;
        }
        long parsed = parseLong(value, true, "Error decoding int for '" + name + "': strconv.Atoi: parsing ");
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parsed));
    }

    /** Go's {@code strconv.ParseUint(s, 10, 64)}; absent is 0. */
    long unsigned(String name) throws MonitorRequestException {
        String value = text(name);
        if (value.isEmpty()) {
            return 0;
        }
        return parseLong(value, false, "Error decoding uint64 for '" + name + "': strconv.ParseUint: parsing ");
    }

    private static long parseLong(String value, boolean signed, String prefix) throws MonitorRequestException {
        int start = signed && (value.charAt(0) == '+' || value.charAt(0) == '-') ? 1 : 0;
        if (start == value.length()) {
            throw new MonitorRequestException(prefix + quote(value) + ": invalid syntax");
        }
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new MonitorRequestException(prefix + quote(value) + ": invalid syntax");
            }
        }
        try {
            return signed ? Long.parseLong(value) : Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new MonitorRequestException(prefix + quote(value) + ": value out of range");
        }
    }

    /** Go's {@code %q} for the printable ASCII a query usually holds. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
