package io.natsee.broker.blackbox;

import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.natsee.broker.support.Await;
import io.natsee.broker.support.NatseeServer;
import io.natsee.broker.support.ProtocolClient;
import io.natsee.broker.support.ReferenceServer;
import io.natsee.broker.support.ServerTestBase;
import io.natsee.broker.support.TestServer;

/**
 * Reference section A.5 under load: a consumer that stops reading is cut off by the write
 * deadline without any -ERR while everyone else keeps working; a consumer that reads slowly but
 * steadily throttles its producer instead of being cut off; and a busy client that answers the
 * server's PINGs is never closed as stale, while one that never answers is.
 *
 * <p>Whether the server closed a consumer that is not reading cannot be seen on that consumer's
 * socket without reading from it (which would make it fast again), so
 * {@link #awaitSlowConsumerDetected} asks the server itself: our broker's statistics, or the
 * reference server's log line {@code Slow Consumer Detected}.
 */
public abstract class PressureContract extends ServerTestBase {

    /** A receive buffer this small keeps the kernel from absorbing what the server queues. */
    private static final int SMALL_RECEIVE_BUFFER = 4096;

    // ------------------------------------------------------------------ write deadline

    @Test
    @Timeout(30)
    void consumerThatStopsReadingIsClosedByTheWriteDeadlineWithoutError() {
        TestServer server = startServer(TestServer.Options.defaults()
                .withMaxPending(64L * 1024 * 1024).withWriteDeadline(Duration.ofSeconds(1)));
        ProtocolClient slow = slowSubscriber(server, "big", "1");
        ProtocolClient other = quiet(server);
        other.send("SUB other 2\r\nPING\r\n").expect("PONG\r\n");
        ProtocolClient publisher = quiet(server);

        // 20 MB: far more than the socket buffers hold, well under max_pending (and under half of
        // it, so the producer is never stalled): only the write deadline can cut the consumer off.
        String batch = pub("big", null, "x".repeat(64 * 1024)).repeat(16);
        long published = 0;
        for (int i = 0; i < 20; i++) {
            publisher.send(batch);
            publisher.ping();
            published += 16L * 64 * 1024;
        }
        long publishedAt = System.nanoTime();
        awaitSlowConsumerDetected(server, Duration.ofSeconds(8));
        long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishedAt);
        assertTrue(detectedMillis < 6000, "the write deadline (1 s) took " + detectedMillis + " ms to apply");

        // Everyone else is still served, while the slow consumer's socket still holds its backlog.
        publisher.ping();
        publisher.send(pub("other", null, "still here"));
        other.expect(msg("other", "2", null, "still here"));

        AtomicBoolean sawError = new AtomicBoolean();
        long received = slow.drainUntilClosed(Duration.ofSeconds(10), errorWatcher(sawError));
        assertTrue(received < published, "the consumer should have lost messages: " + received + " of "
                + published + " payload bytes arrived");
        assertFalse(sawError.get(), "a slow consumer is closed without any -ERR");

        ProtocolClient late = quiet(server);
        late.send("SUB big 3\r\nPING\r\n").expect("PONG\r\n");
        publisher.send(pub("big", null, "after"));
        late.expect(msg("big", "3", null, "after"));
    }

    // ------------------------------------------------------------------ producer stall

    @Test
    @Timeout(30)
    void consumerThatReadsSlowlyButSteadilyThrottlesItsProducerAndLosesNothing() {
        TestServer server = startServer(TestServer.Options.defaults().withMaxPending(1024 * 1024));
        ProtocolClient consumer = slowSubscriber(server, "flow", "1").timeout(Duration.ofSeconds(10));
        ProtocolClient publisher = quiet(server).timeout(Duration.ofSeconds(20));

        // 8 MB in one write, eight times max_pending: the producer is far faster than the consumer.
        int count = 2000;
        String padding = "p".repeat(4096 - 8);
        StringBuilder burst = new StringBuilder(count * 4200);
        for (int i = 0; i < count; i++) {
            burst.append(pub("flow", null, String.format("%08d", i) + padding));
        }
        byte[] bytes = burst.toString().getBytes(StandardCharsets.ISO_8859_1);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                publisher.send(bytes);
                publisher.ping();
            } catch (Throwable e) {
                producerFailure.set(e);
            }
        }, "pressure-producer");
        producer.setDaemon(true);
        producer.start();

        // The consumer reads at about 8 MB/s: a pause of half a millisecond per 4 KB message. The
        // pause simulates a slow application; it waits for nothing, so it is not an Await.
        for (int i = 0; i < count; i++) {
            ProtocolClient.Msg message = consumer.readMsg();
            String sequence = new String(message.payload(), 0, 8, StandardCharsets.ISO_8859_1);
            assertEquals(String.format("%08d", i), sequence, "message " + i + " out of order or lost");
            assertEquals(4096, message.payload().length);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
        }
        consumer.ping();
        join(producer, Duration.ofSeconds(10));
        if (producerFailure.get() != null) {
            throw new AssertionError("the producer failed", producerFailure.get());
        }
        publisher.ping();
    }

    // ------------------------------------------------------------------ keep-alive of busy clients

    @Test
    @Timeout(30)
    void busyClientThatAnswersPingsIsNotStale() {
        TestServer server = startServer(TestServer.Options.defaults()
                .withPingInterval(Duration.ofSeconds(1)).withPingMax(1));
        ProtocolClient publisher = quiet(server);
        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        // Each round trip answers any PING the server sent meanwhile (ProtocolClient's default).
        while (System.nanoTime() < until) {
            publisher.send(pub("busy", null, "tick")).ping();
        }
        publisher.ping();
    }

    /**
     * nats-server counts a delivery to a client as activity of that client: a subscriber that
     * receives messages is not pinged, so not closed as stale, even while it reads nothing.
     */
    @Test
    @Timeout(30)
    void subscriberThatIsReceivingMessagesIsNotStaleEvenWhileNotReading() {
        TestServer server = startServer(TestServer.Options.defaults()
                .withPingInterval(Duration.ofSeconds(1)).withPingMax(1));
        ProtocolClient subscriber = quiet(server);
        subscriber.send("SUB busy 1\r\nPING\r\n").expect("PONG\r\n");
        ProtocolClient publisher = quiet(server);
        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        int sent = 0;
        while (System.nanoTime() < until) {
            publisher.send(pub("busy", null, Integer.toString(sent))).ping();
            sent++;
        }
        // Only now does the subscriber read (and answer the PING it got at the first tick).
        for (int i = 0; i < sent; i++) {
            subscriber.expect(msg("busy", "1", null, Integer.toString(i)));
        }
        subscriber.ping();
        publisher.ping();
    }

    @Test
    @Timeout(30)
    void busyClientIsNotPingedOnceTheFirstPingWasAnswered() {
        TestServer server = startServer(TestServer.Options.defaults()
                .withPingInterval(Duration.ofSeconds(1)).withPingMax(1));
        ProtocolClient client = quiet(server).answerServerPings(false).timeout(Duration.ofSeconds(5));
        // The first PING comes regardless of activity: it measures the round trip.
        client.expect("PING\r\n");
        client.send("PONG\r\n");
        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        while (System.nanoTime() < until) {
            // Any server PING would arrive here instead of PONG and fail the expectation.
            client.send(pub("nobody", null, "tick")).ping();
        }
    }

    /**
     * nats-server 2.9.10 pings every client once at the first tick, busy or not; after that it
     * pings only a client that was idle for ping_interval, and checks ping_max only when it pings.
     * So a busy client is never closed as stale, even one that never answers.
     */
    @Test
    @Timeout(30)
    void busyClientThatNeverAnswersPingsIsPingedOnceAndNotClosed() {
        TestServer server = startServer(TestServer.Options.defaults()
                .withPingInterval(Duration.ofSeconds(1)).withPingMax(1));
        ProtocolClient client = quiet(server).answerServerPings(false);
        List<String> serverLines = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        while (System.nanoTime() < until) {
            client.send(pub("nobody", null, "tick") + "PING\r\n");
            // One byte first: ProtocolClient.readLine with server pings not answered can
            // merge two lines when it starts on an empty buffer (it compacts the buffer under
            // its scan position); readBytes fills the buffer before the scan.
            String line = (char) client.readBytes(1)[0] + client.readLine();
            if (!line.equals("PONG")) {
                serverLines.add(line);
            }
        }
        assertEquals(List.of("PING"), serverLines, "one PING at the first tick, nothing after");
        client.send("PING\r\n");
        assertEquals("PONG", (char) client.readBytes(1)[0] + client.readLine());
    }

    // ------------------------------------------------------------------ helpers

    /** A subscriber with a tiny receive buffer that has subscribed and will not read until told. */
    private ProtocolClient slowSubscriber(TestServer server, String subject, String sid) {
        ProtocolClient client = track(ProtocolClient.openRaw(server.host(), server.port(), SMALL_RECEIVE_BUFFER));
        client.readInfo();
        client.send("CONNECT {\"verbose\":false}\r\nSUB " + subject + " " + sid + "\r\nPING\r\n").expect("PONG\r\n");
        return client;
    }

    /**
     * Waits until the server reports that it closed a slow consumer, without reading from that
     * consumer: our broker counts it, nats-server logs {@code Slow Consumer Detected}.
     */
    static void awaitSlowConsumerDetected(TestServer server, Duration within) {
        if (server instanceof NatseeServer natsee) {
            Await.until(within, "the broker to count a slow consumer",
                    () -> natsee.broker().statistics().slowConsumers() >= 1);
        } else if (server instanceof ReferenceServer reference) {
            Await.until(within, "nats-server to log a slow consumer",
                    () -> reference.log().contains("Slow Consumer Detected"));
        } else {
            throw new IllegalArgumentException("unknown server " + server);
        }
    }

    /** Sets the flag when "-ERR" shows up anywhere in the stream, also across chunk boundaries. */
    static java.util.function.Consumer<byte[]> errorWatcher(AtomicBoolean sawError) {
        byte[][] carry = {new byte[0]};
        return chunk -> {
            byte[] joined = Arrays.copyOf(carry[0], carry[0].length + chunk.length);
            System.arraycopy(chunk, 0, joined, carry[0].length, chunk.length);
            if (new String(joined, StandardCharsets.ISO_8859_1).contains("-ERR")) {
                sawError.set(true);
            }
            carry[0] = Arrays.copyOfRange(joined, Math.max(0, joined.length - 8), joined.length);
        };
    }

    private static void join(Thread thread, Duration within) {
        try {
            thread.join(within.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        assertFalse(thread.isAlive(), thread.getName() + " still running after " + within.toMillis() + " ms");
    }
}
