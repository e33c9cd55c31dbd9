package io.natsee.broker.blackbox;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsee.broker.support.ConfiguredServer;
import io.natsee.broker.support.ProtocolClient;

/**
 * A user's {@code allowed_connection_types} (reference section B), as nats-server 2.9.10 applies
 * it to a plain client (connection type {@code STANDARD}): an empty or absent list allows every
 * type; a list without {@code STANDARD} refuses the client with
 * {@code -ERR 'Authorization Violation'} and closes it, even with the right password or NKey
 * signature. Names are case-insensitive in the configuration.
 */
@Timeout(30)
public abstract class AuthConnectionTypesContract {

    private static final String VIOLATION = "-ERR 'Authorization Violation'\r\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String USERS = """
            authorization {
              users: [
                {user: std, password: pw, allowed_connection_types: ["STANDARD"]}
                {user: mixed, password: pw, allowed_connection_types: ["WEBSOCKET", "STANDARD"]}
                {user: lower, password: pw, allowed_connection_types: ["standard"]}
                {user: any, password: pw, allowed_connection_types: []}
                {user: unset, password: pw}
                {user: ws, password: pw, allowed_connection_types: ["WEBSOCKET"]}
                {user: leaf, password: pw, allowed_connection_types: ["LEAFNODE", "LEAFNODE_WS"]}
                {user: mqtt, password: pw, allowed_connection_types: ["MQTT", "MQTT_WS"]}
                {user: wsmqtt, password: pw, allowed_connection_types: ["websocket", "mqtt"]}
              ]
            }
            """;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** The server implementation this test class runs against. */
    protected abstract ConfiguredServer.Kind kind();

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"std", "mixed", "lower", "any", "unset"})
    void usersAllowedStandardConnectionsGetIn(String user) {
        ProtocolClient client = open(start(USERS));
        client.send("CONNECT {\"verbose\":true,\"user\":\"" + user + "\",\"pass\":\"pw\"}\r\n").expect("+OK\r\n");
        client.send("SUB t 1\r\nPUB t 2\r\nhi\r\n").expect("+OK\r\n+OK\r\nMSG t 1 2\r\nhi\r\n");
        client.ping();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "leaf", "mqtt", "wsmqtt"})
    void usersNotAllowedStandardConnectionsAreRefusedDespiteTheRightPassword(String user) {
        ProtocolClient client = open(start(USERS));
        client.send("CONNECT {\"verbose\":true,\"user\":\"" + user + "\",\"pass\":\"pw\"}\r\n").expect(VIOLATION);
        client.expectClosed();
    }

    @Test
    void aStandardUserWithTheWrongPasswordIsStillRefused() {
        ProtocolClient client = open(start(USERS));
        client.send("CONNECT {\"user\":\"std\",\"pass\":\"nope\"}\r\n").expect(VIOLATION);
        client.expectClosed();
    }

    @Test
    void jnatsIsRefusedForAWebsocketOnlyUserAndAcceptedForAStandardOne() throws Exception {
        ConfiguredServer server = start(USERS);
        try (Connection connection = Nats.connect(options(server).userInfo("std", "pw").build())) {
            connection.flush(Duration.ofSeconds(5));
        }
        Exception refused = assertThrows(Exception.class,
                () -> Nats.connect(options(server).userInfo("ws", "pw").build()).close());
        StringBuilder seen = new StringBuilder();
        for (Throwable t = refused; t != null; t = t.getCause()) {
            seen.append(t).append(" | ");
        }
        assertTrue(seen.toString().contains("Authorization Violation"), seen.toString());
    }

    @Test
    void nkeyUserNotAllowedStandardConnectionsIsRefusedDespiteAValidSignature() throws Exception {
        NKey websocketOnly = NKey.createUser(null);
        NKey standard = NKey.createUser(null);
        ConfiguredServer server = start("authorization {\n  users: [\n"
                + "    {nkey: " + new String(websocketOnly.getPublicKey()) + ", allowed_connection_types: [\"WEBSOCKET\"]}\n"
                + "    {nkey: " + new String(standard.getPublicKey()) + ", allowed_connection_types: [\"STANDARD\"]}\n"
                + "  ]\n}\n");
        ProtocolClient refused = open(server);
        refused.send(nkeyConnect(websocketOnly, refused)).expect(VIOLATION);
        refused.expectClosed();
        ProtocolClient accepted = open(server);
        accepted.send(nkeyConnect(standard, accepted)).expect("+OK\r\n");
        accepted.ping();
    }

    @Test
    void anUnknownConnectionTypeIsAConfigurationError() {
        assertThrows(AssertionError.class, () -> track(kind().start("""
                authorization {
                  users: [ {user: u, password: pw, allowed_connection_types: ["CARRIER_PIGEON"]} ]
                }
                """)));
    }

    // ------------------------------------------------------------------ helpers

    private ConfiguredServer start(String config) {
        return track(kind().start(config));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    private ProtocolClient open(ConfiguredServer server) {
        ProtocolClient client = track(ProtocolClient.openRaw(server.host(), server.port()));
        client.readInfo();
        return client;
    }

    private static Options.Builder options(ConfiguredServer server) {
        return new Options.Builder().server(server.url()).connectionTimeout(Duration.ofSeconds(5))
                .noReconnect().maxReconnects(0);
    }

    private static String nkeyConnect(NKey key, ProtocolClient client) throws Exception {
        String nonce = JSON.readTree(client.infoLine().substring("INFO ".length()).trim()).path("nonce").asText();
        String signature = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.sign(nonce.getBytes(StandardCharsets.UTF_8)));
        return "CONNECT {\"verbose\":true,\"nkey\":\"" + new String(key.getPublicKey()) + "\",\"sig\":\""
                + signature + "\"}\r\n";
    }
}
