package io.natsee.ra.inbound;

import io.natsee.ra.api.StreamingMessage;
import io.natsee.ra.api.StreamingMessageListener;
import io.natsee.ra.streaming.ReceivedMessage;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;

/**
 * Delivers one streaming message on a Work thread and acknowledges it only when the bean
 * returned normally: at once after {@code afterDelivery} when the delivery ran without a
 * transaction, or from the transaction's {@code afterCompletion} when it committed. A failure, a
 * rollback or a failed {@code afterDelivery} leaves it unacknowledged, so the server redelivers
 * it after the ack wait.
 */
final class StreamingDeliveryWork implements Work {

    private static final System.Logger LOGGER = System.getLogger(StreamingDeliveryWork.class.getName());
    static final Method ON_MESSAGE;

    static {
        try {
            ON_MESSAGE = StreamingMessageListener.class.getMethod("onMessage", StreamingMessage.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageEndpointFactory endpointFactory;
    private final TransactionSynchronizationRegistry transactions;
    private final ReceivedMessage message;

    /**
     * @param transactions the container's registry, or null when it has none
     */
    StreamingDeliveryWork(MessageEndpointFactory endpointFactory, TransactionSynchronizationRegistry transactions,
            ReceivedMessage message) {
        this.endpointFactory = endpointFactory;
        this.transactions = transactions;
        this.message = message;
    }

    @Override
    public void run() {
        MessageEndpoint endpoint;
        try {
            endpoint = endpointFactory.createEndpoint(null);
        } catch (Exception e) {
            LOGGER.log(Level.ERROR, "cannot create an endpoint for " + message + "; not acknowledged, redelivered after the ack wait", e);
            return;
        }
        try {
            deliver(endpoint);
        } finally {
            endpoint.release();
        }
    }

    private void deliver(MessageEndpoint endpoint) {
        if (!(endpoint instanceof StreamingMessageListener listener)) {
            LOGGER.log(Level.ERROR, "the endpoint for " + message + " does not implement StreamingMessageListener;"
                    + " declare the interface on the bean class or set messageListenerInterface");
            return;
        }
        try {
            endpoint.beforeDelivery(ON_MESSAGE);
        } catch (Exception e) {
            LOGGER.log(Level.ERROR, "beforeDelivery failed for " + message + "; not acknowledged", e);
            return;
        }
        AckAfterCommit afterCommit = null;
        boolean returned = false;
        boolean completed = true;
        try {
            afterCommit = registerInTransaction();
            listener.onMessage(message);
            returned = true;
            if (afterCommit != null) {
                afterCommit.beanReturned = true;
            }
        } catch (RuntimeException | Error e) {
            LOGGER.log(Level.WARNING, "message-driven bean failed on " + message
                    + "; not acknowledged, the server redelivers it after the ack wait", e);
        } finally {
            try {
                endpoint.afterDelivery();
            } catch (Exception e) {
                completed = false;
                LOGGER.log(Level.WARNING, "afterDelivery failed for " + message + "; not acknowledged unless its transaction committed", e);
            }
        }
        if (afterCommit == null && returned && completed) {
            acknowledge(message);
        }
    }

    /** Registers the acknowledgement with the delivery's transaction, if one is running; returns null otherwise. */
    private AckAfterCommit registerInTransaction() {
        if (transactions == null) {
            return null;
        }
        int status;
        try {
            status = transactions.getTransactionStatus();
        } catch (RuntimeException e) {
            return null; // no transaction manager reachable from this thread
        }
        if (status != Status.STATUS_ACTIVE) {
            return null;
        }
        AckAfterCommit afterCommit = new AckAfterCommit(message);
        transactions.registerInterposedSynchronization(afterCommit);
        return afterCommit;
    }

    private static void acknowledge(ReceivedMessage message) {
        if (!message.ack()) {
            LOGGER.log(Level.DEBUG, "acknowledgement of {0} not sent; it will be redelivered", message);
        }
    }

    /** Acknowledges the message when the delivery's transaction committed and the bean returned normally. */
    private static final class AckAfterCommit implements Synchronization {
        private final ReceivedMessage message;
        private volatile boolean beanReturned;

        AckAfterCommit(ReceivedMessage message) {
            this.message = message;
        }

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED && beanReturned) {
                acknowledge(message);
            } else {
                LOGGER.log(Level.DEBUG, "transaction of {0} ended with status {1}; not acknowledged", message, status);
            }
        }
    }

    @Override
    public void release() {
    }
}
