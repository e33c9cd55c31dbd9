package io.natsee.ra.outbound;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.natsee.ra.api.NatsException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the publishes made inside a JTA transaction and sends them after it commits, or drops
 * them when it rolls back (the transactionalPublish mode).
 *
 * <p>Guarantee: nothing is sent before the commit decision, and nothing after a rollback. The
 * sends happen in {@code afterCompletion}, so a crash or a lost connection between commit and
 * send loses them: at most once, never before commit.
 */
final class AfterCommitPublisher {

    private static final System.Logger LOGGER = System.getLogger(AfterCommitPublisher.class.getName());

    private final TransactionSynchronizationRegistry registry;

    AfterCommitPublisher(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    /**
     * Holds the publish until the current transaction completes.
     *
     * @return false when no transaction is running, so the caller publishes at once
     */
    boolean defer(Connection connection, String subject, String replyTo, Headers headers, byte[] data) {
        int status = registry.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            return false;
        }
        if (status != Status.STATUS_ACTIVE && status != Status.STATUS_MARKED_ROLLBACK) {
            throw new NatsException("cannot publish to " + subject + " in a transaction with status " + status);
        }
        PendingPublishes pending = (PendingPublishes) registry.getResource(this);
        if (pending == null) {
            pending = new PendingPublishes();
            registry.putResource(this, pending);
            registry.registerInterposedSynchronization(pending);
        }
        pending.add(new Publish(connection, subject, replyTo, headers, data));
        return true;
    }

    private record Publish(Connection connection, String subject, String replyTo, Headers headers, byte[] data) {
    }

    private static final class PendingPublishes implements Synchronization {

        private final List<Publish> publishes = new ArrayList<>();

        synchronized void add(Publish publish) {
            publishes.add(publish);
        }

        @Override
        public void beforeCompletion() {
        }

        @Override
        public synchronized void afterCompletion(int status) {
            if (status != Status.STATUS_COMMITTED) {
                LOGGER.log(Level.DEBUG, "transaction ended with status {0}: {1} publishes dropped", status, publishes.size());
                publishes.clear();
                return;
            }
            int sent = 0;
            try {
                for (Publish publish : publishes) {
                    publish.connection().publish(publish.subject(), publish.replyTo(), publish.headers(), publish.data());
                    sent++;
                }
            } catch (RuntimeException e) {
                // afterCompletion cannot fail the committed transaction: the loss is reported here, with what was lost.
                LOGGER.log(Level.ERROR, "transaction committed but " + (publishes.size() - sent) + " of " + publishes.size()
                        + " publishes could not be sent; first lost subject " + publishes.get(sent).subject(), e);
            } finally {
                publishes.clear();
            }
        }
    }
}
