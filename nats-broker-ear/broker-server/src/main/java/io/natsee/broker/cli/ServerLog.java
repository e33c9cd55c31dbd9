package io.natsee.broker.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The standalone server's logging: the {@code System.Logger}s of the broker, backed by
 * java.util.logging, write nats-server-style lines to standard error or the {@code -l} file.
 * {@code -D} adds debug lines and {@code -V} trace lines, each independently, as in nats-server;
 * other libraries (netty, the JDK's HTTP server) log at INFO and above only.
 */
final class ServerLog implements AutoCloseable {

    /** The logger namespace whose debug and trace lines the flags switch on. */
    static final String NAMESPACE = "io.natsee";

    private final Logger root;
    private final Logger ours;
    private final Level previousRootLevel;
    private final Level previousOurLevel;
    private final List<Handler> previousHandlers;
    private final LineHandler handler;

    private ServerLog(LineHandler handler, boolean debug, boolean trace) {
        this.root = Logger.getLogger("");
        this.ours = Logger.getLogger(NAMESPACE);
        this.previousRootLevel = root.getLevel();
        this.previousOurLevel = ours.getLevel();
        this.previousHandlers = List.of(root.getHandlers());
        this.handler = handler;
        for (Handler existing : previousHandlers) {
            root.removeHandler(existing);
        }
        root.setLevel(Level.INFO);
        ours.setLevel(trace ? Level.ALL : debug ? Level.FINE : Level.INFO);
        handler.setFilter(record -> {
            int level = record.getLevel().intValue();
            if (level >= Level.INFO.intValue()) {
                return true;
            }
            return level >= Level.FINE.intValue() ? debug : trace;
        });
        root.addHandler(handler);
    }

    /**
     * Sends every log line to the file (appended, as nats-server does) or, without one, to the
     * given standard error stream.
     *
     * @throws IOException when the log file cannot be opened
     */
    static ServerLog install(Path logFile, boolean debug, boolean trace, boolean timestamps, PrintStream standardError)
            throws IOException {
        NatsLogFormatter formatter = formatter(timestamps);
        LineHandler handler;
        if (logFile != null) {
            OutputStream file = Files.newOutputStream(logFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            handler = new LineHandler(file, true);
        } else {
            handler = new LineHandler(standardError, false);
        }
        handler.setFormatter(formatter);
        handler.setLevel(Level.ALL);
        return new ServerLog(handler, debug, trace);
    }

    /** The formatter for this process. */
    static NatsLogFormatter formatter(boolean timestamps) {
        return new NatsLogFormatter(ProcessHandle.current().pid(), timestamps, ZoneId.systemDefault());
    }

    /** Restores the logging set up before {@link #install}, and closes the log file. */
    @Override
    public void close() {
        root.removeHandler(handler);
        handler.close();
        root.setLevel(previousRootLevel);
        ours.setLevel(previousOurLevel);
        for (Handler previous : previousHandlers) {
            root.addHandler(previous);
        }
    }

    /** Writes each formatted record at once, so lines survive a crash and appear in order. */
    private static final class LineHandler extends Handler {
        private final OutputStream out;
        private final boolean closeStream;
        private boolean closed;

        LineHandler(OutputStream out, boolean closeStream) {
            this.out = out;
            this.closeStream = closeStream;
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (closed || !isLoggable(record)) {
                return;
            }
            try {
                out.write(getFormatter().format(record).getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException | RuntimeException e) {
                reportError("cannot write a log line", e, 1);
            }
        }

        @Override
        public synchronized void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                reportError("cannot flush the log", e, 2);
            }
        }

        @Override
        public synchronized void close() {
            flush();
            if (closeStream && !closed) {
                try {
                    out.close();
                } catch (IOException e) {
                    reportError("cannot close the log file", e, 3);
                }
            }
            closed = true;
        }
    }
}
