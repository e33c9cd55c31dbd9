package io.natsee.it.ra.app;

import io.nats.client.Message;
import io.natsee.ra.api.NatsRequestListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import java.nio.charset.StandardCharsets;

/**
 * A bean that does not name its resource adapter: {@code WEB-INF/glassfish-ejb-jar.xml} maps it
 * to {@code nats-ra}, so the packaging, not the code, carries the adapter's name.
 */
@MessageDriven(name = "DescriptorMdb", activationConfig = {
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "it.descriptor")
})
public class DescriptorMdb implements NatsRequestListener {

    @Override
    public byte[] onRequest(Message request) {
        return ("mapped: " + new String(request.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
}
