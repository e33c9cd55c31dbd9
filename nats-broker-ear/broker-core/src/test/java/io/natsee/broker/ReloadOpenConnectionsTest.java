package io.natsee.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.support.ConfiguredServer;
import io.natsee.broker.support.ProtocolClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A reload reaches the open connections as nats-server 2.9.10's does (each case runs on both): a
 * client whose password changed is closed with {@code Authorization Violation}; changed
 * permissions apply at once (a subscription no longer allowed ends with a permissions error, a
 * publish no longer allowed is refused); clients above a lowered
 * {@code max_connections} are closed with {@code -ERR 'maximum connections exceeded'} and the
 * next one is refused; a lowered {@code max_payload} shows in the INFO of new clients and closes
 * an open client whose next payload exceeds it.
 */
@Timeout(60)
class ReloadOpenConnectionsTest {

    private static final String EXCEEDED = "-ERR 'maximum connections exceeded'";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @ParameterizedTest
    @EnumSource(ConfiguredServer.Kind.class)
    void aChangedPasswordClosesTheClientThatUsedTheOldOne(ConfiguredServer.Kind kind) {
        ConfiguredServer server = track(kind.start(users("old-pw", "[\">\"]", "[\">\"]")));
        ProtocolClient alice = connect(server, ",\"user\":\"alice\",\"pass\":\"old-pw\"");
        ProtocolClient bob = connect(server, ",\"user\":\"bob\",\"pass\":\"bob-pw\"");

        server.reload(users("new-pw", "[\">\"]", "[\">\"]"));

        alice.expect("-ERR 'Authorization Violation'\r\n");
        alice.expectClosed();
        bob.send("PING\r\n").expect("PONG\r\n");
    }

    @ParameterizedTest
    @EnumSource(ConfiguredServer.Kind.class)
    void changedPermissionsApplyToTheOpenConnection(ConfiguredServer.Kind kind) {
        ConfiguredServer server = track(kind.start(users("pw", "[\"a.>\", \"b.>\"]", "[\"a.>\", \"b.>\"]")));
        ProtocolClient alice = connect(server, ",\"user\":\"alice\",\"pass\":\"pw\"");
        alice.send("SUB a.x 1\r\nSUB b.x 2\r\nPING\r\n").expect("PONG\r\n");
        alice.send("SUB a.q workers 3\r\nPING\r\n").expect("PONG\r\n");

        server.reload(users("pw", "[\"b.>\"]", "[\"b.>\"]"));

        // nats-server 2.9.10's text on a reload names the sid (and not the queue group).
        java.util.Set<String> errors = new java.util.HashSet<>(List.of(alice.readLine(), alice.readLine()));
        assertEquals(java.util.Set.of("-ERR 'Permissions Violation for Subscription to \"a.x\" (sid \"1\")'",
                "-ERR 'Permissions Violation for Subscription to \"a.q\" (sid \"3\")'"), errors, server.toString());
        alice.send("PUB a.x 2\r\nhi\r\nPUB b.x 2\r\nok\r\nPING\r\n")
                .expect("-ERR 'Permissions Violation for Publish to \"a.x\"'\r\n")
                .expect("MSG b.x 2 2\r\nok\r\n")
                .expect("PONG\r\n");
    }

    /** alice with {@code password} and the permissions given, bob with everything. */
    private static String users(String password, String publish, String subscribe) {
        return "authorization {\n  users: [\n"
                + "    {user: alice, password: \"" + password + "\", permissions: {publish: " + publish
                + ", subscribe: " + subscribe + "}}\n"
                + "    {user: bob, password: \"bob-pw\"}\n  ]\n}\n";
    }

    @ParameterizedTest
    @EnumSource(ConfiguredServer.Kind.class)
    void aLowerMaxConnectionsClosesTheClientsAboveIt(ConfiguredServer.Kind kind) {
        ConfiguredServer server = track(kind.start("max_connections: 3\n"));
        List<ProtocolClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(connect(server));
        }

        server.reload("max_connections: 1\n");

        int closed = 0;
        int open = 0;
        for (ProtocolClient client : clients) {
            client.send("PING\r\n");
            String line = client.readLine();
            if (line.equals(EXCEEDED)) {
                client.expectClosed();
                closed++;
            } else {
                assertEquals("PONG", line, server.toString());
                open++;
            }
        }
        assertEquals(2, closed, server + " closed");
        assertEquals(1, open, server + " kept");
        ProtocolClient refused = track(ProtocolClient.openRaw(server.host(), server.port()));
        refused.readInfo();
        assertEquals(EXCEEDED, refused.readLine(), server.toString());
        refused.expectClosed();
    }

    @ParameterizedTest
    @EnumSource(ConfiguredServer.Kind.class)
    void aLowerMaxPayloadHoldsOpenClientsToIt(ConfiguredServer.Kind kind) {
        ConfiguredServer server = track(kind.start("max_connections: 10\n"));
        ProtocolClient client = connect(server);

        server.reload("max_connections: 10\nmax_payload: 100\n");

        ProtocolClient later = track(ProtocolClient.openRaw(server.host(), server.port()));
        later.readInfo();
        assertTrue(later.infoJson().contains("\"max_payload\":100,"), later.infoLine());
        client.send("PUB a 100\r\n" + "x".repeat(100) + "\r\nPING\r\n").expect("PONG\r\n");
        client.send("PUB a 101\r\n" + "x".repeat(101) + "\r\nPING\r\n").expect("-ERR 'Maximum Payload Violation'\r\n");
        client.expectClosed();
    }

    private ProtocolClient connect(ConfiguredServer server) {
        return connect(server, "");
    }

    private ProtocolClient connect(ConfiguredServer server, String credentials) {
        ProtocolClient client = track(ProtocolClient.openRaw(server.host(), server.port()));
        client.readInfo();
        client.send("CONNECT {\"verbose\":false" + credentials + "}\r\nPING\r\n").expect("PONG\r\n");
        return client;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }
}
