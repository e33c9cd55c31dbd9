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
 * Receives on a wildcard subject and reports each subject to {@code seen.wildcard}.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "it.wildcard.*")
})
public class WildcardMdb implements NatsMessageListener {

    @Resource(lookup = "java:app/nats/ConnectionFactory")
    NatsConnectionFactory factory;

    @Override
    public void onMessage(Message message) {
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish("seen.wildcard", (message.getSubject() + ":" + new String(message.getData(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }
}
