package io.natsee.it.ra.app;

import io.nats.client.Message;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NatsMessageListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.resource.ResourceException;
import java.nio.charset.StandardCharsets;

/**
 * One of two beans in the queue group {@code it-shared}: reports what it got to {@code seen.shared}.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "it.shared"),
    @ActivationConfigProperty(propertyName = "queueGroup", propertyValue = "it-shared")
})
public class SharedMdbB implements NatsMessageListener {

    @Resource(lookup = "java:app/nats/ConnectionFactory")
    NatsConnectionFactory factory;

    @Override
    public void onMessage(Message message) {
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("seen.shared", ("B:" + new String(message.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }
}
