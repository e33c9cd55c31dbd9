package io.natsee.broker.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.ServerTestBase;
import io.natsee.broker.support.TestServer;

/**
 * jnats 2.26.2, the client our users run, against a server: the features it relies on must work
 * the same as on nats-server.
 */
public abstract class JnatsInteropContract extends ServerTestBase {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private Connection connect(TestServer server) throws IOException, InterruptedException {
        return connect(new Options.Builder().server(server.url()));
    }

    private Connection connect(Options.Builder options) throws IOException, InterruptedException {
        // A silent error listener: reconnect tests would otherwise log every refused attempt.
        Connection connection = Nats.connect(options.connectionTimeout(WAIT)
                .errorListener(new ErrorListener() { }).build());
        track(connection);
        return connection;
    }

    @Test
    void connectsAndSeesHeadersSupport() throws Exception {
        Connection nc = connect(startServer());
        assertEquals(Connection.Status.CONNECTED, nc.getStatus());
        assertTrue(nc.getServerInfo().isHeadersSupported());
        assertEquals(1, nc.getServerInfo().getProtocolVersion());
    }

    @Test
    void publishSubscribe() throws Exception {
        TestServer server = startServer();
        Connection subscriber = connect(server);
        Subscription sub = subscriber.subscribe("greeting");
        subscriber.flush(WAIT);
        Connection publisher = connect(server);
        publisher.publish("greeting", "reply.to", "hello".getBytes(UTF_8));
        Message m = sub.nextMessage(WAIT);
        assertNotNull(m, "no message");
        assertEquals("greeting", m.getSubject());
        assertEquals("reply.to", m.getReplyTo());
        assertEquals("hello", new String(m.getData(), UTF_8));
    }

    @Test
    void wildcards() throws Exception {
        Connection nc = connect(startServer());
        Subscription star = nc.subscribe("w.*");
        Subscription tail = nc.subscribe("w.>");
        nc.flush(WAIT);
        nc.publish("w.a", "1".getBytes(UTF_8));
        nc.publish("w.a.b", "2".getBytes(UTF_8));
        nc.publish("w", "3".getBytes(UTF_8));
        nc.flush(WAIT);
        assertEquals("w.a", star.nextMessage(WAIT).getSubject());
        assertEquals("w.a", tail.nextMessage(WAIT).getSubject());
        assertEquals("w.a.b", tail.nextMessage(WAIT).getSubject());
        nc.flush(WAIT);
        assertEquals(0, star.getPendingMessageCount());
        assertEquals(0, tail.getPendingMessageCount());
    }

    @Test
    void queueGroupsShareTheLoadAndPlainSubscribersSeeEverything() throws Exception {
        TestServer server = startServer();
        AtomicInteger worker1 = new AtomicInteger();
        AtomicInteger worker2 = new AtomicInteger();
        AtomicInteger plain = new AtomicInteger();
        Connection c1 = connect(server);
        Connection c2 = connect(server);
        Connection c3 = connect(server);
        c1.createDispatcher(m -> worker1.incrementAndGet()).subscribe("jobs", "workers");
        c2.createDispatcher(m -> worker2.incrementAndGet()).subscribe("jobs", "workers");
        c3.createDispatcher(m -> plain.incrementAndGet()).subscribe("jobs");
        for (Connection c : List.of(c1, c2, c3)) {
            c.flush(WAIT);
        }
        Connection publisher = connect(server);
        int count = 100;
        for (int i = 0; i < count; i++) {
            publisher.publish("jobs", Integer.toString(i).getBytes(UTF_8));
        }
        publisher.flush(WAIT);
        Await.until(WAIT, "all messages delivered",
                () -> worker1.get() + worker2.get() == count && plain.get() == count);
        for (Connection c : List.of(c1, c2, c3)) {
            c.flush(WAIT);
        }
        assertEquals(count, worker1.get() + worker2.get(), "each message once per group");
        assertEquals(count, plain.get());
    }

    @Test
    void requestReply() throws Exception {
        TestServer server = startServer();
        Connection responder = connect(server);
        responder.createDispatcher(m -> responder.publish(m.getReplyTo(),
                ("re:" + new String(m.getData(), UTF_8)).getBytes(UTF_8))).subscribe("service");
        responder.flush(WAIT);
        Connection requester = connect(server);
        Message reply = requester.request("service", "ping".getBytes(UTF_8), WAIT);
        assertNotNull(reply, "no reply");
        assertEquals("re:ping", new String(reply.getData(), UTF_8));
        Message asyncReply = requester.request("service", "async".getBytes(UTF_8)).get(5, TimeUnit.SECONDS);
        assertEquals("re:async", new String(asyncReply.getData(), UTF_8));
    }

    @Test
    void noRespondersFailsTheRequestAtOnce() throws Exception {
        Connection nc = connect(startServer());
        CompletableFuture<Message> future = nc.requestWithTimeout("nobody.home", "x".getBytes(UTF_8),
                Duration.ofSeconds(20));
        // Well before the 20 s timeout: the server's 503 status message ends the request.
        Await.until(WAIT, "the request to finish", future::isDone);
        assertTrue(future.isCompletedExceptionally(), "expected a no-responders failure");
        Throwable failure = assertThrows(Exception.class, future::get);
        String text = failure instanceof ExecutionException ? String.valueOf(failure.getCause()) : failure.toString();
        assertTrue(failure instanceof java.util.concurrent.CancellationException
                        || text.contains("503") || text.toLowerCase().contains("no responders"),
                "unexpected failure: " + failure);
    }

    @Test
    void headersRoundTrip() throws Exception {
        TestServer server = startServer();
        Connection nc = connect(server);
        Subscription sub = nc.subscribe("with.headers");
        nc.flush(WAIT);
        Headers headers = new Headers().add("X-Multi", "a", "b").add("Trace-Id", "42");
        nc.publish(NatsMessage.builder().subject("with.headers").headers(headers)
                .data("body".getBytes(UTF_8)).build());
        Message m = sub.nextMessage(WAIT);
        assertNotNull(m, "no message");
        assertTrue(m.hasHeaders());
        assertEquals(List.of("a", "b"), m.getHeaders().get("X-Multi"));
        assertEquals(List.of("42"), m.getHeaders().get("Trace-Id"));
        assertEquals("body", new String(m.getData(), UTF_8));
    }

    @Test
    void drainDeliversEverythingQueuedThenCloses() throws Exception {
        TestServer server = startServer();
        Connection consumer = connect(server);
        AtomicInteger received = new AtomicInteger();
        Dispatcher dispatcher = consumer.createDispatcher(m -> received.incrementAndGet());
        dispatcher.subscribe("drain.me");
        consumer.flush(WAIT);
        Connection publisher = connect(server);
        int count = 500;
        for (int i = 0; i < count; i++) {
            publisher.publish("drain.me", new byte[64]);
        }
        publisher.flush(WAIT);
        CompletableFuture<Boolean> drained = consumer.drain(Duration.ofSeconds(10));
        assertTrue(drained.get(15, TimeUnit.SECONDS), "drain did not complete");
        assertEquals(count, received.get());
        Await.until(WAIT, "the drained connection to close",
                () -> consumer.getStatus() == Connection.Status.CLOSED);
    }

    @Test
    void autoUnsubscribeAfterMaxMessages() throws Exception {
        Connection nc = connect(startServer());
        Subscription sub = nc.subscribe("auto");
        sub.unsubscribe(2);
        nc.flush(WAIT);
        for (int i = 0; i < 5; i++) {
            nc.publish("auto", Integer.toString(i).getBytes(UTF_8));
        }
        nc.flush(WAIT);
        assertEquals("0", new String(sub.nextMessage(WAIT).getData(), UTF_8));
        assertEquals("1", new String(sub.nextMessage(WAIT).getData(), UTF_8));
        Await.until(WAIT, "the subscription to end", () -> !sub.isActive());
        assertEquals(2, sub.getDeliveredCount());
    }

    @Test
    void reconnectsToARestartedServerAndDeliversBufferedPublishes() throws Exception {
        TestServer first = startServer();
        int port = first.port();
        List<Connection.Status> statuses = new ArrayList<>();
        Connection nc = connect(new Options.Builder().server(first.url())
                .reconnectWait(Duration.ofMillis(100))
                .maxReconnects(-1)
                .connectionListener((conn, event) -> {
                    synchronized (statuses) {
                        statuses.add(conn.getStatus());
                    }
                }));
        // jnats re-sends this subscription before the buffered publishes on reconnect, so
        // receiving them proves the restarted server got them.
        Subscription sub = nc.subscribe("buffered.>");
        nc.flush(WAIT);

        first.close();
        Await.until(Duration.ofSeconds(10), "jnats to notice the server is gone",
                () -> nc.getStatus() != Connection.Status.CONNECTED);
        for (int i = 0; i < 3; i++) {
            nc.publish("buffered." + i, ("while-down-" + i).getBytes(UTF_8));
        }

        startServer(TestServer.Options.defaults().withPort(port));
        Await.until(Duration.ofSeconds(15), "jnats to reconnect",
                () -> nc.getStatus() == Connection.Status.CONNECTED);
        for (int i = 0; i < 3; i++) {
            Message m = sub.nextMessage(WAIT);
            assertNotNull(m, "buffered message " + i + " was not delivered after the restart");
            assertEquals("buffered." + i, m.getSubject());
            assertEquals("while-down-" + i, new String(m.getData(), UTF_8));
        }
        nc.publish("buffered.after", "after".getBytes(UTF_8));
        assertEquals("buffered.after", sub.nextMessage(WAIT).getSubject());
    }
}
