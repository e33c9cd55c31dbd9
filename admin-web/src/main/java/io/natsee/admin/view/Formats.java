package io.natsee.admin.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Locale;

/** Number formats the pages use ({@code #{formats.bytes(v)}}): bytes in binary units, counts with k/M/G. */
@Named
@ApplicationScoped
public class Formats {

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    private static final String[] COUNT_UNITS = {"", "k", "M", "G", "T", "P"};

    /** {@code 1536} as {@code 1.5 KiB}. */
    public String bytes(long value) {
        return scaled(value, 1024, BYTE_UNITS, " ");
    }

    /** {@code 1234567} as {@code 1.2M}. */
    public String count(long value) {
        return scaled(value, 1000, COUNT_UNITS, "");
    }

    /** A per-second rate, as {@link #count} with {@code /s}. */
    public String rate(double value) {
        return scaled(Math.round(value), 1000, COUNT_UNITS, "") + "/s";
    }

    private static String scaled(long value, int base, String[] units, String space) {
        if (Math.abs(value) < base) {
            return value + (units[0].isEmpty() ? "" : space + units[0]);
        }
        double scaled = value;
        int unit = 0;
        while (Math.abs(scaled) >= base && unit < units.length - 1) {
            scaled /= base;
            unit++;
        }
        return String.format(Locale.ROOT, scaled < 10 ? "%.2f" : scaled < 100 ? "%.1f" : "%.0f", scaled) + space + units[unit];
    }
}
