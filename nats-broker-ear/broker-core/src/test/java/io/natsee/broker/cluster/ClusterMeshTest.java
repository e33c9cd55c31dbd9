package io.natsee.broker.cluster;

import static io.natsee.broker.cluster.ClusterTestSupport.WAIT;
import static io.natsee.broker.cluster.ClusterTestSupport.awaitMesh;
import static io.natsee.broker.cluster.ClusterTestSupport.awaitRemoteInterest;
import static io.natsee.broker.cluster.ClusterTestSupport.closeAll;
import static io.natsee.broker.cluster.ClusterTestSupport.connect;
import static io.natsee.broker.cluster.ClusterTestSupport.routeUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.support.Await;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three of our servers in one JVM: B and C know only A, and gossip completes the mesh; then
 * pub/sub, wildcards, queue groups, request/reply and headers across it, and interest that goes
 * away with the subscription.
 */
@Timeout(60)
class ClusterMeshTest {

    private static Broker a;
    private static Broker b;
    private static Broker c;

    @BeforeAll
    static void startMesh() throws Exception {
        a = ClusterTestSupport.start("A", "mesh", List.of());
        b = ClusterTestSupport.start("B", "mesh", List.of(routeUrl(a)));
        c = ClusterTestSupport.start("C", "mesh", List.of(routeUrl(a)));
        awaitMesh(a, b, c);
    }

    @AfterAll
    static void stopMesh() {
        closeAll(a, b, c);
    }

    @Test
    void gossipCompletesTheMesh() {
        assertEquals(2, a.routes().routes().size());
        assertEquals(2, b.routes().routes().size());
        assertEquals(2, c.routes().routes().size());
        assertEquals("mesh", b.routes().clusterName());
    }

    @Test
    void subscriberOnOneServerGetsOneCopyFromEachOther() throws Exception {
        try (Connection onA = connect(a); Connection onB = connect(b); Connection onC = connect(c)) {
            Subscription subscription = onA.subscribe("mesh.plain");
            onA.flush(WAIT);
            awaitRemoteInterest(b, "mesh.plain", 1);
            awaitRemoteInterest(c, "mesh.plain", 1);
            for (int i = 0; i < 100; i++) {
                onB.publish("mesh.plain", ("b" + i).getBytes(StandardCharsets.UTF_8));
            }
            onC.publish("mesh.plain", "c".getBytes(StandardCharsets.UTF_8));
            onB.flush(WAIT);
            onC.flush(WAIT);
            for (int i = 0; i < 100; i++) {
                Message message = subscription.nextMessage(WAIT);
                assertNotNull(message, "message " + i);
                if (message.getData()[0] == 'c') {
                    i--;
                    continue;
                }
                assertEquals("b" + i, new String(message.getData(), StandardCharsets.UTF_8), "order across a route");
            }
            Message last = subscription.nextMessage(java.time.Duration.ofMillis(300));
            if (last != null) {
                assertEquals("c", new String(last.getData(), StandardCharsets.UTF_8));
            }
            assertNull(subscription.nextMessage(java.time.Duration.ofMillis(200)), "no duplicate");
        }
    }

    @Test
    void wildcardInterestCrossesTheMesh() throws Exception {
        try (Connection onA = connect(a); Connection onC = connect(c)) {
            Subscription star = onC.subscribe("wild.*");
            Subscription tail = onC.subscribe("wild.>");
            onC.flush(WAIT);
            awaitRemoteInterest(a, "wild.>", 1);
            awaitRemoteInterest(a, "wild.*", 1);
            onA.publish("wild.one", "1".getBytes(StandardCharsets.UTF_8));
            onA.publish("wild.one.two", "2".getBytes(StandardCharsets.UTF_8));
            onA.flush(WAIT);
            assertEquals("1", new String(star.nextMessage(WAIT).getData(), StandardCharsets.UTF_8));
            assertEquals("1", new String(tail.nextMessage(WAIT).getData(), StandardCharsets.UTF_8));
            assertEquals("2", new String(tail.nextMessage(WAIT).getData(), StandardCharsets.UTF_8));
            assertNull(star.nextMessage(java.time.Duration.ofMillis(200)));
            assertNull(tail.nextMessage(java.time.Duration.ofMillis(200)));
        }
    }

    @Test
    void queueGroupOverThreeServersGetsEachMessageOnce() throws Exception {
        try (Connection onA = connect(a); Connection onB = connect(b); Connection onC = connect(c);
             Connection publisher = connect(b)) {
            AtomicInteger total = new AtomicInteger();
            AtomicInteger[] perServer = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
            Connection[] members = {onA, onB, onC};
            for (int i = 0; i < members.length; i++) {
                int index = i;
                Dispatcher dispatcher = members[i].createDispatcher(message -> {
                    total.incrementAndGet();
                    perServer[index].incrementAndGet();
                });
                dispatcher.subscribe("mesh.work", "workers");
                members[i].flush(WAIT);
            }
            awaitRemoteInterest(b, "mesh.work", 2);
            int messages = 300;
            for (int i = 0; i < messages; i++) {
                publisher.publish("mesh.work", new byte[] {(byte) i});
            }
            publisher.flush(WAIT);
            Await.until(WAIT, "all queue messages", () -> total.get() >= messages);
            // Let any duplicate arrive before counting.
            onA.flush(WAIT);
            onC.flush(WAIT);
            assertEquals(messages, total.get(), "each message exactly once in the cluster");
            assertEquals(messages, perServer[1].get(), "a local member is preferred");
        }
    }

    @Test
    void queueMembersOnlyElsewhereShareTheMessages() throws Exception {
        try (Connection onA = connect(a); Connection onC = connect(c); Connection publisher = connect(b)) {
            AtomicInteger onAcount = new AtomicInteger();
            AtomicInteger onCcount = new AtomicInteger();
            onA.createDispatcher(m -> onAcount.incrementAndGet()).subscribe("mesh.remote", "g");
            onC.createDispatcher(m -> onCcount.incrementAndGet()).subscribe("mesh.remote", "g");
            onA.flush(WAIT);
            onC.flush(WAIT);
            awaitRemoteInterest(b, "mesh.remote", 2);
            int messages = 400;
            for (int i = 0; i < messages; i++) {
                publisher.publish("mesh.remote", new byte[1]);
            }
            publisher.flush(WAIT);
            Await.until(WAIT, "all messages", () -> onAcount.get() + onCcount.get() >= messages);
            onA.flush(WAIT);
            onC.flush(WAIT);
            assertEquals(messages, onAcount.get() + onCcount.get());
            assertTrue(onAcount.get() > 0 && onCcount.get() > 0,
                    "both servers' members get some: " + onAcount + " / " + onCcount);
        }
    }

    @Test
    void requestReplyWithHeadersAcrossServers() throws Exception {
        try (Connection responder = connect(c); Connection requester = connect(a)) {
            responder.createDispatcher(message -> {
                Headers headers = new Headers().add("X-Echo", message.getHeaders().getFirst("X-Test"));
                responder.publish(message.getReplyTo(), headers, message.getData());
            }).subscribe("mesh.service");
            responder.flush(WAIT);
            awaitRemoteInterest(a, "mesh.service", 1);
            Message request = NatsMessage.builder().subject("mesh.service")
                    .headers(new Headers().add("X-Test", "hello")).data("ping", StandardCharsets.UTF_8).build();
            Message reply = requester.request(request, WAIT);
            assertNotNull(reply);
            assertEquals("ping", new String(reply.getData(), StandardCharsets.UTF_8));
            assertEquals("hello", reply.getHeaders().getFirst("X-Echo"));
        }
    }

    @Test
    void noRespondersAcrossTheMesh() throws Exception {
        try (Connection requester = connect(b)) {
            java.util.concurrent.CompletableFuture<Message> reply = requester.request("mesh.nobody", new byte[0]);
            // jnats cancels the request's future when the server answers with a 503 status.
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class,
                    () -> reply.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void interestGoesWithTheLastSubscriptionAndNothingCrossesWithout() throws Exception {
        try (Connection onA = connect(a); Connection onB = connect(b)) {
            Subscription first = onA.subscribe("mesh.gone");
            Subscription second = onA.subscribe("mesh.gone");
            onA.flush(WAIT);
            awaitRemoteInterest(b, "mesh.gone", 1);
            first.unsubscribe();
            onA.flush(WAIT);
            onB.publish("mesh.gone", new byte[1]);
            onB.flush(WAIT);
            assertNotNull(second.nextMessage(WAIT), "interest stays while one subscription is left");
            second.unsubscribe();
            onA.flush(WAIT);
            Await.until(WAIT, "interest withdrawn", () -> !hasRemote(b, "mesh.gone"));
            RouteConnection toA = routeTo(b, "A");
            long before = toA.outMsgs();
            for (int i = 0; i < 50; i++) {
                onB.publish("mesh.gone", new byte[1]);
            }
            onB.flush(WAIT);
            assertEquals(before, toA.outMsgs(), "no message crosses a route without interest");
        }
    }

    @Test
    void interestGoesWhenTheClientDisconnects() throws Exception {
        Connection onC = connect(c);
        onC.subscribe("mesh.client.gone");
        onC.flush(WAIT);
        awaitRemoteInterest(a, "mesh.client.gone", 1);
        onC.close();
        Await.until(WAIT, "interest withdrawn on disconnect", () -> !hasRemote(a, "mesh.client.gone"));
    }

    private static boolean hasRemote(Broker broker, String subject) {
        for (RouteConnection route : broker.routes().routes()) {
            if (route.remoteSubjects().contains(subject)) {
                return true;
            }
        }
        return false;
    }

    private static RouteConnection routeTo(Broker broker, String serverName) {
        for (RouteConnection route : broker.routes().routes()) {
            if (route.remote().serverName().equals(serverName)) {
                return route;
            }
        }
        throw new AssertionError("no route to " + serverName);
    }
}
