package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.config.ConfigException;
import io.natsee.broker.config.ConfigLoader;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What SIGHUP does, as in nats-server: re-reads the configuration file the server was started
 * with, applies the command line's flags on top again, and hands the result to the running
 * server, which applies what can change at run time and refuses the rest. Failures are logged
 * as nats-server logs them ({@code Failed to reload server configuration: ...}) and leave the
 * server as it was; the broker itself reports {@code Reloaded server configuration}.
 */
final class ConfigReloader {

    private static final Logger LOG = Logger.getLogger(ConfigReloader.class.getName());

    private final CommandLine commandLine;
    private final Map<String, String> environment;
    private final UnaryOperator<BrokerOptions> target;
    private BrokerOptions current;

    /**
     * @param commandLine the flags to apply over the file again
     * @param environment what {@code $NAME} in the file falls back to
     * @param current the options the server runs with; their {@link BrokerOptions#configFile()} is re-read
     * @param target applies new options to the running server and returns the options now in
     *               effect; throws {@link IllegalArgumentException} or {@link IllegalStateException}
     *               with the reason when it refuses them
     */
    ConfigReloader(CommandLine commandLine, Map<String, String> environment, BrokerOptions current,
                   UnaryOperator<BrokerOptions> target) {
        this.commandLine = Objects.requireNonNull(commandLine, "commandLine");
        this.environment = Map.copyOf(environment);
        this.current = Objects.requireNonNull(current, "current");
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Reloads once. Calls are serialised, so two quick SIGHUPs apply one after the other.
     *
     * @return the options in effect afterwards, or {@code null} when the reload failed (and was logged)
     */
    synchronized BrokerOptions reload() {
        Path file = current.configFile();
        if (file == null) {
            return failed("can only reload config when a file is provided using -c or --config");
        }
        BrokerOptions.Builder builder = BrokerOptions.builder();
        try {
            // nats-server warns about plaintext passwords at start-up only; other warnings are worth repeating.
            ConfigLoader.load(file, builder, environment, warning -> {
                if (!warning.message().equals(ConfigLoader.PLAINTEXT_PASSWORDS_WARNING)) {
                    LOG.warning(warning.toString());
                }
            });
            commandLine.applyTo(builder, LOG::warning);
            current = target.apply(builder.build());
            return current;
        } catch (ConfigException e) {
            return failed(e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return failed(e.getMessage());
        }
    }

    /** The options in effect. */
    synchronized BrokerOptions current() {
        return current;
    }

    private static BrokerOptions failed(String reason) {
        LOG.log(Level.SEVERE, "Failed to reload server configuration: {0}", reason);
        return null;
    }
}
