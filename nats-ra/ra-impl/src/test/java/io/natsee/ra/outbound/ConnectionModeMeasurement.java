package io.natsee.ra.outbound;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NatsException;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeConnectionManager;
import io.natsee.ra.support.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The connection-mode figures in docs/ra-guide.md, measured in the unit harness (fake pool,
 * in-process broker); not part of the default build. Run with
 * {@code mvn -pl nats-ra/ra-impl test -Dtests.excludedGroups= -Dgroups=stress -Dtest=ConnectionModeMeasurement}.
 */
@Tag("stress")
class ConnectionModeMeasurement {

    private static final int MESSAGES = 200_000;
    private static final int THREADS = 8;

    @Test
    void measure() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            for (int round = 1; round <= 3; round++) {
                long dedicated = run(broker, "dedicated", 1);
                long shared = run(broker, "shared", 1);
                long raw = raw(broker);
                System.out.printf("MEASURE round %d, 1 thread, 128 B get/publish/close: dedicated %d ns/msg, shared %d ns/msg, raw jnats %d ns/msg%n",
                        round, dedicated, shared, raw);
            }
            for (int round = 1; round <= 3; round++) {
                long dedicated = run(broker, "dedicated", THREADS);
                int dedicatedRefused = refused.get();
                long shared = run(broker, "shared", THREADS);
                int sharedRefused = refused.get();
                System.out.printf("MEASURE round %d, %d threads, 128 B get/publish/close: dedicated %d ns/msg (%d refused), shared %d ns/msg (%d refused) (wall time / all messages)%n",
                        round, THREADS, dedicated, dedicatedRefused, shared, sharedRefused);
            }
            for (int round = 1; round <= 3; round++) {
                System.out.printf("MEASURE round %d, new managed connection (create + destroy, one other in use): dedicated %d us, shared %d us%n",
                        round, open(broker, "dedicated") / 1_000, open(broker, "shared") / 1_000);
            }
        }
    }

    /** Publishes jnats refused in the last run ("Output queue is full/busy"). */
    private static final AtomicInteger refused = new AtomicInteger();

    private static long run(TestBroker broker, String mode, int threads) throws Exception {
        FakeBootstrapContext bootstrapContext = new FakeBootstrapContext();
        NatsResourceAdapter resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.start(bootstrapContext);
        NatsManagedConnectionFactory managedConnectionFactory = new NatsManagedConnectionFactory();
        managedConnectionFactory.setResourceAdapter(resourceAdapter);
        managedConnectionFactory.setConnectionMode(mode);
        FakeConnectionManager pool = new FakeConnectionManager();
        NatsConnectionFactory factory = (NatsConnectionFactory) managedConnectionFactory.createConnectionFactory(pool);
        byte[] payload = new byte[128];
        int perThread = MESSAGES / threads;
        refused.set(0);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            try (NatsConnection connection = factory.getConnection()) {
                                connection.publish("bench.sink", payload);
                            } catch (NatsException e) {
                                refused.incrementAndGet();
                            }
                        }
                        try (NatsConnection connection = factory.getConnection()) {
                            connection.flush(Duration.ofSeconds(30));
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                worker.start();
                workers.add(worker);
            }
            long begin = System.nanoTime();
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            long elapsed = System.nanoTime() - begin;
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.get(0));
            }
            return elapsed / ((long) perThread * threads);
        } finally {
            pool.shutdown();
            resourceAdapter.stop();
            bootstrapContext.workManager().shutdown();
        }
    }

    private static long raw(TestBroker broker) throws Exception {
        byte[] payload = new byte[128];
        try (Connection connection = Nats.connect(broker.url())) {
            long begin = System.nanoTime();
            for (int i = 0; i < MESSAGES; i++) {
                connection.publish("bench.sink", payload);
            }
            connection.flush(Duration.ofSeconds(30));
            return (System.nanoTime() - begin) / MESSAGES;
        }
    }

    /** Returns the nanoseconds to create and destroy a managed connection while another one is open. */
    private static long open(TestBroker broker, String mode) throws Exception {
        NatsManagedConnectionFactory managedConnectionFactory = new NatsManagedConnectionFactory();
        managedConnectionFactory.setServers(broker.url());
        managedConnectionFactory.setConnectionMode(mode);
        NatsManagedConnection held = (NatsManagedConnection) managedConnectionFactory.createManagedConnection(null, null);
        int count = 200;
        try {
            long begin = System.nanoTime();
            for (int i = 0; i < count; i++) {
                managedConnectionFactory.createManagedConnection(null, null).destroy();
            }
            return (System.nanoTime() - begin) / count;
        } finally {
            held.destroy();
        }
    }
}
