package io.natsee.ra.outbound;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionClosedException;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.StreamingException;
import io.natsee.ra.api.StreamingPublisher;
import io.natsee.ra.streaming.ReceivedMessage;
import io.natsee.ra.streaming.StreamingClient;
import io.natsee.ra.streaming.StreamingClientOptions;
import io.natsee.ra.streaming.SubscriptionOptions;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeConnectionManager;
import io.natsee.ra.support.TestBroker;
import io.natsee.ra.support.TestStreamingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streaming publishes with acknowledgement through a pooled connection handle. */
class StreamingOutboundTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CLUSTER = "outbound-cluster";

    private TestBroker broker;
    private TestStreamingServer server;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;
    private NatsManagedConnectionFactory managedConnectionFactory;
    private FakeConnectionManager pool;
    private NatsConnectionFactory factory;
    private Connection observerConnection;
    private StreamingClient observer;
    private Timer timer;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        server = TestStreamingServer.start(broker, CLUSTER);
        bootstrapContext = new FakeBootstrapContext();
        resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.start(bootstrapContext);
        managedConnectionFactory = new NatsManagedConnectionFactory();
        managedConnectionFactory.setResourceAdapter(resourceAdapter);
        managedConnectionFactory.setStreamingClusterId(CLUSTER);
        pool = new FakeConnectionManager();
        factory = (NatsConnectionFactory) managedConnectionFactory.createConnectionFactory(pool);
        observerConnection = Nats.connect(broker.url());
        timer = new Timer(true);
        observer = StreamingClient.connect(observerConnection, StreamingClientOptions.of(CLUSTER, "observer"), timer,
                ForkJoinPool.commonPool());
    }

    @AfterEach
    void tearDown() throws Exception {
        observer.close();
        observerConnection.close();
        timer.cancel();
        pool.shutdown();
        resourceAdapter.stop();
        bootstrapContext.workManager().shutdown();
        server.close();
        broker.close();
    }

    private List<String> subscribe(String channel) {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        observer.subscribe(SubscriptionOptions.newOnly(channel), (ReceivedMessage message) -> {
            received.add(new String(message.data(), UTF_8));
            message.ack();
        });
        return received;
    }

    @Test
    void publishesSynchronouslyAndAsynchronouslyThroughTheHandle() throws Exception {
        List<String> received = subscribe("payments");
        List<CompletableFuture<String>> acks = new ArrayList<>();
        try (NatsConnection connection = factory.getConnection()) {
            StreamingPublisher streaming = connection.streaming();
            String guid = streaming.publish("payments", "p1".getBytes(UTF_8));
            assertFalse(guid.isEmpty());
            for (int i = 2; i <= 100; i++) {
                acks.add(streaming.publishAsync("payments", ("p" + i).getBytes(UTF_8)).toCompletableFuture());
            }
        }
        // Sent before the handle closed: they complete after it.
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Await.until(WAIT, "100 messages", () -> received.size() == 100);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            expected.add("p" + i);
        }
        assertEquals(expected, received);
    }

    @Test
    void theStreamingSessionBelongsToThePooledConnectionAndOutlivesItsHandles() throws Exception {
        List<String> received = subscribe("audit");
        NatsManagedConnection managed;
        try (NatsConnection first = factory.getConnection()) {
            first.streaming().publish("audit", "a".getBytes(UTF_8));
            managed = ((NatsConnectionHandle) first).managedConnection();
        }
        StreamingClient session = managed.streaming();
        try (NatsConnection second = factory.getConnection()) {
            assertEquals(managed, ((NatsConnectionHandle) second).managedConnection(), "the pool gave the same connection back");
            second.streaming().publish("audit", "b".getBytes(UTF_8));
        }
        assertEquals(session, managed.streaming(), "one session per pooled connection");
        assertTrue(session.clientId().startsWith("natsee-ra-"), session.clientId());
        Await.until(WAIT, "two messages", () -> received.size() == 2);
        managed.destroy();
        assertTrue(session.isClosed(), "destroy closes the streaming session");
    }

    @Test
    void aClosedHandlesPublisherThrowsAndBadChannelsAreRefused() throws Exception {
        NatsConnection connection = factory.getConnection();
        StreamingPublisher streaming = connection.streaming();
        assertThrows(IllegalArgumentException.class, () -> streaming.publish("orders.>", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> streaming.publishAsync("", new byte[0]));
        connection.close();
        assertThrows(NatsConnectionClosedException.class, () -> streaming.publish("orders", new byte[0]));
        assertThrows(NatsConnectionClosedException.class, connection::streaming);
    }

    @Test
    void withoutAStreamingServerTheHandleReportsItAndCorePublishingStillWorks() throws Exception {
        managedConnectionFactory.setStreamingClusterId("absent-cluster");
        try (NatsConnection connection = factory.getConnection()) {
            StreamingException failure = assertThrows(StreamingException.class,
                    () -> connection.streaming().publish("orders", new byte[0]));
            assertTrue(failure.getMessage().contains("absent-cluster"), failure.getMessage());
            connection.publish("core.subject", new byte[0]);
            connection.flush(WAIT);
        }
    }
}
