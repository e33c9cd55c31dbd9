package io.natsee.broker.config;

import io.natsee.broker.Values;
import io.natsee.broker.config.ConfigValue.DateValue;
import io.natsee.broker.config.ConfigValue.FloatValue;
import io.natsee.broker.config.ConfigValue.IntegerValue;
import io.natsee.broker.config.ConfigValue.StringValue;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies a bare word that starts with a digit, {@code -} or {@code .} the way nats-server
 * 2.9's lexer does: an integer (with an optional size suffix), a float, a Zulu date, an
 * address-like string ({@code 127.0.0.1:4222}), a string ({@code 10s}, {@code 0x10}), or an
 * error ({@code 1.5s}, {@code 1k5}, {@code -x}), as checked against the nats-server binary.
 */
final class ConfigNumbers {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    /** {@code K M G T P E} are powers of 1000; followed by {@code B}, {@code i} or {@code iB}, powers of 1024. */
    private static final Pattern SIZE = Pattern.compile("(-?\\d+)([kmgtpe])([bi]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FLOAT = Pattern.compile("-?\\d+\\.\\d+");
    private static final Pattern ADDRESS = Pattern.compile("\\d+\\.\\d+\\.[\\d.:-]*");
    private static final Pattern NUMBER_THEN_DIGIT = Pattern.compile("-?\\d+[kmgtpe][bi]*\\d.*", Pattern.CASE_INSENSITIVE);

    private ConfigNumbers() {
    }

    /**
     * The value a word starting with a digit, '-' or '.' stands for.
     *
     * @throws IllegalArgumentException with the message to report when the word is malformed
     */
    static ConfigValue classify(String word, ConfigPosition at) {
        if (DATE.matcher(word).matches()) {
            try {
                return new DateValue(Instant.parse(word), at);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + word + "' is not a valid date");
            }
        }
        if (INTEGER.matcher(word).matches()) {
            try {
                return new IntegerValue(Long.parseLong(word), word, at);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("integer '" + word + "' is out of range");
            }
        }
        var size = SIZE.matcher(word);
        if (size.matches()) {
            return new IntegerValue(size(word, size.group(1), size.group(2), size.group(3)), word, at);
        }
        if (FLOAT.matcher(word).matches()) {
            return new FloatValue(Double.parseDouble(word), at);
        }
        if (ADDRESS.matcher(word).matches()) {
            return new StringValue(word, at);
        }
        if (word.charAt(0) == '.') {
            throw new IllegalArgumentException("floats must start with a digit: '" + word + "'");
        }
        if (word.charAt(0) == '-') {
            throw new IllegalArgumentException("expected a number after '-': '" + word + "'");
        }
        int digits = 0;
        while (digits < word.length() && Character.isDigit(word.charAt(digits))) {
            digits++;
        }
        char after = word.charAt(digits);
        if (after == '-') {
            throw new IllegalArgumentException("dates must be in full Zulu form (2006-01-02T15:04:05Z): '" + word + "'");
        }
        if (after == '.' || NUMBER_THEN_DIGIT.matcher(word).matches()) {
            throw new IllegalArgumentException("'" + word + "' is not a valid number");
        }
        // nats-server 2.9 reads "10s", "0x10" or "4222abc" as strings.
        return new StringValue(word, at);
    }

    /** Applies a size suffix; K, M, G and T through {@link Values#parseSize}, P and E here. */
    private static long size(String word, String digits, String unit, String tail) {
        boolean binary = switch (tail.toLowerCase(Locale.ROOT)) {
            case "" -> false;
            case "b", "i", "ib" -> true;
            default -> throw new IllegalArgumentException("unknown size suffix in '" + word + "'");
        };
        String letter = unit.toLowerCase(Locale.ROOT);
        try {
            if (letter.equals("p") || letter.equals("e")) {
                long base = binary ? 1024L : 1000L;
                long factor = 1;
                for (int i = letter.equals("p") ? 5 : 6; i > 0; i--) {
                    factor = Math.multiplyExact(factor, base);
                }
                return Math.multiplyExact(Long.parseLong(digits), factor);
            }
            return Values.parseSize(digits + letter + (binary ? "b" : ""));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size '" + word + "' is out of range");
        }
    }
}
