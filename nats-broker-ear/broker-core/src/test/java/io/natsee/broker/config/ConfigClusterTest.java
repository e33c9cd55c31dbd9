package io.natsee.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.cluster.ClusterOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cluster} block: what maps onto {@link ClusterOptions}, and nats-server 2.9.10's
 * texts for bad blocks (checked with {@code nats-server -t}).
 */
class ConfigClusterTest {

    private static final Path FILE = Path.of("server.conf");

    private final List<String> warnings = new ArrayList<>();

    private BrokerOptions load(String text) throws ConfigException {
        ConfigValue.MapValue root = new ConfigFileParser(Map.of()).parse(text, FILE);
        return ConfigLoader.apply(root, BrokerOptions.builder(), warning -> warnings.add(warning.toString())).build();
    }

    private List<String> errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(text));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void noBlockMeansNoCluster() throws ConfigException {
        assertNull(load("port: 4222\n").cluster());
    }

    @Test
    void readsEveryHonouredKey() throws ConfigException {
        ClusterOptions cluster = load("""
                cluster {
                  name: east
                  listen: "127.0.0.1:6222"
                  routes: [ "nats://ruser:rpass@127.0.0.1:6223", "nats-route://10.0.0.2:6224" ]
                  authorization { user: ruser, password: rpass, timeout: 3 }
                  advertise: "10.1.1.1:7222"
                  no_advertise: true
                  connect_retries: 5
                }
                """).cluster();
        assertEquals("east", cluster.name());
        assertEquals("127.0.0.1", cluster.host());
        assertEquals(6222, cluster.port());
        assertEquals(List.of(URI.create("nats://ruser:rpass@127.0.0.1:6223"), URI.create("nats-route://10.0.0.2:6224")),
                cluster.routes());
        assertEquals("ruser", cluster.user());
        assertEquals("rpass", cluster.password());
        assertEquals(Duration.ofSeconds(3), cluster.authTimeout());
        assertEquals("10.1.1.1:7222", cluster.advertise());
        assertTrue(cluster.noAdvertise());
        assertEquals(5, cluster.connectRetries());
        assertNull(cluster.tls());
        assertTrue(cluster.enabled());
        assertTrue(cluster.authRequired());
    }

    @Test
    void hostAndPortAndAliases() throws ConfigException {
        ClusterOptions cluster = load("cluster { net: 127.0.0.2, port: -1, cluster_advertise: \"h:1\" }").cluster();
        assertEquals("127.0.0.2", cluster.host());
        assertEquals(-1, cluster.port());
        assertEquals("h:1", cluster.advertise());
        assertEquals(6222, load("cluster { listen: 6222 }").cluster().port());
        assertNull(load("cluster { listen: \":6222\" }").cluster().host());
    }

    @Test
    void aBlockWithoutPortNamesTheClusterButIsOff() throws ConfigException {
        // nats-server 2.9.10 logs "Cluster: X" and neither listens nor dials its routes.
        ClusterOptions cluster = load("cluster { name: X, routes: [\"nats://127.0.0.1:1\"] }").cluster();
        assertEquals("X", cluster.name());
        assertFalse(cluster.enabled());
    }

    @Test
    void aRepeatedRouteIsAWarningAndKeptOnce() throws ConfigException {
        ClusterOptions cluster = load("cluster { port: 6222, routes: [\"nats://a:1\", \"nats://a:1\"] }").cluster();
        assertEquals(List.of(URI.create("nats://a:1")), cluster.routes());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).endsWith("invalid use of field \"nats://a:1\": Duplicate route entry detected"),
                warnings.get(0));
    }

    @Test
    void refusesWhatNatsServerRefuses() {
        assertTrue(errors("cluster { authorization { users: [{user: a, password: b}] } }").get(0)
                .endsWith("Cluster authorization does not allow multiple users"));
        assertTrue(errors("cluster { authorization { token: abc } }").get(0)
                .endsWith("Cluster authorization does not support tokens"));
        assertTrue(errors("cluster { bogus: 1 }").get(0).endsWith("unknown field \"bogus\""));
        assertTrue(errors("cluster: 5").get(0).contains("Expected map to define cluster"));
        assertTrue(errors("cluster { listen: \"127.0.0.1:x\" }").get(0).endsWith("could not parse port \"x\""));
        assertTrue(errors("cluster { port: 70000 }").get(0).contains("must be a port between -1 and 65535"));
        assertTrue(errors("cluster { routes: [\"nats://nohost\"] }").get(0).contains("error parsing route url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pool_size: 3", "compression: off", "accounts: [a]"})
    void refusesLaterKeysByName(String line) {
        String key = line.substring(0, line.indexOf(':'));
        List<String> errors = errors("cluster { port: 6222\n" + line + "\n}");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("\"" + key + "\" is not supported by this server"), errors.get(0));
        assertTrue(errors.get(0).contains("2.9.10 does not know it"), errors.get(0));
    }

    @Test
    void refusesRoutePermissionsAsNotSupportedYet() {
        assertTrue(errors("cluster { port: 6222, permissions: { import: \"a\" } }").get(0)
                .contains("\"permissions\" is not supported yet by this server"));
    }

    @Test
    void everyProblemIsReported() {
        assertEquals(3, errors("cluster { pool_size: 1, bogus: 2, port: x }").size());
    }

    @Test
    void routeUrlsAreRedactedInText() throws ConfigException {
        String text = load("cluster { port: 1, routes: [\"nats://u:secret@h:2\"], authorization { user: u, password: secret } }")
                .cluster().toString();
        assertFalse(text.contains("secret"), text);
        assertTrue(text.contains("nats://u:xxxxx@h:2"), text);
    }
}
