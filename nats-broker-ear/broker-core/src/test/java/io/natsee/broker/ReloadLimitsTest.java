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
 * A reload of {@code max_connections} and {@code max_payload} reaches the open connections, as
 * nats-server 2.9.10's does (each case runs on both): clients above a lowered
 * {@code max_connections} are closed with {@code -ERR 'maximum connections exceeded'} and the
 * next one is refused; a lowered {@code max_payload} shows in the INFO of new clients and closes
 * an open client whose next payload exceeds it.
 */
@Timeout(60)
class ReloadLimitsTest {

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
        ProtocolClient client = track(ProtocolClient.openRaw(server.host(), server.port()));
        client.readInfo();
        client.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expect("PONG\r\n");
        return client;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }
}
