package io.natsee.broker;

import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.natsee.broker.support.ConfiguredServer;
import io.natsee.broker.support.ProtocolClient;

/**
 * {@link Broker#reload(BrokerOptions)} of the authorization, as nats-server's config reload does
 * it: new connections see the new users and permissions, existing ones are checked again (closed
 * when their credentials no longer pass, stripped of subscriptions they may no longer have), and
 * a change that cannot be applied at run time is refused whole.
 */
@Timeout(30)
class BrokerAuthReloadTest {

    private static final String VIOLATION = "-ERR 'Authorization Violation'\r\n";

    private static final String OLD_PASSWORD = """
            authorization {
              user: alice
              password: "old-pw"
            }
            """;

    private static final String NEW_PASSWORD = """
            authorization {
              user: alice
              password: "new-pw"
            }
            """;

    private static final String TWO_SUBJECTS = """
            authorization {
              users: [
                {user: admin, password: pw}
                {user: reader, password: pw, permissions: {publish: ["out.>"], subscribe: ["a.>", "b.>"]}}
              ]
            }
            """;

    private static final String ONE_SUBJECT = """
            authorization {
              users: [
                {user: admin, password: pw}
                {user: reader, password: pw, permissions: {publish: ["elsewhere"], subscribe: ["b.>"]}}
              ]
            }
            """;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @Test
    void aChangedPasswordClosesClientsThatUsedTheOldOneAndAdmitsOnlyTheNewOne() {
        ConfiguredServer server = start(OLD_PASSWORD);
        ProtocolClient before = connect(server, "{\"verbose\":false,\"user\":\"alice\",\"pass\":\"old-pw\"}");

        server.broker().reload(ConfiguredServer.optionsFor(NEW_PASSWORD));

        before.expect(VIOLATION);
        before.expectClosed();
        ProtocolClient old = open(server);
        old.send("CONNECT {\"user\":\"alice\",\"pass\":\"old-pw\"}\r\n").expect(VIOLATION);
        old.expectClosed();
        open(server).send("CONNECT {\"verbose\":true,\"user\":\"alice\",\"pass\":\"new-pw\"}\r\n")
                .expect("+OK\r\n").ping();
    }

    @Test
    void clientsWhoseCredentialsStillPassStayConnected() {
        ConfiguredServer server = start(TWO_SUBJECTS);
        ProtocolClient admin = connect(server, "{\"verbose\":false,\"user\":\"admin\",\"pass\":\"pw\"}");
        admin.send("SUB a.x 1\r\n").ping();

        server.broker().reload(ConfiguredServer.optionsFor(ONE_SUBJECT));

        ProtocolClient other = connect(server, "{\"verbose\":false,\"user\":\"admin\",\"pass\":\"pw\"}");
        other.send(pub("a.x", null, "still")).ping();
        admin.expect(msg("a.x", "1", null, "still"));
        admin.ping();
    }

    @Test
    void aRemovedSubscribePermissionEndsTheExistingSubscription() {
        ConfiguredServer server = start(TWO_SUBJECTS);
        ProtocolClient reader = connect(server, "{\"verbose\":false,\"user\":\"reader\",\"pass\":\"pw\"}");
        reader.send("SUB a.x 1\r\nSUB b.x 2\r\n").ping();
        ProtocolClient admin = connect(server, "{\"verbose\":false,\"user\":\"admin\",\"pass\":\"pw\"}");
        admin.send(pub("a.x", null, "1") + pub("b.x", null, "2")).ping();
        reader.expect(msg("a.x", "1", null, "1")).expect(msg("b.x", "2", null, "2"));

        server.broker().reload(ConfiguredServer.optionsFor(ONE_SUBJECT));

        // After a reload nats-server 2.9.10 names the sid (ReloadOpenConnectionsTest runs it there).
        reader.expect("-ERR 'Permissions Violation for Subscription to \"a.x\" (sid \"1\")'\r\n");
        admin.send(pub("a.x", null, "gone") + pub("b.x", null, "kept")).ping();
        reader.expect(msg("b.x", "2", null, "kept"));
        reader.ping();
        // The new publish permission applies to the same connection too.
        reader.send(pub("out.x", null, "no")).expect("-ERR 'Permissions Violation for Publish to \"out.x\"'\r\n");
        reader.send("SUB a.y 3\r\n").expect("-ERR 'Permissions Violation for Subscription to \"a.y\"'\r\n");
        reader.ping();
    }

    @Test
    void addingAUserAndRemovingAuthorizationTakeEffect() {
        ConfiguredServer server = start(OLD_PASSWORD);
        ProtocolClient alice = connect(server, "{\"verbose\":false,\"user\":\"alice\",\"pass\":\"old-pw\"}");

        server.broker().reload(ConfiguredServer.optionsFor("""
                authorization {
                  users: [
                    {user: alice, password: "old-pw"}
                    {user: bob, password: "bob-pw"}
                  ]
                }
                """));
        connect(server, "{\"verbose\":false,\"user\":\"bob\",\"pass\":\"bob-pw\"}");
        alice.ping();

        server.broker().reload(ConfiguredServer.optionsFor("max_payload: 1048576\n"));
        ProtocolClient anyone = open(server);
        assertTrue(!anyone.infoJson().contains("auth_required"), anyone.infoLine());
        anyone.send("CONNECT {\"verbose\":true}\r\n").expect("+OK\r\n").ping();
        alice.ping();
    }

    @Test
    void aChangeThatCannotBeReloadedIsRefusedAndNothingChanges() {
        ConfiguredServer server = start(OLD_PASSWORD);
        ProtocolClient before = connect(server, "{\"verbose\":false,\"user\":\"alice\",\"pass\":\"old-pw\"}");
        BrokerOptions running = server.broker().options();
        BrokerOptions changed = ConfiguredServer.optionsFor(NEW_PASSWORD + "port: " + freeOtherPort(server) + "\n");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> server.broker().reload(changed));

        assertTrue(refused.getMessage().contains("port"), refused.getMessage());
        assertSame(running, server.broker().options());
        before.ping();
        open(server).send("CONNECT {\"verbose\":true,\"user\":\"alice\",\"pass\":\"old-pw\"}\r\n").expect("+OK\r\n");
        ProtocolClient withNew = open(server);
        withNew.send("CONNECT {\"user\":\"alice\",\"pass\":\"new-pw\"}\r\n").expect(VIOLATION);
        withNew.expectClosed();
        assertEquals(running.port(), server.broker().options().port());
    }

    // ------------------------------------------------------------------ helpers

    private ConfiguredServer start(String config) {
        return track(ConfiguredServer.startNatsee(config));
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

    private ProtocolClient connect(ConfiguredServer server, String connectJson) {
        ProtocolClient client = open(server);
        client.send("CONNECT " + connectJson + "\r\n").ping();
        return client;
    }

    private static int freeOtherPort(ConfiguredServer server) {
        return server.port() == 14222 ? 14223 : 14222;
    }
}
