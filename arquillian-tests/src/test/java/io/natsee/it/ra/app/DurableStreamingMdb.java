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
 * A durable streaming bean: reports every message it processed to {@code seen.streaming.durable}.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "channel", propertyValue = "it.streaming.durable"),
    @ActivationConfigProperty(propertyName = "clientId", propertyValue = "it-durable-mdb"),
    @ActivationConfigProperty(propertyName = "durableName", propertyValue = "it-durable"),
    @ActivationConfigProperty(propertyName = "startPosition", propertyValue = "all"),
    @ActivationConfigProperty(propertyName = "ackWaitSeconds", propertyValue = "2"),
    @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1")
})
public class DurableStreamingMdb implements StreamingMessageListener {

    @Resource(lookup = "java:app/nats/ConnectionFactory")
    NatsConnectionFactory factory;

    @Override
    public void onMessage(StreamingMessage message) {
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("seen.streaming.durable", message.data());
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }
}
