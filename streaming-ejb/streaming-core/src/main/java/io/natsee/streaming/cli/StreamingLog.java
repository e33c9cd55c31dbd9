package io.natsee.streaming.cli;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Log lines as nats-streaming-server prints them: {@code [pid] 2026/12/04 10:00:00.123456 [INF] STREAM: text}. */
final class StreamingLog extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSSSSS");
    private final long pid = ProcessHandle.current().pid();

    static void install() {
        Logger root = Logger.getLogger("");
        for (var handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new StreamingLog());
        console.setLevel(Level.ALL);
        root.addHandler(console);
        root.setLevel(Level.INFO);
    }

    @Override
    public String format(LogRecord record) {
        int level = record.getLevel().intValue();
        String tag = level >= Level.SEVERE.intValue() ? "ERR" : level >= Level.WARNING.intValue() ? "WRN"
                : level >= Level.INFO.intValue() ? "INF" : level >= Level.FINE.intValue() ? "DBG" : "TRC";
        String prefix = record.getLoggerName() != null && record.getLoggerName().startsWith("io.natsee.streaming")
                ? "STREAM: " : "";
        StringBuilder line = new StringBuilder().append('[').append(pid).append("] ")
                .append(LocalDateTime.now().format(TIME)).append(" [").append(tag).append("] ").append(prefix)
                .append(formatMessage(record)).append('\n');
        if (record.getThrown() != null) {
            line.append(record.getThrown()).append('\n');
        }
        return line.toString();
    }
}
