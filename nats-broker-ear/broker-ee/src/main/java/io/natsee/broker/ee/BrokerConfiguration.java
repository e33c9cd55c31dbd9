package io.natsee.broker.ee;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.config.ConfigException;
import io.natsee.broker.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The container's configuration turned into {@link BrokerOptions}. Keys are nats-server's
 * configuration keys behind the prefix {@code nats.} ({@code nats.port}, {@code nats.host},
 * {@code nats.max_payload}, ...; dots and dashes after the prefix count as underscores), read
 * through MicroProfile Config where the server has it (system properties over environment
 * variables over {@code microprofile-config.properties}), otherwise from system properties over
 * environment variables ({@code NATS_MAX_PAYLOAD} is {@code nats.max_payload}).
 * {@code nats.config_file} names a nats-server configuration file, applied first; the other keys
 * override it, as nats-server's command-line flags override its file. The mapping itself is
 * broker-core's ({@link BrokerOptions.Builder#applyProperties}, {@link ConfigLoader}).
 * One default differs from nats-server's: inside an application server the broker serves the
 * monitoring port on {@value #DEFAULT_HTTP_PORT} unless {@code http_port} (file or key) says
 * otherwise ({@code nats.http_port=0} switches it off), because every NATS tool looks there.
 */
final class BrokerConfiguration {

    static final String PREFIX = "nats.";
    static final String CONFIG_FILE = "config_file";
    /** The monitoring port inside an application server when none is configured: nats-server's usual {@code -m 8222}. */
    static final int DEFAULT_HTTP_PORT = 8222;
    private static final String ENV_PREFIX = "NATS_";

    private BrokerConfiguration() {
    }

    /** The {@code nats.*} settings of this container, keys normalised (see the class comment). */
    static Map<String, String> read() {
        try {
            return MicroProfileSource.read();
        } catch (LinkageError | IllegalStateException noMicroProfileConfig) {
            return read(System.getenv(), System.getProperties(), null);
        }
    }

    /**
     * The {@code nats.*} settings from the environment and system properties (system properties
     * win); when {@code lookup} is given (MicroProfile Config), each found name is read through it
     * instead, together with the names {@code lookup} itself lists in {@code listed}.
     */
    static Map<String, String> read(Map<String, String> environment, Properties system, UnaryOperator<String> lookup) {
        Map<String, String> values = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = PREFIX + name.substring(ENV_PREFIX.length());
                put(values, key, lookup == null ? value : lookup.apply(key));
            }
        });
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                put(values, name, lookup == null ? system.getProperty(name) : lookup.apply(name));
            }
        }
        return values;
    }

    static void put(Map<String, String> values, String name, String value) {
        if (value != null && name.length() > PREFIX.length()) {
            values.put(normalise(name.substring(PREFIX.length())), value);
        }
    }

    private static String normalise(String key) {
        return key.toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Options from normalised settings: the configuration file first, then every other key.
     *
     * @throws ConfigException when the file has errors (reported with file, line and column)
     * @throws IllegalArgumentException naming a key whose value is not valid
     */
    static BrokerOptions options(Map<String, String> settings) throws ConfigException {
        BrokerOptions.Builder builder = BrokerOptions.builder().httpPort(DEFAULT_HTTP_PORT);
        String file = settings.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            ConfigLoader.load(Path.of(file.trim()), builder);
        }
        Properties properties = new Properties();
        settings.forEach((key, value) -> {
            if (!key.equals(CONFIG_FILE)) {
                properties.setProperty(PREFIX + key, value);
            }
        });
        return builder.applyProperties(properties, PREFIX).build();
    }

    /** Reads through MicroProfile Config; only loaded when its API is present. */
    private static final class MicroProfileSource {

        static Map<String, String> read() {
            org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            UnaryOperator<String> lookup = name -> config.getOptionalValue(name, String.class).orElse(null);
            Map<String, String> values = BrokerConfiguration.read(System.getenv(), System.getProperties(), lookup);
            for (String name : config.getPropertyNames()) {
                if (name.startsWith(PREFIX) && !values.containsKey(normalise(name.substring(PREFIX.length())))) {
                    put(values, name, lookup.apply(name));
                }
            }
            return values;
        }
    }
}
