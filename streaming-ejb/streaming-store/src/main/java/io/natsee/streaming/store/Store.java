package io.natsee.streaming.store;

import java.util.Collection;
import java.util.Optional;

/**
 * A streaming store: the channels (an append-only message log and its consumers' positions each),
 * the client records and the server info, all in one durability domain.
 *
 * <p>Obligations of every implementation:
 * <ul>
 * <li>Thread-safe: every method may be called from any thread.</li>
 * <li>Recovery: {@link #recover()} returns everything stored before the last close or crash that
 *     was followed by a {@link #flush()}: server info, clients, channels with their messages and
 *     subscriptions (with pending sequences). A memory store returns an empty state.</li>
 * <li>Channels are created on demand by {@link #getOrCreateChannel} with the limits of
 *     {@link StoreLimits#forChannel} in force at creation; creating one more than
 *     {@link StoreLimits#maxChannels()} throws {@link TooManyChannelsException}.</li>
 * <li>Durability is group commit through ONE store-wide {@link #flush()}: the server appends a batch
 *     of messages (many clients, many channels) and subscription changes, then calls {@code flush()}
 *     once and only then sends the PubAcks. When {@code flush()} returns, every change made before it
 *     was called is durable (fsynced when the store's sync option is on). Concurrent callers share
 *     one sync. Changes are not guaranteed durable before a flush.</li>
 * <li>A failure to store throws {@link StoreException}; the caller must not acknowledge.</li>
 * </ul>
 */
public interface Store extends AutoCloseable {

    /** The store's type as the monitoring reports it: {@code MEMORY} or {@code FILE}. */
    String type();

    /** The state found when the store was opened; the channels in it are open and usable. */
    RecoveredState recover();

    /**
     * What {@link #recover()} would report if this store were closed and opened again now, for a
     * store that can tell without reopening (its channels are the open ones, ready for appends);
     * empty for a store that cannot. A cluster replica about to serve uses it: reopening would read
     * every stored message again, so a failover would take longer the more the store holds.
     */
    default Optional<RecoveredState> currentState() {
        return Optional.empty();
    }

    /** Stores (replaces) the server info; it is part of the next {@link #recover()}. */
    void init(ServerInfoRecord info);

    /** The limits in force for channels created from now on. */
    StoreLimits limits();

    /** Replaces the limits; not retroactive: existing channels keep theirs. */
    void setLimits(StoreLimits limits);

    /**
     * The channel of that literal name, created with the limits in force if it does not exist.
     *
     * @throws TooManyChannelsException if creating it would exceed max channels
     * @throws IllegalArgumentException if the name is not a valid literal channel name
     */
    Channel getOrCreateChannel(String name);

    /** The channel of that name, or null. */
    Channel lookupChannel(String name);

    /** Every channel, in creation order (a snapshot). */
    Collection<Channel> channels();

    /**
     * Deletes a channel with its messages and subscriptions; after the next flush it is absent
     * from a recovery.
     *
     * @throws NotFoundException if there is no such channel
     */
    void deleteChannel(String name);

    /** Adds (or replaces, by id) a client record. */
    void addClient(ClientRecord client);

    /** Deletes a client record; no-op if absent. */
    void deleteClient(String clientId);

    /** The stored clients, in the order they were first added. */
    Collection<ClientRecord> clients();

    /** Makes every change made before this call durable (group commit, see the class comment). */
    void flush();

    /** Flushes and releases the store (files, lock); idempotent. */
    @Override
    void close();
}
