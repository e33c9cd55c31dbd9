package io.natsee.it.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsee.it.Deployments;
import io.natsee.it.ItNats;
import io.natsee.it.ra.app.Factories;
import io.natsee.it.ra.app.SharedMdbA;
import io.natsee.it.ra.app.SharedMdbB;
import io.natsee.it.ra.app.UpperCaseMdb;
import io.natsee.it.ra.app.WildcardMdb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Message-driven beans inside Payara Micro: a wildcard subject, two beans sharing a queue group,
 * and a request/reply bean answering a plain jnats requester.
 */
@ExtendWith(ArquillianExtension.class)
class InboundMdbIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static {
        ItNats.start();
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("inbound", Factories.class, WildcardMdb.class, SharedMdbA.class, SharedMdbB.class, UpperCaseMdb.class);
    }

    private Connection client;

    @BeforeEach
    void connect() throws Exception {
        client = ItNats.connect();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    private static String text(Message message) {
        return new String(message.getData(), StandardCharsets.UTF_8);
    }

    /** Publishes until the condition holds: the activation may still be connecting right after deployment. */
    private void untilActive(String subject, BooleanSupplier delivered) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!delivered.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "no delivery on " + subject);
            client.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
            client.flush(WAIT);
            Thread.sleep(100);
        }
    }

    @Test
    void aBeanReceivesOnAWildcardSubject() throws Exception {
        Subscription seen = client.subscribe("seen.wildcard");
        client.flush(WAIT);
        Set<String> got = new HashSet<>();
        untilActive("it.wildcard.probe", () -> {
            try {
                Message message = seen.nextMessage(Duration.ofMillis(100));
                return message != null;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (seen.nextMessage(Duration.ofMillis(300)) != null) {
            // probes still on their way
        }
        client.publish("it.wildcard.eu", "1".getBytes(StandardCharsets.UTF_8));
        client.publish("it.wildcard.us", "2".getBytes(StandardCharsets.UTF_8));
        client.publish("it.other.eu", "3".getBytes(StandardCharsets.UTF_8));
        client.flush(WAIT);
        got.add(text(seen.nextMessage(WAIT)));
        got.add(text(seen.nextMessage(WAIT)));
        assertEquals(Set.of("it.wildcard.eu:1", "it.wildcard.us:2"), got);
    }

    @Test
    void twoBeansInOneQueueGroupShareTheMessagesEachOnce() throws Exception {
        Subscription seen = client.subscribe("seen.shared");
        client.flush(WAIT);
        untilActive("it.shared", () -> {
            try {
                return seen.nextMessage(Duration.ofMillis(100)) != null;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (seen.nextMessage(Duration.ofMillis(300)) != null) {
            // probes still on their way
        }
        int count = 100;
        for (int i = 0; i < count; i++) {
            client.publish("it.shared", ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        client.flush(WAIT);
        Set<String> payloads = new HashSet<>();
        int byA = 0;
        int byB = 0;
        for (int i = 0; i < count; i++) {
            Message message = seen.nextMessage(WAIT);
            assertNotNull(message, "only " + i + " of " + count + " delivered");
            String[] parts = text(message).split(":", 2);
            assertTrue(payloads.add(parts[1]), "delivered twice: " + parts[1]);
            if (parts[0].equals("A")) {
                byA++;
            } else {
                byB++;
            }
        }
        assertEquals(null, seen.nextMessage(Duration.ofMillis(500)), "no message is delivered twice");
        assertTrue(byA > 0 && byB > 0, "both beans took a share: A " + byA + ", B " + byB);
    }

    @Test
    void aRequestReplyBeanAnswersAPlainJnatsRequester() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Message reply = null;
        while (reply == null && System.nanoTime() < deadline) {
            try {
                reply = client.request("it.upper", "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
            } catch (java.util.concurrent.CancellationException noRespondersYet) {
                Thread.sleep(100);
            }
        }
        assertNotNull(reply);
        assertEquals("HELLO", text(reply));
    }
}
