package io.natsee.broker.cluster;

import static io.natsee.broker.cluster.ClusterTestSupport.WAIT;
import static io.natsee.broker.cluster.ClusterTestSupport.closeAll;
import static io.natsee.broker.cluster.ClusterTestSupport.connect;
import static io.natsee.broker.cluster.ClusterTestSupport.routeUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.natsee.broker.Broker;
import io.natsee.broker.support.Await;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One of our servers and two Debian nats-server 2.9.10 processes in one mesh: our server dials
 * the first, the second dials ours and learns the first by gossip. Pub/sub both ways, queue
 * groups, request/reply with headers across them.
 */
@Timeout(90)
class MixedClusterTest {

    private static ReferencePeer go1;
    private static ReferencePeer go2;
    private static Broker ours;

    @BeforeAll
    static void startMesh() throws Exception {
        go1 = ReferencePeer.start("go1", "mixed", List.of());
        ours = ClusterTestSupport.start("ours", "mixed", List.of(URI.create(go1.routeUrl())));
        go2 = ReferencePeer.start("go2", "mixed", List.of(routeUrl(ours).toString()));
        Await.until(WAIT, "our server routed to both nats-servers: " + go2.log(),
                () -> ClusterTestSupport.routeCount(ours) == 2);
    }

    @AfterAll
    static void stopMesh() {
        closeAll(ours, go1, go2);
    }

    @Test
    void oursToGoAndGoToOurs() throws Exception {
        try (Connection onOurs = connect(ours); Connection onGo = connect(go1.clientUrl())) {
            Subscription atGo = onGo.subscribe("mixed.togo");
            Subscription atOurs = onOurs.subscribe("mixed.toours");
            onGo.flush(WAIT);
            onOurs.flush(WAIT);
            ClusterTestSupport.awaitRemoteInterest(ours, "mixed.togo", 1);
            awaitGoInterest(onGo, onOurs, "mixed.toours");
            for (int i = 0; i < 50; i++) {
                onOurs.publish("mixed.togo", ("o" + i).getBytes(StandardCharsets.UTF_8));
                onGo.publish("mixed.toours", ("g" + i).getBytes(StandardCharsets.UTF_8));
            }
            onOurs.flush(WAIT);
            onGo.flush(WAIT);
            for (int i = 0; i < 50; i++) {
                assertEquals("o" + i, text(atGo.nextMessage(WAIT)));
                assertEquals("g" + i, text(atOurs.nextMessage(WAIT)));
            }
            assertNull(atGo.nextMessage(Duration.ofMillis(200)));
            assertNull(atOurs.nextMessage(Duration.ofMillis(200)));
        }
    }

    @Test
    void secondGoServerReachesOursAndTheFirst() throws Exception {
        try (Connection onGo2 = connect(go2.clientUrl()); Connection onGo1 = connect(go1.clientUrl());
             Connection onOurs = connect(ours)) {
            Subscription atGo2 = onGo2.subscribe("mixed.go2");
            onGo2.flush(WAIT);
            ClusterTestSupport.awaitRemoteInterest(ours, "mixed.go2", 1);
            awaitGoInterest(onGo1, onGo2, "mixed.go2");
            onOurs.publish("mixed.go2", "from ours".getBytes(StandardCharsets.UTF_8));
            onGo1.publish("mixed.go2", "from go1".getBytes(StandardCharsets.UTF_8));
            onOurs.flush(WAIT);
            onGo1.flush(WAIT);
            java.util.Set<String> got = new java.util.HashSet<>();
            got.add(text(atGo2.nextMessage(WAIT)));
            got.add(text(atGo2.nextMessage(WAIT)));
            assertEquals(java.util.Set.of("from ours", "from go1"), got);
            assertNull(atGo2.nextMessage(Duration.ofMillis(300)), "one copy each (go1 and ours are routed directly)");
        }
    }

    @Test
    void queueGroupAcrossOursAndGoDeliversOnce() throws Exception {
        try (Connection onOurs = connect(ours); Connection onGo1 = connect(go1.clientUrl());
             Connection onGo2 = connect(go2.clientUrl())) {
            AtomicInteger atOurs = new AtomicInteger();
            AtomicInteger atGo1 = new AtomicInteger();
            onOurs.createDispatcher(m -> atOurs.incrementAndGet()).subscribe("mixed.q", "workers");
            onGo1.createDispatcher(m -> atGo1.incrementAndGet()).subscribe("mixed.q", "workers");
            onOurs.flush(WAIT);
            onGo1.flush(WAIT);
            ClusterTestSupport.awaitRemoteInterest(ours, "mixed.q", 1);
            awaitGoInterest(onGo2, onGo1, "mixed.q");
            awaitGoInterest(onGo2, onOurs, "mixed.q");
            int messages = 200;
            for (int i = 0; i < messages; i++) {
                onGo2.publish("mixed.q", new byte[1]);
                onOurs.publish("mixed.q", new byte[1]);
            }
            onGo2.flush(WAIT);
            onOurs.flush(WAIT);
            Await.until(WAIT, "all queue messages", () -> atOurs.get() + atGo1.get() >= 2 * messages);
            onOurs.flush(WAIT);
            onGo1.flush(WAIT);
            assertEquals(2 * messages, atOurs.get() + atGo1.get(), "each message once: " + atOurs + " + " + atGo1);
        }
    }

    @Test
    void requestReplyWithHeadersBothWays() throws Exception {
        try (Connection onOurs = connect(ours); Connection onGo = connect(go1.clientUrl())) {
            onGo.createDispatcher(m -> onGo.publish(m.getReplyTo(),
                    new Headers().add("X-From", "go"), m.getData())).subscribe("mixed.go.service");
            onOurs.createDispatcher(m -> onOurs.publish(m.getReplyTo(),
                    new Headers().add("X-From", "ours"), m.getData())).subscribe("mixed.ours.service");
            onGo.flush(WAIT);
            onOurs.flush(WAIT);
            ClusterTestSupport.awaitRemoteInterest(ours, "mixed.go.service", 1);
            awaitGoInterest(onGo, onOurs, "mixed.ours.service");
            Message fromGo = onOurs.request(NatsMessage.builder().subject("mixed.go.service")
                    .headers(new Headers().add("X-Q", "1")).data("a", StandardCharsets.UTF_8).build(), WAIT);
            assertNotNull(fromGo);
            assertEquals("go", fromGo.getHeaders().getFirst("X-From"));
            Message fromOurs = onGo.request(NatsMessage.builder().subject("mixed.ours.service")
                    .data("b", StandardCharsets.UTF_8).build(), WAIT);
            assertNotNull(fromOurs);
            assertEquals("ours", fromOurs.getHeaders().getFirst("X-From"));
            assertEquals("b", text(fromOurs));
        }
    }

    /**
     * Waits until the server of {@code goSide} knows the interest in {@code subject} that
     * {@code other}'s server has: interest travels in order on a route, so once a probe
     * subscribed after it on {@code other} is reached from {@code goSide}, so is the subject.
     */
    private static void awaitGoInterest(Connection goSide, Connection other, String subject) throws Exception {
        String probe = subject + ".probe";
        Subscription reply = other.subscribe(probe);
        other.flush(WAIT);
        Await.until(WAIT, "interest in " + subject + " at the nats-server", () -> {
            try {
                goSide.publish(probe, new byte[0]);
                goSide.flush(WAIT);
                return reply.nextMessage(Duration.ofMillis(50)) != null;
            } catch (Exception e) {
                return false;
            }
        });
        reply.unsubscribe();
    }

    private static String text(Message message) {
        assertNotNull(message, "message");
        return new String(message.getData(), StandardCharsets.UTF_8);
    }
}
