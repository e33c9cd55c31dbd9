package io.natsee.streaming.store;

/**
 * The consumers' positions of one channel: subscription records with the sequences sent and not
 * yet acknowledged.
 *
 * <p>Obligations: ids are unique within the {@link Store} and never reused; {@link #create} refuses
 * more than {@code maxSubscriptions} (0 = unlimited) with {@link TooManySubscriptionsException};
 * {@link #update} and {@link #delete} of an unknown id throw {@link NotFoundException};
 * {@link #addPending} raises the subscription's last sent to at least the sequence; acks of
 * unknown sequences are ignored. Durability comes only from {@link Store#flush()}.
 */
public interface SubStore {

    /** Stores a new subscription and returns it with its assigned id (the given id is ignored). */
    SubscriptionRecord create(SubscriptionRecord subscription);

    /** Replaces the record of {@code subscription.id()}; its pending sequences are kept. */
    void update(SubscriptionRecord subscription);

    /** Deletes a subscription with its pending sequences. */
    void delete(long subscriptionId);

    /** Records that {@code sequence} was sent to the subscription and is not acknowledged. */
    void addPending(long subscriptionId, long sequence);

    /** Records the acknowledgement of {@code sequence}. */
    void ack(long subscriptionId, long sequence);

    /** The subscription's current record (with its last sent), or null. */
    SubscriptionRecord get(long subscriptionId);

    /** The unacknowledged sequences of a subscription, ascending; empty if unknown. */
    long[] pending(long subscriptionId);

    /** How many subscriptions the channel holds. */
    int count();
}
