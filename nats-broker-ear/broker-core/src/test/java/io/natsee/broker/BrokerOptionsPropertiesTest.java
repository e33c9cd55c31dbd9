package io.natsee.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.auth.User;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@link BrokerOptions#fromProperties}: the keys an application server's configuration passes. */
class BrokerOptionsPropertiesTest {

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void limitsAndAddressesAreRead() {
        BrokerOptions options = BrokerOptions.fromProperties(properties(
                "nats.port", "4333", "nats.host", "127.0.0.1", "nats.max_payload", "64KB",
                "nats.ping_interval", "30s", "other.port", "1"), "nats.");
        assertEquals(4333, options.port());
        assertEquals("127.0.0.1", options.host());
        assertEquals(64 * 1024, options.maxPayload());
        assertEquals(Duration.ofSeconds(30), options.pingInterval());
    }

    @Test
    void userAndPasswordRequireAuthentication() {
        BrokerOptions options = BrokerOptions.fromProperties(properties("nats.user", "app", "nats.pass", "s3cret"), "nats.");
        AuthOptions auth = options.authorization();
        assertTrue(auth.required());
        assertEquals("app", auth.user());
        assertEquals("s3cret", auth.password());
        assertFalse(options.toString().contains("s3cret"), options.toString());
    }

    @Test
    void tokenRequiresAuthentication() {
        BrokerOptions options = BrokerOptions.fromProperties(properties("nats.auth", "t0ken"), "nats.");
        assertEquals("t0ken", options.authorization().token());
        assertFalse(options.toString().contains("t0ken"));
    }

    @Test
    void propertiesKeepAFilesUsersList() {
        BrokerOptions.Builder builder = BrokerOptions.builder().authorization(
                new AuthOptions(null, null, null, List.of(User.withPassword("a", "x")), null, Duration.ofSeconds(3)));
        BrokerOptions options = builder.applyProperties(properties("nats.auth", "t"), "nats.").build();
        assertEquals(1, options.authorization().users().size());
        assertEquals("t", options.authorization().token());
        assertEquals(Duration.ofSeconds(3), options.authorization().timeout());
    }

    @Test
    void tlsFilesAndVerify() {
        BrokerOptions options = BrokerOptions.fromProperties(properties("nats.tls_cert", "/etc/nats/server.pem",
                "nats.tls_key", "/etc/nats/server-key.pem", "nats.tls_ca", "/etc/nats/ca.pem", "nats.tls_verify", "true",
                "nats.tls_timeout", "3s"), "nats.");
        assertEquals(Path.of("/etc/nats/server.pem"), options.tls().certFile());
        assertEquals(Path.of("/etc/nats/ca.pem"), options.tls().caFile());
        assertTrue(options.tls().verify());
        assertEquals(Duration.ofSeconds(3), options.tls().timeout());
    }

    @Test
    void tlsNeedsCertificateAndKey() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> BrokerOptions.fromProperties(properties("nats.tls_cert", "/etc/nats/server.pem"), "nats."));
        assertTrue(error.getMessage().contains("nats.tls_key"), error.getMessage());
    }

    @Test
    void tlsFalseSwitchesTlsOff() {
        BrokerOptions options = BrokerOptions.fromProperties(properties("nats.tls", "false",
                "nats.tls_cert", "/a.pem", "nats.tls_key", "/b.pem"), "nats.");
        assertNull(options.tls());
    }
}
