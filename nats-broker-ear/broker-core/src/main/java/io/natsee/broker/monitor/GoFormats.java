package io.natsee.broker.monitor;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes times, durations and floating-point numbers the way nats-server's Go runtime prints them,
 * so the monitoring JSON reads the same as the reference server's.
 */
public final class GoFormats {

    private GoFormats() {
    }

    /**
     * An instant as Go's {@code time.RFC3339Nano} in UTC, which {@code encoding/json} uses for
     * {@code time.Time}: {@code 2026-11-28T09:21:55.23393212Z}. Trailing zeros of the fraction are
     * dropped, and so is the fraction when it is zero.
     */
    public static String rfc3339Nano(Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(36);
        int year = time.getYear();
        if (year < 1000) {
            text.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        text.append(year).append('-');
        twoDigits(text, time.getMonthValue()).append('-');
        twoDigits(text, time.getDayOfMonth()).append('T');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        twoDigits(text, time.getSecond());
        int nanos = instant.getNano();
        if (nanos != 0) {
            String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            text.append('.').append(fraction, 0, end);
        }
        return text.append('Z').toString();
    }

    /**
     * An uptime as nats-server's {@code myUptime} writes it: whole seconds split into years (of
     * 365 days), days, hours, minutes and seconds, leading zero units left out
     * ({@code 1m2s}, {@code 3d0h0m5s}).
     */
    public static String uptime(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long minutes = seconds / 60;
        long hours = minutes / 60;
        long days = hours / 24;
        long years = days / 365;
        if (years > 0) {
            return years + "y" + days % 365 + "d" + hours % 24 + "h" + minutes % 60 + "m" + seconds % 60 + "s";
        }
        if (days > 0) {
            return days + "d" + hours % 24 + "h" + minutes % 60 + "m" + seconds % 60 + "s";
        }
        if (hours > 0) {
            return hours + "h" + minutes % 60 + "m" + seconds % 60 + "s";
        }
        if (minutes > 0) {
            return minutes + "m" + seconds % 60 + "s";
        }
        return seconds + "s";
    }

    /**
     * A {@code float64} as Go's {@code encoding/json} writes it: the shortest text that reads back
     * to the same value, without exponent between 1e-6 and 1e21 ({@code 0}, {@code 2},
     * {@code 0.5}, {@code 12.3}), with one outside it ({@code 1e-07}, {@code 1e+21}).
     */
    public static String float64(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no text for " + value);
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        if (magnitude >= 1e-6 && magnitude < 1e21) {
            return shortest.toPlainString();
        }
        // Go: mantissa digits, then e, sign and at least two exponent digits.
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        StringBuilder text = new StringBuilder();
        if (value < 0) {
            text.append('-');
        }
        text.append(digits.charAt(0));
        if (digits.length() > 1) {
            text.append('.').append(digits, 1, digits.length());
        }
        text.append('e').append(exponent < 0 ? '-' : '+');
        int absoluteExponent = Math.abs(exponent);
        if (absoluteExponent < 10) {
            text.append('0');
        }
        return text.append(absoluteExponent).toString();
    }

    /**
     * A duration as Go's {@code time.Duration.String} writes it, which nats-server uses for
     * {@code rtt}: {@code 0s}, {@code 332µs}, {@code 1.02582ms}, {@code 1.5s}, {@code 2m3.5s},
     * {@code 1h0m0s}; units below a second for durations under one, trailing zeros dropped.
     */
    public static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean negative = nanos < 0;
        // Long.MIN_VALUE cannot be negated; Go prints it the same way from its unsigned magnitude.
        java.math.BigInteger magnitude = java.math.BigInteger.valueOf(nanos).abs();
        long value = magnitude.longValue();
        StringBuilder text = new StringBuilder(24);
        if (negative) {
            text.append('-');
        }
        if (magnitude.compareTo(java.math.BigInteger.valueOf(1_000_000_000L)) < 0) {
            if (value < 1_000) {
                return text.append(value).append("ns").toString();
            }
            if (value < 1_000_000) {
                return fraction(text, value, 1_000).append("\u00b5s").toString();
            }
            return fraction(text, value, 1_000_000).append("ms").toString();
        }
        long totalSeconds = value / 1_000_000_000L;
        long hours = totalSeconds / 3600;
        long minutes = totalSeconds / 60 % 60;
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        long secondsNanos = value % 60_000_000_000L;
        return fraction(text, secondsNanos, 1_000_000_000L).append('s').toString();
    }

    /** {@code value / unit} with its fraction, trailing zeros dropped. */
    private static StringBuilder fraction(StringBuilder text, long value, long unit) {
        text.append(value / unit);
        long rest = value % unit;
        if (rest != 0) {
            String digits = Long.toString(unit + rest).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            text.append('.').append(digits, 0, end);
        }
        return text;
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        if (value < 10) {
            text.append('0');
        }
        return text.append(value);
    }
}
