package io.natsee.examples.greeter;

import io.nats.client.Message;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NatsMessageListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import java.nio.charset.StandardCharsets;

/**
 * Receives every message on {@code greetings.>} through the NATS resource adapter, keeps it in
 * the {@link Inbox}, and answers requests with {@code hello, <payload>}.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "greetings.>")
})
public class GreetingMdb implements NatsMessageListener {

    @Resource(lookup = NatsResources.FACTORY)
    NatsConnectionFactory nats;

    @EJB
    Inbox inbox;

    @Override
    public void onMessage(Message message) {
        String text = new String(message.getData(), StandardCharsets.UTF_8);
        inbox.add(message.getSubject() + ": " + text);
        if (message.getReplyTo() != null) {
            try (NatsConnection connection = nats.getConnection()) {
                connection.publish(message.getReplyTo(), ("hello, " + text).getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException("reply to " + message.getSubject() + " failed", e);
            }
        }
    }
}
