package io.natsee.it.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsee.it.Deployments;
import io.natsee.it.Http;
import io.natsee.it.ItNats;
import io.natsee.it.ra.app.Factories;
import io.natsee.it.ra.app.NatsServlet;
import io.natsee.it.ra.app.PublisherBean;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Outbound inside Payara Micro: factories by {@code @Resource} and {@code @Inject}, publishing
 * from a bean, requests, and the transactional-publish mode.
 */
@ExtendWith(ArquillianExtension.class)
class OutboundIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    static {
        ItNats.start();
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("outbound", Factories.class, PublisherBean.class, NatsServlet.class);
    }

    @ArquillianResource
    URL base;

    private Connection client;

    @BeforeEach
    void connect() throws Exception {
        client = ItNats.connect();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    private String call(String op, String subject, String payload) throws Exception {
        return Http.get(base, "nats", Map.of("op", op, "subject", subject, "payload", payload));
    }

    private static String text(Message message) {
        return new String(message.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void publishesThroughAResourceInjectedFactory() throws Exception {
        Subscription subscription = client.subscribe("out.resource");
        client.flush(WAIT);
        assertEquals("published", call("resource", "out.resource", "by resource"));
        assertEquals("by resource", text(subscription.nextMessage(WAIT)));
    }

    @Test
    void publishesThroughACdiInjectedFactory() throws Exception {
        Subscription subscription = client.subscribe("out.inject");
        client.flush(WAIT);
        assertEquals("published", call("inject", "out.inject", "by injection"));
        assertEquals("by injection", text(subscription.nextMessage(WAIT)));
    }

    @Test
    void publishesFromAStatelessBean() throws Exception {
        Subscription subscription = client.subscribe("out.bean");
        client.flush(WAIT);
        for (int i = 0; i < 20; i++) {
            call("bean", "out.bean", "message " + i);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("message " + i, text(subscription.nextMessage(WAIT)));
        }
    }

    @Test
    void requestsReachAPlainJnatsResponder() throws Exception {
        Dispatcher responder = client.createDispatcher(message -> client.publish(message.getReplyTo(), "pong".getBytes(StandardCharsets.UTF_8)));
        responder.subscribe("out.ping");
        client.flush(WAIT);
        assertEquals("reply:pong", call("request", "out.ping", "ping"));
        assertEquals("no responders:out.nobody", call("request", "out.nobody", "ping"));
    }

    @Test
    void transactionalPublishSendsOnCommitAndDropsOnRollback() throws Exception {
        Subscription subscription = client.subscribe("out.tx.>");
        client.flush(WAIT);
        assertEquals("rolled back", call("rollback", "out.tx.rollback", "never"));
        assertEquals("committed", call("commit", "out.tx.commit", "after commit"));
        Message first = subscription.nextMessage(WAIT);
        assertNotNull(first);
        assertEquals("out.tx.commit", first.getSubject(), "the rolled-back publish was dropped");
        assertNull(subscription.nextMessage(Duration.ofMillis(300)));
    }
}
