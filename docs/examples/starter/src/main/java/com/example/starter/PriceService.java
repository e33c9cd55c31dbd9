package com.example.starter;

import io.nats.client.Message;
import io.natsee.ra.api.NatsRequestListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import java.nio.charset.StandardCharsets;

/** The inbound side, request/reply: answers {@code prices.lookup} with a price for the item named. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "nats-ra"),
    @ActivationConfigProperty(propertyName = "subject", propertyValue = "prices.lookup")
})
public class PriceService implements NatsRequestListener {

    @Override
    public byte[] onRequest(Message request) {
        String item = new String(request.getData(), StandardCharsets.UTF_8);
        int cents = 100 + Math.floorMod(item.hashCode(), 900);
        return (item + " costs " + cents / 100 + "." + String.format("%02d", cents % 100)).getBytes(StandardCharsets.UTF_8);
    }
}
