package com.example.starter;

import io.nats.client.Message;
import io.natsee.ra.api.NatsMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import java.nio.charset.StandardCharsets;

/**
 * The inbound side, one way: every message on {@code orders.*} (a wildcard), at most once.
 * Instances of this application share the messages through a queue group derived from the
 * application's name.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "orders.*"),
    @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")
})
public class OrderCreatedListener implements NatsMessageListener {

    @EJB
    OrderLog log;

    @Override
    public void onMessage(Message message) {
        log.add(message.getSubject() + ": " + new String(message.getData(), StandardCharsets.UTF_8));
    }
}
