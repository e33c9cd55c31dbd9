package io.natsee.ra.outbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionClosedException;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NatsRequestTimeoutException;
import io.natsee.ra.api.NoRespondersException;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeConnectionManager;
import io.natsee.ra.support.TestBroker;
import jakarta.resource.spi.ConnectionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NatsOutboundTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestBroker broker;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;
    private NatsManagedConnectionFactory managedConnectionFactory;
    private FakeConnectionManager pool;
    private NatsConnectionFactory factory;
    private Connection observer;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        bootstrapContext = new FakeBootstrapContext();
        resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.start(bootstrapContext);
        managedConnectionFactory = new NatsManagedConnectionFactory();
        managedConnectionFactory.setResourceAdapter(resourceAdapter);
        pool = new FakeConnectionManager();
        factory = (NatsConnectionFactory) managedConnectionFactory.createConnectionFactory(pool);
        observer = Nats.connect(broker.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        observer.close();
        pool.shutdown();
        resourceAdapter.stop();
        bootstrapContext.workManager().shutdown();
        broker.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void publishesWithReplyToAndHeaders() throws Exception {
        Subscription subscription = observer.subscribe("orders.created");
        observer.flush(WAIT);
        Headers headers = new Headers().add("Trace-Id", "42");
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("orders.created", bytes("plain"));
            connection.publish("orders.created", "reply.here", bytes("with reply"));
            connection.publish("orders.created", null, headers, bytes("with headers"));
            connection.flush(WAIT);
        }
        Message plain = subscription.nextMessage(WAIT);
        assertEquals("plain", new String(plain.getData(), StandardCharsets.UTF_8));
        Message withReply = subscription.nextMessage(WAIT);
        assertEquals("reply.here", withReply.getReplyTo());
        Message withHeaders = subscription.nextMessage(WAIT);
        assertEquals("42", withHeaders.getHeaders().getFirst("Trace-Id"));
    }

    @Test
    void requestGetsTheReply() throws Exception {
        Dispatcher responder = observer.createDispatcher(message -> observer.publish(message.getReplyTo(), bytes("pong")));
        responder.subscribe("service.ping");
        observer.flush(WAIT);
        try (NatsConnection connection = factory.getConnection()) {
            Message reply = connection.request("service.ping", bytes("ping"), WAIT);
            assertArrayEquals(bytes("pong"), reply.getData());
        }
    }

    @Test
    void requestWithoutRespondersThrowsClearly() throws Exception {
        try (NatsConnection connection = factory.getConnection()) {
            NoRespondersException thrown = assertThrows(NoRespondersException.class,
                    () -> connection.request("nobody.listens", bytes("?"), WAIT));
            assertEquals("nobody.listens", thrown.subject());
        }
    }

    @Test
    void requestTimesOutWhenTheResponderIsSilent() throws Exception {
        Dispatcher silent = observer.createDispatcher(message -> { });
        silent.subscribe("service.silent");
        observer.flush(WAIT);
        try (NatsConnection connection = factory.getConnection()) {
            assertThrows(NatsRequestTimeoutException.class, () -> connection.request("service.silent", bytes("?"), Duration.ofMillis(200)));
        }
    }

    @Test
    void requestAsyncCompletesAndFailsWithTheApiExceptions() throws Exception {
        Dispatcher responder = observer.createDispatcher(message -> observer.publish(message.getReplyTo(), message.getData()));
        responder.subscribe("service.echo");
        observer.flush(WAIT);
        try (NatsConnection connection = factory.getConnection()) {
            CompletableFuture<Message> reply = connection.requestAsync("service.echo", bytes("echo"), WAIT);
            assertArrayEquals(bytes("echo"), reply.get(5, TimeUnit.SECONDS).getData());
            CompletableFuture<Message> none = connection.requestAsync("nobody.listens", bytes("?"), WAIT);
            ExecutionException failure = assertThrows(ExecutionException.class, () -> none.get(5, TimeUnit.SECONDS));
            assertInstanceOf(NoRespondersException.class, failure.getCause());
        }
    }

    @Test
    void closeReturnsTheConnectionToThePoolWithoutClosingTheSocket() throws Exception {
        NatsConnection first = factory.getConnection();
        NatsManagedConnection managed = ((NatsConnectionHandle) first).managedConnection();
        Connection physical = managed.physical();
        first.close();
        first.close();
        assertTrue(first.isClosed());
        assertEquals(Connection.Status.CONNECTED, physical.getStatus());
        assertEquals(1, pool.idleCount());
        assertEquals(0, managed.handleCount());

        NatsConnection second = factory.getConnection();
        assertSame(managed, ((NatsConnectionHandle) second).managedConnection());
        assertEquals(1, pool.created());
        second.close();
    }

    @Test
    void closedAndDetachedHandlesThrow() throws Exception {
        NatsConnection closed = factory.getConnection();
        closed.close();
        assertThrows(NatsConnectionClosedException.class, () -> closed.publish("a", bytes("x")));
        assertThrows(NatsConnectionClosedException.class, () -> closed.flush(WAIT));

        NatsConnection detached = factory.getConnection();
        NatsManagedConnection managed = ((NatsConnectionHandle) detached).managedConnection();
        assertEquals(1, managed.handleCount());
        managed.cleanup();
        assertTrue(detached.isClosed());
        assertThrows(NatsConnectionClosedException.class, () -> detached.publish("a", bytes("x")));
        assertEquals(0, managed.handleCount());
    }

    @Test
    void handlesAreTrackedAndReassociated() throws Exception {
        NatsManagedConnection one = (NatsManagedConnection) managedConnectionFactory.createManagedConnection(null, null);
        NatsManagedConnection two = (NatsManagedConnection) managedConnectionFactory.createManagedConnection(null, null);
        try {
            NatsConnectionHandle first = (NatsConnectionHandle) one.getConnection(null, null);
            NatsConnectionHandle second = (NatsConnectionHandle) one.getConnection(null, null);
            assertEquals(2, one.handleCount());
            two.associateConnection(first);
            assertEquals(1, one.handleCount());
            assertEquals(1, two.handleCount());
            assertSame(two, first.managedConnection());
            Subscription subscription = observer.subscribe("moved");
            observer.flush(WAIT);
            first.publish("moved", bytes("via two"));
            first.flush(WAIT);
            assertNotNull(subscription.nextMessage(WAIT));
            second.close();
            assertEquals(0, one.handleCount());
        } finally {
            one.destroy();
            two.destroy();
        }
    }

    @Test
    void destroyClosesThePhysicalConnectionAndCanRunTwice() throws Exception {
        NatsManagedConnection managed = (NatsManagedConnection) managedConnectionFactory.createManagedConnection(null, null);
        NatsConnection handle = (NatsConnection) managed.getConnection(null, null);
        managed.destroy();
        managed.destroy();
        assertEquals(Connection.Status.CLOSED, managed.physical().getStatus());
        assertTrue(handle.isClosed());
        assertFalse(managed.isUsable());
    }

    @Test
    void lostConnectionIsReportedAsConnectionErrorOccurred() throws Exception {
        managedConnectionFactory.setMaxReconnects(0);
        NatsConnection handle = factory.getConnection();
        handle.close();
        assertEquals(1, pool.idleCount());
        broker.stop();
        Await.until(WAIT, "CONNECTION_ERROR_OCCURRED", () -> !pool.errors().isEmpty());
        ConnectionEvent event = pool.errors().get(0);
        assertEquals(ConnectionEvent.CONNECTION_ERROR_OCCURRED, event.getId());
        assertNotNull(event.getException());
        assertEquals(1, pool.destroyed());
        assertEquals(0, pool.idleCount());
    }

    @Test
    void matchManagedConnectionsComparesRequestInfo() throws Exception {
        NatsConnectionRequestInfo alice = new NatsConnectionRequestInfo("alice", "secret");
        NatsManagedConnection anonymous = (NatsManagedConnection) managedConnectionFactory.createManagedConnection(null, null);
        NatsManagedConnection forAlice = (NatsManagedConnection) managedConnectionFactory.createManagedConnection(null, alice);
        try {
            Set<NatsManagedConnection> candidates = new HashSet<>(Set.of(anonymous, forAlice));
            assertSame(forAlice, managedConnectionFactory.matchManagedConnections(candidates, null,
                    new NatsConnectionRequestInfo("alice", "secret")));
            assertSame(anonymous, managedConnectionFactory.matchManagedConnections(candidates, null, null));
            assertNull(managedConnectionFactory.matchManagedConnections(candidates, null, new NatsConnectionRequestInfo("bob", "x")));

            NatsManagedConnectionFactory other = new NatsManagedConnectionFactory();
            other.setResourceAdapter(resourceAdapter);
            assertNull(other.matchManagedConnections(candidates, null, null), "another factory's connections never match");

            anonymous.destroy();
            assertNull(managedConnectionFactory.matchManagedConnections(Set.of(anonymous), null, null), "a destroyed connection never matches");
        } finally {
            anonymous.destroy();
            forAlice.destroy();
        }
    }

    @Test
    void metaDataDescribesTheServer() throws Exception {
        NatsManagedConnection managed = (NatsManagedConnection) managedConnectionFactory.createManagedConnection(null, null);
        try {
            assertNotNull(managed.getMetaData().getEISProductVersion());
            assertTrue(managed.getMetaData().getEISProductName().startsWith("NATS"));
        } finally {
            managed.destroy();
        }
    }

    @Test
    void transactionalPublishSendsOnlyAfterCommitAndDropsOnRollback() throws Exception {
        managedConnectionFactory.setTransactionalPublish(true);
        Subscription subscription = observer.subscribe("tx.>");
        observer.flush(WAIT);

        bootstrapContext.transactions().begin();
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("tx.committed", bytes("1"));
            connection.publish("tx.committed", bytes("2"));
            connection.flush(WAIT);
        }
        observer.flush(WAIT);
        assertNull(subscription.nextMessage(Duration.ofMillis(200)), "nothing is sent before the commit");
        bootstrapContext.transactions().commit();
        assertEquals("1", new String(subscription.nextMessage(WAIT).getData(), StandardCharsets.UTF_8));
        assertEquals("2", new String(subscription.nextMessage(WAIT).getData(), StandardCharsets.UTF_8));

        bootstrapContext.transactions().begin();
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("tx.rolledback", bytes("never"));
        }
        bootstrapContext.transactions().rollback();

        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("tx.outside", bytes("at once"));
        }
        Message next = subscription.nextMessage(WAIT);
        assertEquals("tx.outside", next.getSubject(), "the rolled-back publish was dropped");
    }

    @Test
    void publishesAreImmediateInsideATransactionWhenTheModeIsOff() throws Exception {
        Subscription subscription = observer.subscribe("plain.tx");
        observer.flush(WAIT);
        bootstrapContext.transactions().begin();
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("plain.tx", bytes("now"));
        }
        assertNotNull(subscription.nextMessage(WAIT));
        bootstrapContext.transactions().rollback();
    }

    @Test
    void factorySettingsOverrideTheAdapterAndEqualsComparesThem() {
        NatsManagedConnectionFactory a = new NatsManagedConnectionFactory();
        NatsManagedConnectionFactory b = new NatsManagedConnectionFactory();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        a.setServers("nats://elsewhere:4222");
        assertFalse(a.equals(b));
        a.setResourceAdapter(resourceAdapter);
        assertArrayEquals(new String[] {"nats://elsewhere:4222"}, a.effectiveSettings(null).serverList());
        assertArrayEquals(new String[] {broker.url()}, managedConnectionFactory.effectiveSettings(null).serverList());
    }
}
