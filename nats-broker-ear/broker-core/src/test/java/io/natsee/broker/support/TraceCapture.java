package io.natsee.broker.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the protocol trace lines (log records below FINE) of the {@code io.natsee} loggers
 * while open, with every level of those loggers switched on; {@link #close()} puts the logger
 * back as it was.
 */
public final class TraceCapture implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.natsee");
    private final Level previous;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() < Level.FINE.intValue()) {
                lines.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private TraceCapture() {
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** Starts collecting. */
    public static TraceCapture start() {
        return new TraceCapture();
    }

    /** The lines so far (a live, thread-safe list). */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previous);
    }
}
