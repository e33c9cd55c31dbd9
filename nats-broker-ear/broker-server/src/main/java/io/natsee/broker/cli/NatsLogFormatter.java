package io.natsee.broker.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats log records as nats-server's logger writes its lines:
 * {@code [4711] 2026/11/28 09:00:00.123456 [INF] Server is ready}, local time with microseconds,
 * or without the time when timestamps are off ({@code -T=false}).
 */
final class NatsLogFormatter extends Formatter {

    /** A level above {@link Level#SEVERE} for errors that end the process, shown as {@code [FTL]}. */
    static final Level FATAL = new Level("FATAL", 1100) {
        private static final long serialVersionUID = 1L;
    };

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSSSSS");

    private final String prefix;
    private final boolean timestamps;
    private final DateTimeFormatter time;

    /** Lines tagged with the process id, in the given zone. */
    NatsLogFormatter(long pid, boolean timestamps, ZoneId zone) {
        this.prefix = "[" + pid + "] ";
        this.timestamps = timestamps;
        this.time = TIME.withZone(zone);
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128).append(prefix);
        if (timestamps) {
            time.formatTo(record.getInstant(), line);
            line.append(' ');
        }
        line.append(tag(record.getLevel())).append(' ').append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        return line.append('\n').toString();
    }

    /** Formats a line for an instant; for the lines written before logging is set up, and tests. */
    String format(Level level, String message, Instant instant) {
        LogRecord record = new LogRecord(level, message);
        record.setInstant(instant);
        return format(record);
    }

    /** nats-server's level tags; JUL's FINE and CONFIG are debug, FINER and FINEST trace. */
    static String tag(Level level) {
        int value = level.intValue();
        if (value >= FATAL.intValue()) {
            return "[FTL]";
        }
        if (value >= Level.SEVERE.intValue()) {
            return "[ERR]";
        }
        if (value >= Level.WARNING.intValue()) {
            return "[WRN]";
        }
        if (value >= Level.INFO.intValue()) {
            return "[INF]";
        }
        if (value >= Level.FINE.intValue()) {
            return "[DBG]";
        }
        return "[TRC]";
    }
}
