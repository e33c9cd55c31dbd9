package io.natsee.broker;

import java.time.Duration;
import java.util.Locale;

/** Parses sizes and durations written as nats-server writes them ({@code 64KB}, {@code "2m"}). */
public final class Values {

    private Values() {
    }

    /**
     * A size with an optional suffix: {@code K}/{@code M}/{@code G}/{@code T} are powers of 1000,
     * {@code KB}/{@code MB}/{@code GB}/{@code TB} (and {@code KiB}...) powers of 1024, as in
     * nats-server's configuration lexer. Case does not matter.
     */
    public static long parseSize(String text) {
        String s = text.trim();
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || (i == 1 && !Character.isDigit(s.charAt(0)))) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        long number = Long.parseLong(s.substring(0, i));
        String suffix = s.substring(i).trim().toLowerCase(Locale.ROOT);
        long factor = switch (suffix) {
            case "" , "b" -> 1L;
            case "k" -> 1000L;
            case "kb", "kib" -> 1024L;
            case "m" -> 1000L * 1000;
            case "mb", "mib" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb", "gib" -> 1024L * 1024 * 1024;
            case "t" -> 1000L * 1000 * 1000 * 1000;
            case "tb", "tib" -> 1024L * 1024 * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown size suffix '" + suffix + "' in '" + text + "'");
        };
        return Math.multiplyExact(number, factor);
    }

    /**
     * A duration as Go's {@code time.ParseDuration} reads it ({@code 2m}, {@code 1.5s},
     * {@code 1h30m}, {@code 500ms}, {@code 10us}, {@code 7ns}); a bare number is seconds, as
     * nats-server reads integer durations.
     */
    public static Duration parseDuration(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        double totalNanos = 0;
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("not a duration: '" + text + "'");
            }
            double number = Double.parseDouble(s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            double nanos = switch (unit) {
                case "ns" -> 1;
                case "us", "\u00b5s", "\u03bcs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> throw new IllegalArgumentException("unknown unit '" + unit + "' in duration '" + text + "'");
            };
            totalNanos += number * nanos;
        }
        long n = Math.round(totalNanos);
        return Duration.ofNanos(negative ? -n : n);
    }
}
