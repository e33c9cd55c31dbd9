package io.natsee.broker.config;

import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.cluster.ClusterOptions;
import io.natsee.broker.cluster.ClusterUrls;
import io.natsee.broker.config.BlockReader.BlockError;
import io.natsee.broker.config.ConfigValue.ArrayValue;
import io.natsee.broker.config.ConfigValue.IntegerValue;
import io.natsee.broker.config.ConfigValue.MapValue;
import io.natsee.broker.config.ConfigValue.StringValue;
import io.natsee.broker.tls.TlsOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the {@code cluster} block into {@link ClusterOptions}, with nats-server 2.9.10's keys
 * and texts: {@code name}, {@code listen} (port, {@code :port} or {@code host:port}),
 * {@code host}/{@code net}, {@code port}, {@code routes} (an array of URLs; a repeated URL is
 * a warning, as in nats-server), {@code authorization} ({@code user}, {@code password},
 * {@code timeout}; a users list or a token is refused with nats-server's texts), {@code tls}
 * (the same block as the client port's, see {@link TlsBlock}), {@code advertise}/
 * {@code cluster_advertise}, {@code no_advertise} and {@code connect_retries}.
 *
 * <p>{@code permissions} (route import/export filters), which nats-server 2.9.10 knows, is
 * refused as not supported yet; keys of later nats-server versions ({@code pool_size},
 * {@code compression}, {@code accounts}, ...) are refused by name, saying 2.9.10 does not know
 * them either; anything else is nats-server's {@code unknown field}.
 */
final class ClusterBlock {

    /** cluster keys of nats-server 2.10 and later, which 2.9.10 (and so this server) does not read. */
    static final Set<String> LATER_KEYS = Set.of("pool_size", "compression", "accounts", "ping_interval",
            "ping_max", "write_deadline", "no_system_account_route", "pinned_accounts");

    private ClusterBlock() {
    }

    /**
     * Reads the block; every problem is added to {@code errors}.
     *
     * @return the options, or {@code null} when the block has errors
     */
    static ClusterOptions read(ConfigEntry block, List<ConfigError> errors, Consumer<ConfigError> warnings) {
        if (!(block.value() instanceof MapValue map)) {
            errors.add(block.value().position().error("Expected map to define cluster, got " + block.value().typeName()));
            return null;
        }
        int before = errors.size();
        String name = null;
        String host = null;
        int port = 0;
        List<URI> routes = List.of();
        String user = null;
        String password = null;
        Duration authTimeout = null;
        TlsOptions tls = null;
        String advertise = null;
        boolean noAdvertise = false;
        int connectRetries = 0;
        for (ConfigEntry entry : map.entries().values()) {
            String key = entry.key().toLowerCase(Locale.ROOT);
            try {
                switch (key) {
                    case "name" -> {
                        name = BlockReader.string(entry);
                        if (name.contains(" ") || name.contains("\t") || name.contains("\n")) {
                            throw new BlockError(entry.value().position(), "cluster name cannot contain spaces or new lines");
                        }
                    }
                    case "listen" -> {
                        String[] hostPort = listen(entry);
                        host = hostPort[0].isEmpty() ? null : hostPort[0];
                        port = Integer.parseInt(hostPort[1]);
                    }
                    case "port" -> port = port(entry, BlockReader.integer(entry));
                    case "host", "net" -> host = BlockReader.string(entry);
                    case "authorization" -> {
                        AuthorizationBlock.Result result = AuthorizationBlock.read(entry, errors, warnings);
                        if (result != null && result.options() != null) {
                            AuthOptions auth = result.options();
                            if (!auth.users().isEmpty()) {
                                throw new BlockError(entry.keyPosition(), "Cluster authorization does not allow multiple users");
                            }
                            if (auth.token() != null) {
                                throw new BlockError(entry.keyPosition(), "Cluster authorization does not support tokens");
                            }
                            if (auth.defaultPermissions() != null) {
                                throw new BlockError(entry.keyPosition(), "\"permissions\" in the cluster authorization block"
                                        + " is not supported yet by this server (nats-server 2.9.10 also calls it deprecated)");
                            }
                            user = auth.user();
                            password = auth.password();
                            authTimeout = auth.timeout();
                        }
                    }
                    case "routes" -> routes = routes(entry, errors, warnings);
                    case "tls" -> {
                        tls = TlsBlock.read(entry, errors);
                    }
                    case "cluster_advertise", "advertise" -> advertise = BlockReader.string(entry);
                    case "no_advertise" -> noAdvertise = BlockReader.bool(entry);
                    case "connect_retries" -> {
                        long retries = BlockReader.integer(entry);
                        if (retries < 0 || retries > Integer.MAX_VALUE) {
                            throw new BlockError(entry.value().position(), "\"connect_retries\" must be between 0 and "
                                    + Integer.MAX_VALUE + ", not " + retries);
                        }
                        connectRetries = (int) retries;
                    }
                    case "permissions" -> throw new BlockError(entry.keyPosition(),
                            "\"permissions\" is not supported yet by this server");
                    default -> {
                        if (LATER_KEYS.contains(key)) {
                            throw new BlockError(entry.keyPosition(), "\"" + entry.key() + "\" is not supported by this"
                                    + " server: it is a cluster key of nats-server 2.10 or later, and 2.9.10 does not know it"
                                    + " either (unknown field)");
                        }
                        BlockReader.unknownField(entry, errors);
                    }
                }
            } catch (BlockError e) {
                errors.add(e.error);
            }
        }
        if (errors.size() > before) {
            return null;
        }
        try {
            return new ClusterOptions(name, host, port, routes, user, password, authTimeout, tls, advertise,
                    noAdvertise, connectRetries);
        } catch (IllegalArgumentException e) {
            errors.add(block.keyPosition().error(e.getMessage()));
            return null;
        }
    }

    private static List<URI> routes(ConfigEntry entry, List<ConfigError> errors, Consumer<ConfigError> warnings) {
        List<StringValue> texts;
        if (entry.value() instanceof ArrayValue) {
            texts = BlockReader.strings(entry, "a route URL");
        } else {
            throw BlockReader.wrongType(entry, "an array of route URLs");
        }
        List<URI> routes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StringValue text : texts) {
            if (!seen.add(text.value())) {
                warnings.accept(text.position().error("invalid use of field \"" + text.value() + "\": Duplicate route entry detected"));
                continue;
            }
            try {
                routes.add(ClusterUrls.route(text.value()));
            } catch (IllegalArgumentException e) {
                errors.add(text.position().error(e.getMessage()));
            }
        }
        return routes;
    }

    /** {@code [host, port]} of a {@code listen} value; the host is empty when not given. */
    private static String[] listen(ConfigEntry entry) {
        ConfigValue value = entry.value();
        if (value instanceof IntegerValue integer) {
            return new String[] {"", Integer.toString(port(entry, integer.value()))};
        }
        if (!(value instanceof StringValue string)) {
            throw new BlockError(value.position(), "expected port or host:port, got " + value.typeName());
        }
        String text = string.value();
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new BlockError(value.position(), "could not parse address string \"" + text + "\"");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        long port;
        try {
            port = Long.parseLong(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BlockError(value.position(), "could not parse port \"" + text.substring(colon + 1) + "\"");
        }
        return new String[] {host, Integer.toString(port(entry, port))};
    }

    private static int port(ConfigEntry entry, long port) {
        if (port < ClusterOptions.RANDOM_PORT || port > 65535) {
            throw new BlockError(entry.value().position(), "\"" + entry.key() + "\" must be a port between -1 and 65535, not " + port);
        }
        return (int) port;
    }
}
