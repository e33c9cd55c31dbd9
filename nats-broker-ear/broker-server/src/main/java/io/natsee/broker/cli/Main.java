package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.config.ConfigError;
import io.natsee.broker.config.ConfigException;
import io.natsee.broker.config.ConfigLoader;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The standalone server's entry point: reads nats-server's flags and configuration file, starts
 * the broker with its monitoring port, and on SIGTERM or SIGINT shuts down gracefully and exits 0.
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

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the server until it is signalled to stop, then exits with the code of {@link #run}. */
    public static void main(String[] arguments) {
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
        if (commandLine.testConfig() && commandLine.configFile() == null) {
            err.println(NAME + ": must specify [-c, --config] option to check configuration file syntax");
            return EXIT_ERROR;
        }
        BrokerOptions options;
        List<ConfigError> warnings = new ArrayList<>();
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
            for (ConfigError warning : warnings) {
                err.println(NAME + ": warning: " + warning);
            }
            err.println(NAME + ": configuration file " + commandLine.configFile() + " is valid");
            return EXIT_OK;
        }
        return serve(options, commandLine.timestamps(), warnings);
    }

    /**
     * The options in nats-server's precedence: defaults, then the configuration file, then the
     * flags given.
     */
    static BrokerOptions options(CommandLine commandLine, List<ConfigError> warnings) throws ConfigException {
        BrokerOptions.Builder builder = BrokerOptions.builder();
        if (commandLine.configFile() != null) {
            ConfigLoader.load(commandLine.configFile(), builder, System.getenv(), warnings::add);
        }
        return commandLine.applyTo(builder).build();
    }

    private int serve(BrokerOptions options, boolean timestamps, List<ConfigError> warnings) {
        ServerLog log;
        try {
            log = ServerLog.install(options.logFile(), options.debug(), options.trace(), timestamps, err);
        } catch (IOException e) {
            err.println(NAME + ": cannot open log file " + options.logFile() + ": " + e.getMessage());
            return EXIT_ERROR;
        }
        Logger logger = Logger.getLogger(Main.class.getName());
        try (log) {
            for (ConfigError warning : warnings) {
                logger.warning(warning.toString());
            }
            StandaloneServer server = new StandaloneServer(options);
            try {
                server.start();
            } catch (IOException | RuntimeException e) {
                logger.log(NatsLogFormatter.FATAL, e.getMessage() != null ? e.getMessage() : e.toString());
                return EXIT_ERROR;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "natsee-shutdown"));
            for (Map.Entry<String, String> signal : SIGNAL_NAMES.entrySet()) {
                trap(signal.getKey(), () -> {
                    logger.fine(() -> "Trapped \"" + signal.getValue() + "\" signal");
                    server.close();
                    stopped.countDown();
                });
            }
            stopped.await();
            return EXIT_OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_OK;
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
