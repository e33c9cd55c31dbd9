package io.natsee.streaming.server;

import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.SubscriptionRecord;

/**
 * What the engine persists, whatever the store: channels' logs, clients, subscriptions and their positions.
 * Called only on the engine thread; a write is durable once {@link #flush()} returned.
 */
interface Storage extends AutoCloseable {

    /** The channel's log, created on first use. */
    ChannelLog channel(String name) throws LimitException;

    /** Makes every write so far durable (one fsync for a batch of publishes from many clients). */
    void flush();

    void addClient(ClientRecord client);

    void removeClient(String clientId);

    void saveSubscription(String channel, SubscriptionRecord subscription);

    void removeSubscription(String channel, long subscriptionId);

    void addPending(String channel, long subscriptionId, long sequence);

    void ack(String channel, long subscriptionId, long sequence);

    /** The store's kind, as /streaming/storez names it. */
    String type();

    @Override
    void close();

    /** A limit of the store refused the operation; the message is the reference's error text. */
    final class LimitException extends Exception {
        LimitException(String message) {
            super(message);
        }
    }
}
