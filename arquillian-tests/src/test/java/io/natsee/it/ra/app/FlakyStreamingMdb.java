package io.natsee.it.ra.app;

import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.StreamingMessage;
import io.natsee.ra.api.StreamingMessageListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.resource.ResourceException;
import java.nio.charset.StandardCharsets;

/**
 * A streaming bean that fails on the first delivery of every message and succeeds on its
 * redelivery; reports each delivery to {@code seen.streaming.flaky} as
 * {@code <payload>:<redelivered>:<failed|ok>}.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "channel", propertyValue = "it.streaming.flaky"),
    @ActivationConfigProperty(propertyName = "clientId", propertyValue = "it-flaky-mdb"),
    @ActivationConfigProperty(propertyName = "startPosition", propertyValue = "all"),
    @ActivationConfigProperty(propertyName = "ackWaitSeconds", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")
})
public class FlakyStreamingMdb implements StreamingMessageListener {

    @Resource(lookup = "java:app/nats/ConnectionFactory")
    NatsConnectionFactory factory;

    @Override
    public void onMessage(StreamingMessage message) {
        boolean fail = !message.isRedelivered();
        String payload = new String(message.data(), StandardCharsets.UTF_8);
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("seen.streaming.flaky", (payload + ":" + message.isRedelivered() + ":" + (fail ? "failed" : "ok"))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
        if (fail) {
            throw new IllegalStateException("first delivery of " + payload + " fails on purpose");
        }
    }
}
