package io.natsee.it.ra.app;

import io.nats.client.Message;
import io.natsee.ra.api.NatsRequestListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import java.nio.charset.StandardCharsets;

/**
 * A request/reply service written as a message-driven bean: answers in upper case.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "it.upper")
})
public class UpperCaseMdb implements NatsRequestListener {

    @Override
    public byte[] onRequest(Message request) {
        return new String(request.getData(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
    }
}
