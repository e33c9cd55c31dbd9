package io.natsee.streaming.store.raft;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.MsgStoreState;
import io.natsee.streaming.store.RecoveredChannel;
import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The serving leader's store: reads come from this node's applied store; writes are collected as operations and
 * replicated by {@link #flush()} as Raft entries, which every node (this one too) applies to its own store. So a
 * flush returns once a majority has the changes in its log and this node applied them: the server sends its
 * PubAcks only then.
 *
 * <p>Operations with an answer (channel and subscription creation, channel deletion, expiry) are replicated at
 * once with everything before them. Appends answer with the sequence the log will assign (the last applied one
 * plus the appends not yet flushed). Once a flush fails (this node lost the leadership, or a deposed leader's
 * batch was refused) the store is {@link #failed()}: its predicted sequences can no longer be trusted and the
 * server must stop serving from it.
 */
public final class RaftStore implements Store {
    /** Entries are cut at this size; several entries of one flush are replicated concurrently. */
    static final int MAX_ENTRY_BYTES = 1 << 20;

    private final RaftNode node;
    private final Store applied;
    private final long term;
    private final Map<String, RaftChannel> channels = new ConcurrentHashMap<>();
    private final List<byte[]> sealed = new ArrayList<>();
    private StoreOperations.Batch batch;
    private volatile boolean failed;

    RaftStore(RaftNode node, Store applied, long term) {
        this.node = node;
        this.applied = applied;
        this.term = term;
        this.batch = new StoreOperations.Batch(term);
    }

    /** Whether a replication failed: the server must stop serving from this store. */
    public boolean failed() {
        return failed;
    }

    /** The term this store writes under. */
    public long term() {
        return term;
    }

    @Override
    public String type() {
        return applied.type();
    }

    /** The state found when serving began (what {@link RaftNode#openForServing()} gave). */
    @Override
    public RecoveredState recover() {
        return wrap(applied.recover());
    }

    RecoveredState wrap(RecoveredState state) {
        Map<String, RecoveredChannel> wrapped = new LinkedHashMap<>();
        for (Map.Entry<String, RecoveredChannel> entry : state.channels().entrySet()) {
            wrapped.put(entry.getKey(), new RecoveredChannel(channel(entry.getValue().channel()),
                    entry.getValue().subscriptions()));
        }
        return new RecoveredState(state.serverInfo(), state.clients(), wrapped);
    }

    @Override
    public synchronized void init(ServerInfoRecord info) {
        operations().init(info);
    }

    @Override
    public StoreLimits limits() {
        return applied.limits();
    }

    /** Local only: every node is configured with the same limits. */
    @Override
    public void setLimits(StoreLimits limits) {
        applied.setLimits(limits);
    }

    @Override
    public synchronized Channel getOrCreateChannel(String name) {
        Channel existing = lookupChannel(name);
        if (existing != null) {
            return existing;
        }
        if (!io.natsee.streaming.store.ChannelNames.isValid(name, false)) {
            throw new IllegalArgumentException("invalid channel name: " + name);
        }
        operations().channel(StoreOperations.CHANNEL, name);
        replicate();
        Channel created = applied.lookupChannel(name);
        if (created == null) {
            throw new StoreException("channel " + name + " was not created");
        }
        return channel(created);
    }

    @Override
    public Channel lookupChannel(String name) {
        RaftChannel known = channels.get(name);
        if (known != null) {
            return known.channel;
        }
        Channel channel = applied.lookupChannel(name);
        return channel == null ? null : channel(channel);
    }

    @Override
    public Collection<Channel> channels() {
        List<Channel> all = new ArrayList<>();
        for (Channel channel : applied.channels()) {
            all.add(channel(channel));
        }
        return all;
    }

    @Override
    public synchronized void deleteChannel(String name) {
        operations().channel(StoreOperations.DELETE_CHANNEL, name);
        replicate();
        channels.remove(name);
    }

    @Override
    public synchronized void addClient(ClientRecord client) {
        operations().addClient(client);
    }

    @Override
    public synchronized void deleteClient(String clientId) {
        operations().deleteClient(clientId);
    }

    @Override
    public Collection<ClientRecord> clients() {
        return applied.clients();
    }

    /** Replicates every operation so far and waits until a majority stored them and this node applied them. */
    @Override
    public synchronized void flush() {
        if (batch.count() > 0 || !sealed.isEmpty()) {
            replicate();
        }
    }

    /** Stops serving from this store; the node's applied store stays open (the state machine owns it). */
    @Override
    public void close() {
        failed = true;
    }

    /** The current batch, sealed first when it grew past the entry size. Caller holds this store's lock. */
    private StoreOperations.Batch operations() {
        if (failed) {
            throw new StoreException("stan: this node no longer leads the cluster");
        }
        if (batch.size() >= MAX_ENTRY_BYTES) {
            sealed.add(batch.toByteArray());
            batch = new StoreOperations.Batch(term);
        }
        return batch;
    }

    /** Replicates the sealed entries and the current batch; the reply of the last one. Caller holds the lock. */
    private byte[] replicateEntries() {
        if (batch.count() > 0) {
            sealed.add(batch.toByteArray());
            batch = new StoreOperations.Batch(term);
        }
        List<CompletableFuture<byte[]>> replies = new ArrayList<>(sealed.size());
        for (byte[] entry : sealed) {
            replies.add(node.submit(entry));
        }
        sealed.clear();
        byte[] last = null;
        try {
            for (CompletableFuture<byte[]> reply : replies) {
                last = reply.get(RaftNode.WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (StoreOperations.isStale(last)) {
                    throw new StoreException("stan: this node no longer leads the cluster");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = true;
            throw new StoreException("interrupted while replicating");
        } catch (ExecutionException e) {
            failed = true;
            Throwable cause = e.getCause();
            throw cause instanceof StoreException s ? s : new StoreException("not replicated: " + cause, cause);
        } catch (TimeoutException e) {
            failed = true;
            throw new StoreException("stan: not replicated within " + RaftNode.WRITE_TIMEOUT_SECONDS + " s");
        } catch (StoreException e) {
            failed = true;
            throw e;
        }
        return last;
    }

    /** Replicates now and returns the last operation's value. Caller holds the lock. */
    private long replicate() {
        byte[] reply = replicateEntries();
        return reply == null ? 0 : StoreOperations.valueOf(reply);
    }

    private Channel channel(Channel underlying) {
        return channels.computeIfAbsent(underlying.name(), name -> new RaftChannel(underlying)).channel;
    }

    /** One channel's replicating log and subscriptions over the applied ones. */
    private final class RaftChannel implements MsgStore, SubStore {
        final Channel underlying;
        final Channel channel;
        /** The highest sequence given to an append of this store (applied or not). */
        private long predictedLast;

        RaftChannel(Channel underlying) {
            this.underlying = underlying;
            this.channel = new Channel(underlying.name(), this, this, underlying.limits());
        }

        private String name() {
            return underlying.name();
        }

        @Override
        public long append(String reply, byte[] data, long timestamp) {
            synchronized (RaftStore.this) {
                long sequence = Math.max(predictedLast, underlying.messages().lastSequence()) + 1;
                operations().append(name(), sequence, reply, data, timestamp);
                predictedLast = sequence;
                return sequence;
            }
        }

        @Override
        public StoredMessage lookup(long sequence) {
            return underlying.messages().lookup(sequence);
        }

        @Override
        public long firstSequence() {
            return underlying.messages().firstSequence();
        }

        @Override
        public long lastSequence() {
            return Math.max(predictedLast, underlying.messages().lastSequence());
        }

        @Override
        public MsgStoreState state() {
            return underlying.messages().state();
        }

        @Override
        public long sequenceForTimestamp(long timestamp) {
            return underlying.messages().sequenceForTimestamp(timestamp);
        }

        @Override
        public long expire(long now) {
            synchronized (RaftStore.this) {
                operations().expire(name(), now);
                return replicate();
            }
        }

        @Override
        public SubscriptionRecord create(SubscriptionRecord subscription) {
            synchronized (RaftStore.this) {
                operations().subscription(StoreOperations.SUB_CREATE, name(), subscription);
                long id = replicate();
                return subscription.withId(id);
            }
        }

        @Override
        public void update(SubscriptionRecord subscription) {
            synchronized (RaftStore.this) {
                operations().subscription(StoreOperations.SUB_UPDATE, name(), subscription);
            }
        }

        @Override
        public void delete(long subscriptionId) {
            synchronized (RaftStore.this) {
                operations().position(StoreOperations.SUB_DELETE, name(), subscriptionId, 0);
            }
        }

        @Override
        public void addPending(long subscriptionId, long sequence) {
            synchronized (RaftStore.this) {
                operations().position(StoreOperations.ADD_PENDING, name(), subscriptionId, sequence);
            }
        }

        @Override
        public void ack(long subscriptionId, long sequence) {
            synchronized (RaftStore.this) {
                operations().position(StoreOperations.ACK, name(), subscriptionId, sequence);
            }
        }

        @Override
        public SubscriptionRecord get(long subscriptionId) {
            return underlying.subscriptions().get(subscriptionId);
        }

        @Override
        public long[] pending(long subscriptionId) {
            return underlying.subscriptions().pending(subscriptionId);
        }

        @Override
        public int count() {
            return underlying.subscriptions().count();
        }
    }
}
