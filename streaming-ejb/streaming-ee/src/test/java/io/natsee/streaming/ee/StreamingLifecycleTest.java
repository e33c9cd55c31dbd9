package io.natsee.streaming.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.streaming.server.StreamingServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The managed start: wait for the stack's broker, then serve on the given threads; fail clearly otherwise. */
class StreamingLifecycleTest {

    private final AtomicInteger created = new AtomicInteger();
    private final ThreadFactory threads = task -> {
        created.incrementAndGet();
        Thread thread = new Thread(task, "managed-streaming-test");
        thread.setDaemon(true);
        return thread;
    };

    @Test
    void itWaitsForTheBrokerThenServesOnTheFactorysThreads() throws Exception {
        int port = freePort();
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).httpPort(0).build(), threads);
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(
                Map.of("nats.port", Integer.toString(port), "cluster_id", "managed", "broker_wait", "20s"));
        // The broker comes up a little after the streaming WAR starts, as in an EAR started out of order.
        CompletableFuture<StreamingServer> started = CompletableFuture.supplyAsync(() -> StreamingLifecycle.startServer(settings, threads));
        Thread.sleep(300);
        broker.start();
        StreamingServer server = started.get(30, TimeUnit.SECONDS);
        try {
            assertEquals("nats://127.0.0.1:" + port, server.natsUrl());
            assertEquals("managed", server.monitor().serverz().cluster_id());
            assertEquals(0, server.monitor().serverz().clients());
            assertNotNull(StreamingMetrics.serverz(server));
            assertTrue(created.get() > 0, "the engine and timers run on the container's threads");
            assertTrue(broker.statistics().connections() >= 1, "the streaming server is a client of the broker");
        } finally {
            server.close();
            broker.close();
        }
    }

    @Test
    void noBrokerWithinTheWaitFailsNamingTheUrlAndTheKey() throws Exception {
        int port = freePort();
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(
                Map.of("nats_server", "nats://127.0.0.1:" + port, "broker_wait", "300ms"));
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StreamingLifecycle.startServer(settings, threads));
        assertTrue(e.getMessage().contains("no NATS server accepts on nats://127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("streaming.nats_server"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
