package io.natsee.it.ra.app;

import io.natsee.ra.api.NatsMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/**
 * Counts messages on {@code bench.c16} with at most 16 deliveries at once.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "bench.c16"),
    @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "16"),
    @ActivationConfigProperty(propertyName = "pendingMessageLimit", propertyValue = "-1"),
    @ActivationConfigProperty(propertyName = "pendingByteLimit", propertyValue = "-1")
})
public class CountingMdb16 extends CountingMdb implements NatsMessageListener {
}
