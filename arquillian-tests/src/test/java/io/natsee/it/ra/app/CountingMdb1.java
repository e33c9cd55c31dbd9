package io.natsee.it.ra.app;

import io.natsee.ra.api.NatsMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/**
 * Counts messages on {@code bench.c1} with at most 1 deliveries at once.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "bench.c1"),
    @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "pendingMessageLimit", propertyValue = "-1"),
    @ActivationConfigProperty(propertyName = "pendingByteLimit", propertyValue = "-1")
})
public class CountingMdb1 extends CountingMdb implements NatsMessageListener {
}
