package io.natsee.ra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.ra.ClientSettings;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeConnectionManager;
import io.natsee.ra.support.TestBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared-connection pool locks per configuration and keys by an immutable copy of the settings. */
class SharedConnectionsLockingTest {

    private TestBroker broker;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;
    private final List<FakeConnectionManager> pools = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        bootstrapContext = new FakeBootstrapContext();
        resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.setConnectionTimeoutMillis(2_000L);
        resourceAdapter.start(bootstrapContext);
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        for (FakeConnectionManager pool : pools) {
            pool.shutdown();
        }
        resourceAdapter.stop();
        bootstrapContext.workManager().shutdown();
        broker.close();
    }

    private NatsConnectionFactory sharedFactory(String servers) throws Exception {
        NatsManagedConnectionFactory managedConnectionFactory = new NatsManagedConnectionFactory();
        managedConnectionFactory.setResourceAdapter(resourceAdapter);
        managedConnectionFactory.setConnectionMode("shared");
        managedConnectionFactory.setServers(servers);
        FakeConnectionManager pool = new FakeConnectionManager();
        pools.add(pool);
        return (NatsConnectionFactory) managedConnectionFactory.createConnectionFactory(pool);
    }

    @Test
    void aServerThatNeverAnswersDelaysOnlyItsOwnConfiguration() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            executor.submit(() -> {
                while (!silent.isClosed()) {
                    accepted.add(silent.accept()); // accepts and never sends INFO
                }
                return null;
            });
            NatsConnectionFactory stuck = sharedFactory("nats://127.0.0.1:" + silent.getLocalPort());
            NatsConnectionFactory healthy = sharedFactory(broker.url());
            Future<?> waiting = executor.submit(() -> {
                stuck.getConnection().close();
                return null;
            });
            Await.until(Duration.ofSeconds(5), "the stuck connect to reach the silent server", () -> !accepted.isEmpty());

            long started = System.nanoTime();
            try (NatsConnection connection = healthy.getConnection()) {
                connection.publish("while.the.other.waits", new byte[] {1});
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(!waiting.isDone(), "the stuck connect is still waiting for INFO");
            assertTrue(elapsed < 1_000, "the healthy configuration waited " + elapsed + " ms behind the stuck one");
            assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS), "the stuck one fails at its own timeout");
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void changingTheSettingsAfterwardsDoesNotMoveTheEntry() throws Exception {
        SharedConnections shared = new SharedConnections();
        NatsManagedConnectionFactory managedConnectionFactory = new NatsManagedConnectionFactory();
        ClientSettings settings = new ClientSettings();
        settings.setServers(broker.url());
        ClientSettings sameAsBefore = new ClientSettings().overriddenBy(settings);
        NatsManagedConnection first = NatsManagedConnection.openShared(managedConnectionFactory, settings, null, shared);

        settings.setConnectionName("changed after the acquire");

        assertEquals(1, shared.references(sameAsBefore), "found under the settings it was opened with");
        NatsManagedConnection second = NatsManagedConnection.openShared(managedConnectionFactory, sameAsBefore, null, shared);
        assertSame(first.physical(), second.physical(), "equal settings still share the one connection");
        assertEquals(1, shared.size());
        first.destroy();
        second.destroy();
        assertEquals(0, shared.size(), "the last reference closed it");
        assertTrue(first.physical().getStatus() == io.nats.client.Connection.Status.CLOSED);
    }
}
