package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.config.ConfigException;
import io.natsee.broker.config.ConfigLoader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The standalone server's entry point: reads nats-server's flags and configuration file, starts
 * the broker with its monitoring port, re-reads the configuration file on SIGHUP (see
 * {@link ConfigReloader}), reopens its log file on SIGUSR1, enters lame duck mode on SIGUSR2
 * (and exits 0 when it ends; HotSpot must suspend threads with another signal, see
 * {@link SuspendResumeSignal}), and on SIGTERM or SIGINT shuts down gracefully and exits 0.
 * {@code --signal} sends a signal to a running server instead (see {@link SignalCommand}).
 * Exit codes follow nats-server: 0 after {@code -h}, {@code -v}, a valid {@code -t} and a signal;
 * 1 for configuration errors, refused flags and ports that cannot be bound. A flag Go's parser
 * would refuse exits 2 (nats-server prints its usage and exits 0 there, which scripts cannot tell
 * from success).
 */
public final class Main {

    /** Exit code for success. */
    static final int EXIT_OK = 0;
    /** Exit code for a configuration or start-up error, as nats-server's {@code PrintAndDie}. */
    static final int EXIT_ERROR = 1;
    /** Exit code for a command line that cannot be parsed, as Go's flag package uses. */
    static final int EXIT_USAGE = 2;

    private static final String NAME = "natsee-server";
    private static final Map<String, String> SIGNAL_NAMES = Map.of("TERM", "terminated", "INT", "interrupt");

    private static final String NETTY_JFR = "io.netty.jfr.enabled";

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the server until it is signalled to stop, then exits with the code of {@link #run}. */
    public static void main(String[] arguments) {
        // netty's own flight-recorder events are off unless asked for: checking whether the
        // recorder is there loads it (about 100 classes) into every server. Recordings started
        // with jcmd or -XX:StartFlightRecording are not affected.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        int code = new Main(System.out, System.err).run(arguments);
        System.exit(code);
    }

    /**
     * Handles the command line: prints help, the version or a configuration check, or runs the
     * server until SIGTERM or SIGINT.
     *
     * @return the process exit code
     */
    int run(String... arguments) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(arguments);
        } catch (CommandLine.CommandLineException e) {
            if (e.flagError()) {
                err.println(e.getMessage());
                err.println("Usage: " + NAME + " [options]; run '" + NAME + " --help' to list them.");
                return EXIT_USAGE;
            }
            err.println(NAME + ": " + e.getMessage());
            return EXIT_ERROR;
        }
        if (commandLine.version()) {
            out.println(Version.line());
            return EXIT_OK;
        }
        if (commandLine.help()) {
            out.print(Usage.TEXT);
            return EXIT_OK;
        }
        if (!commandLine.unsupported().isEmpty()) {
            err.println(NAME + ": " + String.join(", ", commandLine.unsupported())
                    + (commandLine.unsupported().size() == 1 ? " is" : " are") + " not supported yet");
            return EXIT_ERROR;
        }
        if (commandLine.signal() != null) {
            return signal(commandLine);
        }
        if (commandLine.testConfig() && commandLine.configFile() == null) {
            err.println(NAME + ": must specify [-c, --config] option to check configuration file syntax");
            return EXIT_ERROR;
        }
        BrokerOptions options;
        List<String> warnings = new ArrayList<>();
        try {
            options = options(commandLine, warnings);
        } catch (ConfigException e) {
            err.println(NAME + ": " + e.getMessage());
            return EXIT_ERROR;
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            return EXIT_ERROR;
        }
        if (commandLine.testConfig()) {
            for (String warning : warnings) {
                err.println(NAME + ": warning: " + warning);
            }
            err.println(NAME + ": configuration file " + commandLine.configFile() + " is valid");
            return EXIT_OK;
        }
        return serve(options, commandLine, warnings);
    }

    /** {@code --signal}: signals the running server and exits, as nats-server does before reading any file. */
    private int signal(CommandLine commandLine) {
        try {
            SignalCommand command = SignalCommand.parse(commandLine.signal());
            command.send(pidFile(commandLine));
            return EXIT_OK;
        } catch (SignalCommand.SignalException e) {
            err.println(NAME + ": " + e.getMessage());
            return EXIT_ERROR;
        }
    }

    /** The pid file the command line names with {@code -P} or through its configuration file; {@code null} if none. */
    private static Path pidFile(CommandLine commandLine) {
        if (commandLine.pidFile() != null) {
            return commandLine.pidFile();
        }
        if (commandLine.configFile() == null) {
            return null;
        }
        try {
            return ConfigLoader.load(commandLine.configFile(), BrokerOptions.builder(), System.getenv(), warning -> { })
                    .build().pidFile();
        } catch (ConfigException e) {
            return null;
        }
    }

    /**
     * The options in nats-server's precedence: defaults, then the configuration file, then the
     * flags given. {@code warnings} receives the file's warnings ({@code file:line:column: text}),
     * flags that have no effect, and nats-server's plaintext password warning for {@code --pass}.
     */
    static BrokerOptions options(CommandLine commandLine, List<String> warnings) throws ConfigException {
        BrokerOptions.Builder builder = BrokerOptions.builder();
        boolean[] plaintextWarned = new boolean[1];
        if (commandLine.configFile() != null) {
            ConfigLoader.load(commandLine.configFile(), builder, System.getenv(), warning -> {
                plaintextWarned[0] |= warning.message().equals(ConfigLoader.PLAINTEXT_PASSWORDS_WARNING);
                warnings.add(warning.toString());
            });
        }
        BrokerOptions options = commandLine.applyTo(builder, warnings::add).build();
        String password = options.authorization() == null ? null : options.authorization().password();
        if (!plaintextWarned[0] && commandLine.password() != null && Objects.equals(password, commandLine.password())
                && !password.isEmpty() && !ConfigLoader.isBcrypt(password)) {
            warnings.add(ConfigLoader.PLAINTEXT_PASSWORDS_WARNING);
        }
        return options;
    }

    private int serve(BrokerOptions options, CommandLine commandLine, List<String> warnings) {
        ServerLog log;
        try {
            log = ServerLog.install(options.logFile(), options.logFileSizeLimit(), options.debug(), options.trace(),
                    commandLine.timestamps(), err);
        } catch (IOException e) {
            err.println(NAME + ": cannot open log file " + options.logFile() + ": " + e.getMessage());
            return EXIT_ERROR;
        }
        Logger logger = Logger.getLogger(Main.class.getName());
        LogHolder logs = new LogHolder(log, options, commandLine.timestamps());
        try (logs) {
            for (String warning : warnings) {
                logger.warning(warning);
            }
            if (SuspendResumeSignal.takesUsr2(System.getProperty("java.vm.name"), System.getenv())) {
                logger.warning(SuspendResumeSignal.warning());
            }
            StandaloneServer server = new StandaloneServer(options);
            ConfigReloader reloader = new ConfigReloader(commandLine, System.getenv(), options, newOptions -> {
                BrokerOptions applied = server.reload(newOptions);
                logs.apply(applied);
                return applied;
            });
            // Signals are trapped before the server reports itself ready, so that a signal sent as
            // soon as "Server is ready" appears finds the handlers in place.
            CountDownLatch stopped = new CountDownLatch(1);
            trap("HUP", () -> {
                logger.fine("Trapped \"hangup\" signal");
                reloader.reload();
            });
            for (Map.Entry<String, String> signal : SIGNAL_NAMES.entrySet()) {
                trap(signal.getKey(), () -> {
                    logger.fine(() -> "Trapped \"" + signal.getValue() + "\" signal");
                    server.close();
                    stopped.countDown();
                });
            }
            trap("USR1", () -> {
                logger.fine("Trapped \"user defined signal 1\" signal");
                logs.reopen();
            });
            trap("USR2", () -> {
                logger.fine("Trapped \"user defined signal 2\" signal");
                server.enterLameDuckMode().whenComplete((done, failure) -> {
                    server.close();
                    stopped.countDown();
                });
            });
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "natsee-shutdown"));
            try {
                server.start();
            } catch (IOException | RuntimeException e) {
                logger.log(NatsLogFormatter.FATAL, e.getMessage() != null ? e.getMessage() : e.toString());
                return EXIT_ERROR;
            }
            stopped.await();
            return EXIT_OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_OK;
        }
    }

    /**
     * The log set-up in use; a reload that changes {@code debug}, {@code trace} or {@code logfile}
     * replaces it, as nats-server re-opens its logger.
     */
    private final class LogHolder implements AutoCloseable {
        private ServerLog log;
        private BrokerOptions options;
        private final boolean timestamps;

        LogHolder(ServerLog log, BrokerOptions options, boolean timestamps) {
            this.log = log;
            this.options = options;
            this.timestamps = timestamps;
        }

        synchronized void apply(BrokerOptions next) {
            boolean changed = next.debug() != options.debug() || next.trace() != options.trace()
                    || !Objects.equals(next.logFile(), options.logFile())
                    || next.logFileSizeLimit() != options.logFileSizeLimit();
            if (!changed) {
                options = next;
                return;
            }
            // Closing restores the JVM's own logging for the moment it takes to install the new set-up.
            log.close();
            try {
                log = ServerLog.install(next.logFile(), next.logFileSizeLimit(), next.debug(), next.trace(), timestamps, err);
                options = next;
            } catch (IOException e) {
                try {
                    log = ServerLog.install(options.logFile(), options.logFileSizeLimit(), options.debug(), options.trace(),
                            timestamps, err);
                } catch (IOException again) {
                    log = null;
                }
                Logger.getLogger(Main.class.getName()).severe("Cannot open log file " + next.logFile() + ": "
                        + e.getMessage() + "; logging as before");
            }
        }

        /** SIGUSR1: reopens the log file. */
        synchronized void reopen() {
            if (log != null) {
                log.reopen();
            }
        }

        @Override
        public synchronized void close() {
            if (log != null) {
                log.close();
            }
        }
    }

    /**
     * Handles a signal in place of the JVM's default (which would exit with 128 plus the signal
     * number); where the JVM refuses (for example under {@code -Xrs}) the shutdown hook still
     * closes the server.
     */
    private static void trap(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
        } catch (IllegalArgumentException e) {
            Logger.getLogger(Main.class.getName()).fine(() -> "Cannot trap SIG" + name + ": " + e.getMessage());
        }
    }
}
