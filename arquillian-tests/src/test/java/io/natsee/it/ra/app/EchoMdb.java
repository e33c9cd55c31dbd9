package io.natsee.it.ra.app;

import io.nats.client.Message;
import io.natsee.ra.api.NatsRequestListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/**
 * Echoes requests on {@code it.echo}; used to see delivery resume after a server restart.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "it.echo")
})
public class EchoMdb implements NatsRequestListener {

    @Override
    public byte[] onRequest(Message request) {
        return request.getData();
    }
}
