package io.natsee.ra.outbound;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NatsRequestTimeoutException;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeConnectionManager;
import io.natsee.ra.support.TestBroker;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request's timeout holds to within a few milliseconds, sync and async, when a subscriber
 * exists but never answers (so no 503 ends the wait early).
 */
class RequestTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** Slack for a shared 2-core machine; jnats' own cleanup timer would add about 5 s. */
    private static final long SLACK_MILLIS = 150;

    private TestBroker broker;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;
    private FakeConnectionManager pool;
    private NatsConnectionFactory factory;
    private Connection silent;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        bootstrapContext = new FakeBootstrapContext();
        resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.start(bootstrapContext);
        NatsManagedConnectionFactory managedConnectionFactory = new NatsManagedConnectionFactory();
        managedConnectionFactory.setResourceAdapter(resourceAdapter);
        pool = new FakeConnectionManager();
        factory = (NatsConnectionFactory) managedConnectionFactory.createConnectionFactory(pool);
        silent = Nats.connect(broker.url());
        silent.subscribe("silent");
        silent.flush(Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() throws Exception {
        silent.close();
        pool.shutdown();
        resourceAdapter.stop();
        bootstrapContext.workManager().shutdown();
        broker.close();
    }

    @Test
    void aSynchronousRequestGivesUpAtItsTimeout() throws Exception {
        try (NatsConnection connection = factory.getConnection()) {
            connection.request("silent", new byte[0], TIMEOUT); // warm-up: inbox subscription, class loading
        } catch (NatsRequestTimeoutException expected) {
            // the warm-up times out too
        }
        try (NatsConnection connection = factory.getConnection()) {
            long started = System.nanoTime();
            assertThrows(NatsRequestTimeoutException.class, () -> connection.request("silent", new byte[] {1}, TIMEOUT));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(elapsed >= TIMEOUT.toMillis() - 1, "not before the timeout: " + elapsed + " ms");
            assertTrue(elapsed <= TIMEOUT.toMillis() + SLACK_MILLIS, "gave up after " + elapsed + " ms for a "
                    + TIMEOUT.toMillis() + " ms timeout");
        }
    }

    @Test
    void anAsynchronousRequestFailsAtItsTimeout() throws Exception {
        try (NatsConnection connection = factory.getConnection()) {
            long started = System.nanoTime();
            var future = connection.requestAsync("silent", new byte[] {1}, TIMEOUT);
            ExecutionException failure = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertInstanceOf(NatsRequestTimeoutException.class, failure.getCause());
            assertTrue(elapsed >= TIMEOUT.toMillis() - 1, "not before the timeout: " + elapsed + " ms");
            assertTrue(elapsed <= TIMEOUT.toMillis() + SLACK_MILLIS, "failed after " + elapsed + " ms for a "
                    + TIMEOUT.toMillis() + " ms timeout");
        }
    }
}
