package io.natsee.broker.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The standalone server's logging: the {@code System.Logger}s of the broker, backed by
 * java.util.logging, write nats-server-style lines to standard error or the {@code -l} file.
 * {@code -D} adds debug lines and {@code -V} trace lines, each independently, as in nats-server;
 * other libraries (netty, the JDK's HTTP server) log at INFO and above only. A log file beyond
 * {@code logfile_size_limit} bytes is renamed to {@code <file>.YYYY.MM.DD.hh.mm.ss.nnnnnnnnn} and
 * started again, as nats-server rotates it; {@link #reopen} (SIGUSR1) reopens it after an
 * outside tool moved it.
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
        return install(logFile, 0, debug, trace, timestamps, standardError);
    }

    /**
     * As {@link #install(Path, boolean, boolean, boolean, PrintStream)}, rotating the file once it
     * holds more than {@code sizeLimit} bytes (0: never).
     */
    static ServerLog install(Path logFile, long sizeLimit, boolean debug, boolean trace, boolean timestamps,
                             PrintStream standardError) throws IOException {
        NatsLogFormatter formatter = formatter(timestamps);
        LineHandler handler;
        if (logFile != null) {
            handler = new LineHandler(logFile, sizeLimit);
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

    /**
     * Closes and opens the log file again (nats-server's {@code ReOpenLogFile}), so lines go to a
     * new file after an outside tool moved the old one; logs {@code File log re-opened}. Without
     * a log file it does nothing.
     */
    void reopen() {
        if (handler.reopen()) {
            Logger.getLogger(NAMESPACE).info("File log re-opened");
        }
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
        private static final DateTimeFormatter BACKUP_SUFFIX =
                DateTimeFormatter.ofPattern("yyyy.MM.dd.HH.mm.ss.nnnnnnnnn");

        private final Path file;
        private final long sizeLimit;
        private OutputStream out;
        private final boolean closeStream;
        private long written;
        private boolean closed;

        LineHandler(OutputStream out, boolean closeStream) {
            this.file = null;
            this.sizeLimit = 0;
            this.out = out;
            this.closeStream = closeStream;
        }

        LineHandler(Path file, long sizeLimit) throws IOException {
            this.file = file;
            this.sizeLimit = sizeLimit;
            this.closeStream = true;
            this.out = open(file);
            this.written = Files.size(file);
        }

        private static OutputStream open(Path file) throws IOException {
            return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (closed || !isLoggable(record)) {
                return;
            }
            try {
                byte[] line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
                out.write(line);
                out.flush();
                written += line.length;
                if (file != null && sizeLimit > 0 && written > sizeLimit) {
                    rotate();
                }
            } catch (IOException | RuntimeException e) {
                reportError("cannot write a log line", e, 1);
            }
        }

        /** nats-server's rotation: rename to a time-stamped backup, start a new file, say where the old one went. */
        private void rotate() throws IOException {
            out.close();
            Path backup = file.resolveSibling(file.getFileName() + "." + BACKUP_SUFFIX.format(LocalDateTime.now()));
            Files.move(file, backup);
            out = open(file);
            written = 0;
            LogRecord notice = new LogRecord(Level.INFO, "Rotated log, backup saved as \"" + backup + "\"");
            notice.setLoggerName(NAMESPACE);
            byte[] line = getFormatter().format(notice).getBytes(StandardCharsets.UTF_8);
            out.write(line);
            out.flush();
            written = line.length;
        }

        synchronized boolean reopen() {
            if (file == null || closed) {
                return false;
            }
            try {
                out.close();
                out = open(file);
                written = Files.size(file);
                return true;
            } catch (IOException e) {
                reportError("cannot reopen the log file", e, 4);
                return false;
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
