package io.natsee.ra.inbound;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsee.ra.api.NatsMessageListener;
import io.natsee.ra.api.NatsRequestListener;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;

/**
 * Delivers one message on a Work thread: creates the endpoint, calls {@code beforeDelivery},
 * the listener and always {@code afterDelivery}, publishes a reply if the listener gave one,
 * then releases the endpoint.
 */
final class DeliveryWork implements Work {

    private static final System.Logger LOGGER = System.getLogger(DeliveryWork.class.getName());
    static final Method ON_MESSAGE = method(NatsMessageListener.class, "onMessage");
    static final Method ON_REQUEST = method(NatsRequestListener.class, "onRequest");

    private final MessageEndpointFactory endpointFactory;
    private final Message message;

    DeliveryWork(MessageEndpointFactory endpointFactory, Message message) {
        this.endpointFactory = endpointFactory;
        this.message = message;
    }

    private static Method method(Class<?> type, String name) {
        try {
            return type.getMethod(name, Message.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void run() {
        MessageEndpoint endpoint;
        try {
            endpoint = endpointFactory.createEndpoint(null);
        } catch (Exception e) {
            LOGGER.log(Level.ERROR, "cannot create an endpoint for the message on " + message.getSubject() + "; message not delivered", e);
            return;
        }
        try {
            deliver(endpoint);
        } finally {
            endpoint.release();
        }
    }

    private void deliver(MessageEndpoint endpoint) {
        boolean replying = endpoint instanceof NatsRequestListener;
        if (!replying && !(endpoint instanceof NatsMessageListener)) {
            // The container chose another listener interface, e.g. for a bean that only inherits ours.
            LOGGER.log(Level.ERROR, "the endpoint for " + message.getSubject() + " implements neither NatsMessageListener nor"
                    + " NatsRequestListener; declare the interface on the bean class or set messageListenerInterface");
            return;
        }
        Method method = replying ? ON_REQUEST : ON_MESSAGE;
        try {
            endpoint.beforeDelivery(method);
        } catch (Exception e) {
            LOGGER.log(Level.ERROR, "beforeDelivery failed for the message on " + message.getSubject() + "; message not delivered", e);
            return;
        }
        byte[] reply = null;
        try {
            if (replying) {
                reply = ((NatsRequestListener) endpoint).onRequest(message);
            } else {
                ((NatsMessageListener) endpoint).onMessage(message);
            }
        } catch (RuntimeException | Error e) {
            LOGGER.log(Level.WARNING, "message-driven bean failed on the message on " + message.getSubject()
                    + "; later messages are still delivered", e);
        } finally {
            try {
                endpoint.afterDelivery();
            } catch (Exception e) {
                // afterDelivery fails when the container's transaction rolled back: the reply is not sent then.
                LOGGER.log(Level.WARNING, "afterDelivery failed for the message on " + message.getSubject(), e);
                reply = null;
            }
        }
        if (reply != null && message.getReplyTo() != null) {
            Connection connection = message.getConnection();
            connection.publish(message.getReplyTo(), reply);
        }
    }

    @Override
    public void release() {
    }
}
