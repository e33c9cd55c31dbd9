package io.natsee.broker;

import io.natsee.broker.monitor.ConnectionSnapshot;
import io.natsee.broker.support.Await;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lame duck mode on one server whose jnats clients also know a second one (ours, and the
 * reference nats-server): they hear {@code ldm}, stop publishing, are closed one by one after
 * the grace period, move to the second server and publish on, and every message whose batch a
 * flush on an unbroken connection confirmed arrives (counted per client).
 */
class LameDuckModeTest {

    private static final int CLIENTS = 4;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Broker broker(Duration duration, Duration grace) throws IOException {
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1)
                .lameDuckDuration(duration).lameDuckGracePeriod(grace).build());
        resources.add(broker);
        broker.start();
        return broker;
    }

    /** One client: subscribes to its own subject and publishes numbered messages to it. */
    private static final class Client implements AutoCloseable {
        final Connection connection;
        final String subject;
        final BitSet received = new BitSet();
        final AtomicInteger confirmed = new AtomicInteger();
        final CountDownLatch lameDuckHeard = new CountDownLatch(1);
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger disconnects = new AtomicInteger();
        /** Set by the LAME_DUCK event, which jnats delivers on a pool thread, in any order with RECONNECTED. */
        volatile boolean lameDuck;
        final int firstPort;
        final Thread publisher;

        Client(int index, int firstPort, int secondPort) throws Exception {
            subject = "ldm.client." + index;
            this.firstPort = firstPort;
            Options options = new Options.Builder()
                    .server("nats://127.0.0.1:" + firstPort)
                    .server("nats://127.0.0.1:" + secondPort)
                    .noRandomize()
                    .reconnectWait(Duration.ofMillis(20))
                    .maxReconnects(-1)
                    .connectionListener((conn, event) -> {
                        if (event == ConnectionListener.Events.LAME_DUCK) {
                            // A well-behaved client stops publishing until it has moved.
                            lameDuck = true;
                            lameDuckHeard.countDown();
                        } else if (event == ConnectionListener.Events.DISCONNECTED) {
                            disconnects.incrementAndGet();
                        }
                    })
                    .build();
            connection = Nats.connect(options);
            Dispatcher dispatcher = connection.createDispatcher(message -> {
                int sequence = Integer.parseInt(new String(message.getData(), StandardCharsets.US_ASCII));
                synchronized (received) {
                    received.set(sequence);
                }
            });
            dispatcher.subscribe(subject);
            connection.flush(Duration.ofSeconds(5));
            publisher = new Thread(this::publish, "ldm-publisher-" + index);
            publisher.start();
        }

        /** Publishes in batches of ten; a batch is confirmed when the flush after it succeeds. */
        private void publish() {
            int next = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (running.get() && System.nanoTime() < end) {
                // Moving: connected to the server in lame duck mode, or not connected. Asked of the
                // connection itself, not of a flag that the RECONNECTED event clears: jnats runs the
                // events on a thread pool, so a late LAME_DUCK after RECONNECTED would stop it for good.
                if (connection.getStatus() != Connection.Status.CONNECTED || (lameDuck && connectedPort() == firstPort)) {
                    // Poll until moved. Publishing on through the move is not counted: a flush on the
                    // new server does not confirm what went into the old socket, and jnats 2.26.2 can
                    // stop answering flushes issued while it reconnects (nats-server as the second
                    // server shows both too).
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    continue;
                }
                int batchStart = next;
                int disconnectsBefore = disconnects.get();
                int portBefore = connectedPort();
                try {
                    for (int i = 0; i < 10; i++) {
                        connection.publish(subject, Integer.toString(next++).getBytes(StandardCharsets.US_ASCII));
                    }
                    connection.flush(Duration.ofSeconds(2));
                    // A flush answered by the new server does not confirm what went into the old socket;
                    // the port tells at once, the DISCONNECTED event (on the pool) maybe only later.
                    if (disconnects.get() != disconnectsBefore || connectedPort() != portBefore) {
                        unconfirmedBatches.incrementAndGet();
                        continue;
                    }
                    synchronized (confirmedSet) {
                        confirmedSet.set(batchStart, next);
                    }
                    confirmed.addAndGet(next - batchStart);
                } catch (Exception e) {
                    // In the middle of moving (a flush timed out, the reconnect buffer was full):
                    // this batch is not confirmed.
                    unconfirmedBatches.incrementAndGet();
                    recoverFromStalePing();
                }
            }
        }

        /**
         * After the move jnats 2.26.2 sometimes times out every flush on the new server: seen in
         * about one run in six as a client whose publisher waited in {@code flush} with a
         * TimeoutException every 2 s, while the server received each batch, delivered it back to
         * the same client (its reader counted every MSG, written in the same flush as the PONG that
         * followed it) and had nothing pending. One PONG is matched to an older, stale future in
         * jnats' pong queue, so each flush is answered one PONG late. This was the flakiness of
         * this test (the publisher stopped, "publishing did not go on on the second server"). A
         * timed-out flush on the second server therefore reconnects, which empties that queue;
         * the batches involved are not counted as confirmed.
         */
        private void recoverFromStalePing() {
            if (connection.getStatus() == Connection.Status.CONNECTED && connectedPort() != firstPort) {
                try {
                    staleFlushRecoveries.incrementAndGet();
                    connection.forceReconnect();
                } catch (Exception e) {
                    // The publisher goes on polling the status; the next batch tells.
                }
            }
        }

        final AtomicInteger staleFlushRecoveries = new AtomicInteger();
        final BitSet confirmedSet = new BitSet();
        final AtomicInteger unconfirmedBatches = new AtomicInteger();

        int connectedPort() {
            return connection.getServerInfo().getPort();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            publisher.join(TimeUnit.SECONDS.toMillis(10));
            connection.close();
        }
    }

    @Test
    void clientsMoveToTheOtherServerAndLoseNothingConfirmed() throws Exception {
        Broker staying = broker(Duration.ofMinutes(2), Duration.ofSeconds(10));
        moveAndCount(staying.port(), () -> staying.monitorSource().openConnections(false),
                () -> staying.statistics().connections());
    }

    @Test
    void clientsMoveToAReferenceServerAndLoseNothingConfirmed() throws Exception {
        io.natsee.broker.support.ReferenceServer reference = io.natsee.broker.support.ReferenceServer.start(
                io.natsee.broker.support.TestServer.Options.defaults());
        resources.add(reference);
        moveAndCount(reference.port(), List::of, () -> CLIENTS);
    }

    private void moveAndCount(int stayingPort, java.util.function.Supplier<List<ConnectionSnapshot>> stayingConnections,
                              java.util.function.IntSupplier stayingCount) throws Exception {
        Broker leaving = broker(Duration.ofMillis(1500), Duration.ofMillis(300));
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Client client = new Client(i, leaving.port(), stayingPort);
            resources.add(client);
            clients.add(client);
        }
        Await.until(Duration.ofSeconds(10), "every client to publish", () ->
                clients.stream().allMatch(c -> c.confirmed.get() >= 100));

        long started = System.nanoTime();
        leaving.enterLameDuckMode().get(10, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertFalse(leaving.isRunning());
        assertTrue(tookMillis >= 1000, "clients are closed over the duration, not at once: " + tookMillis + " ms");
        for (Client client : clients) {
            assertTrue(client.lameDuckHeard.await(5, TimeUnit.SECONDS), client.subject + " heard ldm");
        }
        Await.until(Duration.ofSeconds(10), "every client on the second server",
                () -> clients.stream().allMatch(c -> c.connection.getStatus() == Connection.Status.CONNECTED
                        && c.connectedPort() == stayingPort));
        int[] confirmedAfterMove = clients.stream().mapToInt(c -> c.confirmed.get()).toArray();
        try {
            Await.until(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < CLIENTS; i++) {
                    if (clients.get(i).confirmed.get() < confirmedAfterMove[i] + 100) {
                        return false;
                    }
                }
                return true;
            });
        } catch (AssertionError e) {
            StringBuilder state = new StringBuilder("publishing did not go on on the second server:");
            for (int i = 0; i < CLIENTS; i++) {
                Client c = clients.get(i);
                state.append(' ').append(c.subject).append(" confirmed ").append(confirmedAfterMove[i]).append("->")
                        .append(c.confirmed.get()).append(" unconfirmed batches ").append(c.unconfirmedBatches.get())
                        .append(" stale-flush recoveries ").append(c.staleFlushRecoveries.get())
                        .append(" status ").append(c.connection.getStatus()).append(" publisher alive ")
                        .append(c.publisher.isAlive()).append(';');
            }
            stayingConnections.get().forEach(c -> state.append(" [cid ").append(c.cid())
                    .append(" in ").append(c.inMsgs()).append(" out ").append(c.outMsgs()).append(" pending ")
                    .append(c.pendingBytes()).append(" last ").append(c.lastActivity()).append(']'));
            throw new AssertionError(state.toString(), e);
        }
        for (Client client : clients) {
            client.running.set(false);
            client.publisher.join(TimeUnit.SECONDS.toMillis(10));
            client.connection.flush(Duration.ofSeconds(5));
            // The dispatcher hands messages over on its own thread: wait (bounded) for the last ones.
            BitSet lost = new BitSet();
            try {
                Await.until(Duration.ofSeconds(5), () -> {
                    BitSet missing;
                    synchronized (client.confirmedSet) {
                        missing = (BitSet) client.confirmedSet.clone();
                    }
                    synchronized (client.received) {
                        missing.andNot(client.received);
                    }
                    lost.clear();
                    lost.or(missing);
                    return missing.isEmpty();
                });
            } catch (AssertionError timedOut) {
                // reported below with the sequence numbers
            }
            assertEquals("{}", lost.toString(), client.subject + " lost confirmed messages ("
                    + client.confirmed.get() + " confirmed, " + client.unconfirmedBatches.get() + " batches unconfirmed)");
        }
        List<ConnectionSnapshot> closed = leaving.monitorSource().closedConnections();
        assertEquals(CLIENTS, closed.size());
        assertTrue(closed.stream().allMatch(c -> "Server Shutdown".equals(c.reason())), closed.toString());
        assertEquals(CLIENTS, stayingCount.getAsInt());
    }

    @Test
    void newClientsAreRefusedAndAServerWithoutClientsClosesAtOnce() throws Exception {
        Broker broker = broker(Duration.ofMinutes(2), Duration.ofSeconds(10));
        int port = broker.port();
        broker.enterLameDuckMode().get(10, TimeUnit.SECONDS);
        assertFalse(broker.isRunning());
        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        });
    }
}
