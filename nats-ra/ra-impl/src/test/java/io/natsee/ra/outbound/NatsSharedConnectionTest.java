package io.natsee.ra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeConnectionManager;
import io.natsee.ra.support.TestBroker;
import jakarta.resource.spi.ConnectionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code connectionMode=shared}: one reference-counted jnats connection per configuration and credentials. */
class NatsSharedConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestBroker broker;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;
    private NatsManagedConnectionFactory managedConnectionFactory;
    private FakeConnectionManager pool;
    private NatsConnectionFactory factory;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        bootstrapContext = new FakeBootstrapContext();
        resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.start(bootstrapContext);
        managedConnectionFactory = new NatsManagedConnectionFactory();
        managedConnectionFactory.setResourceAdapter(resourceAdapter);
        managedConnectionFactory.setConnectionMode("shared");
        pool = new FakeConnectionManager();
        factory = (NatsConnectionFactory) managedConnectionFactory.createConnectionFactory(pool);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdown();
        resourceAdapter.stop();
        bootstrapContext.workManager().shutdown();
        broker.close();
    }

    private static Connection physical(NatsConnection handle) {
        return ((NatsConnectionHandle) handle).managedConnection().physical();
    }

    @Test
    void managedConnectionsShareOnePhysicalConnectionUntilTheLastIsDestroyed() throws Exception {
        NatsConnection first = factory.getConnection();
        NatsConnection second = factory.getConnection();
        NatsManagedConnection one = ((NatsConnectionHandle) first).managedConnection();
        NatsManagedConnection two = ((NatsConnectionHandle) second).managedConnection();
        assertNotSame(one, two, "the pool still hands out two managed connections");
        assertEquals(2, pool.created());
        assertSame(physical(first), physical(second), "one socket for both");
        assertTrue(one.isShared() && two.isShared());
        SharedConnections shared = resourceAdapter.sharedConnections();
        assertEquals(1, shared.size());
        assertEquals(2, shared.references(managedConnectionFactory.effectiveSettings(null)));

        try (Connection observer = Nats.connect(broker.url())) {
            Subscription subscription = observer.subscribe("shared.both");
            observer.flush(WAIT);
            first.publish("shared.both", "1".getBytes(StandardCharsets.UTF_8));
            second.publish("shared.both", "2".getBytes(StandardCharsets.UTF_8));
            second.flush(WAIT);
            assertNotNull(subscription.nextMessage(WAIT));
            assertNotNull(subscription.nextMessage(WAIT));
        }

        Connection socket = physical(first);
        first.close();
        second.close();
        assertEquals(Connection.Status.CONNECTED, socket.getStatus(), "closing handles never closes the socket");
        one.destroy();
        assertEquals(Connection.Status.CONNECTED, socket.getStatus(), "still used by the other managed connection");
        assertEquals(1, shared.references(managedConnectionFactory.effectiveSettings(null)));
        one.destroy();
        assertEquals(1, shared.references(managedConnectionFactory.effectiveSettings(null)), "a second destroy drops nothing more");
        two.destroy();
        assertEquals(Connection.Status.CLOSED, socket.getStatus(), "the last reference closes it");
        assertEquals(0, shared.size());
        assertFalse(two.isUsable());
    }

    @Test
    void differentCredentialsGetTheirOwnPhysicalConnection() throws Exception {
        NatsConnectionFactoryImpl impl = (NatsConnectionFactoryImpl) factory;
        NatsConnection anonymous = impl.getConnection();
        NatsConnection alice = impl.getConnection("alice", "secret");
        NatsConnection aliceAgain = impl.getConnection("alice", "secret");
        assertNotSame(physical(anonymous), physical(alice));
        assertSame(physical(alice), physical(aliceAgain));
        assertEquals(2, resourceAdapter.sharedConnections().size());
        anonymous.close();
        alice.close();
        aliceAgain.close();
    }

    @Test
    void poolsWithTheSameSettingsShareTheAdaptersConnectionAndStopClosesIt() throws Exception {
        NatsManagedConnectionFactory otherFactory = new NatsManagedConnectionFactory();
        otherFactory.setResourceAdapter(resourceAdapter);
        otherFactory.setConnectionMode("SHARED");
        FakeConnectionManager otherPool = new FakeConnectionManager();
        NatsConnectionFactory other = (NatsConnectionFactory) otherFactory.createConnectionFactory(otherPool);
        NatsConnection fromThis = factory.getConnection();
        NatsConnection fromOther = other.getConnection();
        Connection socket = physical(fromThis);
        assertSame(socket, physical(fromOther));
        fromThis.close();
        fromOther.close();
        resourceAdapter.stop();
        assertEquals(Connection.Status.CLOSED, socket.getStatus());
        assertEquals(0, resourceAdapter.sharedConnections().size());
        otherPool.shutdown();
    }

    @Test
    void aLostSharedConnectionIsReportedOnEveryManagedConnectionUsingIt() throws Exception {
        managedConnectionFactory.setMaxReconnects(0);
        NatsConnection busy = factory.getConnection();
        NatsConnection idle = factory.getConnection();
        NatsManagedConnection busyManaged = ((NatsConnectionHandle) busy).managedConnection();
        NatsManagedConnection idleManaged = ((NatsConnectionHandle) idle).managedConnection();
        idle.close();
        assertEquals(1, pool.idleCount());

        broker.stop();
        Await.until(WAIT, "CONNECTION_ERROR_OCCURRED on both", () -> pool.errors().size() == 2);
        Set<Object> sources = new HashSet<>();
        for (ConnectionEvent event : pool.errors()) {
            assertEquals(ConnectionEvent.CONNECTION_ERROR_OCCURRED, event.getId());
            assertNotNull(event.getException());
            sources.add(event.getSource());
        }
        assertEquals(Set.of(busyManaged, idleManaged), sources);
        assertEquals(2, pool.destroyed());
        assertEquals(0, resourceAdapter.sharedConnections().size(), "the lost connection is forgotten");
        assertTrue(busy.isClosed(), "the pool's destroy detached the handle");

        broker.restart();
        try (NatsConnection fresh = factory.getConnection()) {
            assertEquals(Connection.Status.CONNECTED, physical(fresh).getStatus(), "a new shared connection after the loss");
            fresh.flush(WAIT);
        }
        assertEquals(1, resourceAdapter.sharedConnections().size());
    }

    @Test
    void dedicatedIsTheDefaultAndOpensOneConnectionPerManagedConnection() throws Exception {
        NatsManagedConnectionFactory dedicated = new NatsManagedConnectionFactory();
        assertEquals("dedicated", dedicated.getConnectionMode());
        dedicated.setResourceAdapter(resourceAdapter);
        NatsManagedConnection one = (NatsManagedConnection) dedicated.createManagedConnection(null, null);
        NatsManagedConnection two = (NatsManagedConnection) dedicated.createManagedConnection(null, null);
        try {
            assertNotSame(one.physical(), two.physical());
            assertFalse(one.isShared());
            assertEquals(0, resourceAdapter.sharedConnections().size());
        } finally {
            one.destroy();
            two.destroy();
        }
    }

    @Test
    void withoutAnAdapterTheFactoryKeepsItsOwnSharedConnections() throws Exception {
        NatsManagedConnectionFactory standalone = new NatsManagedConnectionFactory();
        standalone.setServers(broker.url());
        standalone.setConnectionMode("shared");
        NatsManagedConnection one = (NatsManagedConnection) standalone.createManagedConnection(null, null);
        NatsManagedConnection two = (NatsManagedConnection) standalone.createManagedConnection(null, null);
        Connection socket = one.physical();
        assertSame(socket, two.physical());
        one.destroy();
        two.destroy();
        assertEquals(Connection.Status.CLOSED, socket.getStatus());
    }

    @Test
    void theModeIsValidatedAndTakesPartInEquals() {
        NatsManagedConnectionFactory a = new NatsManagedConnectionFactory();
        NatsManagedConnectionFactory b = new NatsManagedConnectionFactory();
        assertEquals(a, b);
        b.setConnectionMode("shared");
        assertNotEquals(a, b);
        assertNotEquals(a.hashCode(), b.hashCode());
        b.setConnectionMode(" ");
        assertEquals("dedicated", b.getConnectionMode(), "empty means the default");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> a.setConnectionMode("pooled"));
        assertTrue(thrown.getMessage().contains("'pooled'"), thrown.getMessage());
        for (String mode : List.of("dedicated", "Shared")) {
            a.setConnectionMode(mode);
        }
        assertEquals("shared", a.getConnectionMode());
    }
}
