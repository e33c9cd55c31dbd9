package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.ChannelNames;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.NotFoundException;
import io.natsee.streaming.store.RecoveredChannel;
import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.RecoveredSubscription;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.TooManyChannelsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * A {@link Store} in a SQL database (PostgreSQL or H2) reached through a {@link DataSource}: the
 * reference's SQL store.
 *
 * <p>Durability: changes collect in a batch that {@link #flush()} commits in one transaction
 * (group commit: concurrent flushes share it); a commit is as durable as the database makes it
 * (PostgreSQL: fsynced WAL with its default {@code synchronous_commit}; H2: written to its file,
 * safe from a process crash). With {@link JdbcStoreOptions#noCaching()} every change is committed
 * when it is made. Messages go in as multi-row inserts of at most the bulk insert limit.
 *
 * <p>Memory: per held message 12 bytes of index (timestamps and sizes, for the limits); messages
 * not yet committed and the 256 newest per channel; the subscription state in a bounded cache.
 * The schema is created on first open ({@code postgres.sql} / {@code h2.sql} beside this class).
 * With a {@link Fence}, every write transaction checks the fault-tolerance lock's token first.
 */
public final class JdbcStore implements Store {

    /** The store type as the monitoring reports it, as the reference names it. */
    public static final String TYPE = "SQL";

    private static final System.Logger LOG = System.getLogger(JdbcStore.class.getName());

    private final JdbcStoreOptions options;
    private final ConnectionGate connections;
    private final StoreReader reader;
    private final SubscriptionCache cache;
    private final GroupCommit commit;
    private final AtomicLong nextChannelId;
    private final AtomicLong nextSubscriptionId;
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Map<String, ClientRecord> clients;
    private final Map<String, Long> clientOrder;
    private final RecoveredState recovered;
    private long nextClientOrder;
    private volatile StoreLimits limits;
    private boolean closed;

    /** Opens (and on first use creates) the store in that database, without fencing. */
    public JdbcStore(DataSource dataSource, JdbcStoreOptions options, StoreLimits limits) {
        this(dataSource, options, limits, null);
    }

    /**
     * Opens (and on first use creates) the store in that database.
     *
     * @param fence the fault-tolerance lock's token every write checks, or null when not in an FT group
     * @throws io.natsee.streaming.store.StoreException if the database cannot be reached or read
     */
    public JdbcStore(DataSource dataSource, JdbcStoreOptions options, StoreLimits limits, Fence fence) {
        this.options = options;
        this.limits = limits.validate();
        this.connections = new ConnectionGate(dataSource, options.maxOpenConns());
        this.reader = new StoreReader(connections);
        this.cache = new SubscriptionCache(options.noCaching() ? 0 : options.subscriptionCacheSize());
        this.commit = new GroupCommit(connections, new BatchWriter(options.driver(), options.bulkInsertLimit(), fence),
                !options.noCaching(), cache::trim);
        StoreLoader.Loaded loaded;
        try {
            loaded = StoreLoader.load(connections, options.driver());
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        this.nextChannelId = new AtomicLong(loaded.nextChannelId());
        this.nextSubscriptionId = new AtomicLong(loaded.nextSubscriptionId());
        this.clients = new LinkedHashMap<>(loaded.clients());
        this.clientOrder = new HashMap<>(loaded.clientOrder());
        this.nextClientOrder = clientOrder.values().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        this.recovered = recover(loaded);
        LOG.log(System.Logger.Level.DEBUG, "opened the {0} store: {1} channels, {2} clients ({3})",
                options.driver().driverName(), channels.size(), clients.size(), options);
    }

    /** Opens the store on an unpooled DataSource made from the options ({@link JdbcDataSources#create}). */
    public static JdbcStore open(JdbcStoreOptions options, StoreLimits limits, Fence fence) {
        return new JdbcStore(JdbcDataSources.create(options), options, limits, fence);
    }

    private RecoveredState recover(StoreLoader.Loaded loaded) {
        Map<Long, List<RecoveredSubscription>> subscriptionsByChannel = new HashMap<>();
        for (StoreLoader.LoadedSubscription subscription : loaded.subscriptions()) {
            subscriptionsByChannel.computeIfAbsent(subscription.channelId(), id -> new ArrayList<>())
                    .add(new RecoveredSubscription(subscription.record(), subscription.pending()));
        }
        Map<String, RecoveredChannel> recoveredChannels = new LinkedHashMap<>();
        for (StoreLoader.LoadedChannel found : loaded.channels()) {
            ChannelLimits channelLimits = limits.forChannel(found.name());
            JdbcMsgStore messages = new JdbcMsgStore(this, found.id(), found.name(), channelLimits, found.index(),
                    found.first(), found.last());
            JdbcSubStore subscriptions = new JdbcSubStore(this, found.id(), channelLimits);
            List<RecoveredSubscription> ofChannel = subscriptionsByChannel.getOrDefault(found.id(), List.of());
            for (RecoveredSubscription subscription : ofChannel) {
                long id = subscription.record().id();
                subscriptions.recovered(id);
                TreeSet<Long> pending = new TreeSet<>();
                for (long sequence : subscription.pending()) {
                    pending.add(sequence);
                }
                cache.putClean(id, new SubscriptionCache.Entry(subscription.record(), pending));
            }
            Channel channel = new Channel(found.name(), messages, subscriptions, channelLimits);
            channels.put(found.name(), channel);
            recoveredChannels.put(found.name(), new RecoveredChannel(channel, ofChannel));
        }
        cache.trim(commit.committedEpoch());
        return new RecoveredState(loaded.serverInfo(), List.copyOf(loaded.clients().values()), recoveredChannels);
    }

    JdbcStoreOptions options() {
        return options;
    }

    boolean noCaching() {
        return options.noCaching();
    }

    GroupCommit commit() {
        return commit;
    }

    StoreReader reader() {
        return reader;
    }

    SubscriptionCache cache() {
        return cache;
    }

    /** A new subscription id; the counter is persisted with the batch that creates the subscription. */
    long nextSubscriptionId() {
        long id = nextSubscriptionId.getAndIncrement();
        commit.change(batch -> batch.counters(nextChannelId.get(), nextSubscriptionId.get()));
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RecoveredState recover() {
        return recovered;
    }

    @Override
    public void init(ServerInfoRecord info) {
        commit.change(batch -> batch.change(new WriteBatch.ServerInfoPut(info)));
        flushIfWriteThrough();
    }

    @Override
    public StoreLimits limits() {
        return limits;
    }

    @Override
    public void setLimits(StoreLimits newLimits) {
        this.limits = newLimits.validate();
    }

    @Override
    public Channel getOrCreateChannel(String name) {
        Channel channel;
        synchronized (this) {
            Channel existing = channels.get(name);
            if (existing != null) {
                return existing;
            }
            if (!ChannelNames.isValid(name, false)) {
                throw new IllegalArgumentException("invalid channel name \"" + name + "\"");
            }
            commit.checkFailure();
            StoreLimits current = limits;
            if (current.maxChannels() > 0 && channels.size() >= current.maxChannels()) {
                throw new TooManyChannelsException();
            }
            ChannelLimits channelLimits = current.forChannel(name);
            long id = nextChannelId.getAndIncrement();
            channel = new Channel(name, new JdbcMsgStore(this, id, name, channelLimits, new MessageIndex(), 0, 0),
                    new JdbcSubStore(this, id, channelLimits), channelLimits);
            commit.change(batch -> {
                batch.change(new WriteBatch.ChannelCreate(id, name));
                batch.counters(nextChannelId.get(), nextSubscriptionId.get());
            });
            channels.put(name, channel);
        }
        flushIfWriteThrough();
        return channel;
    }

    @Override
    public synchronized Channel lookupChannel(String name) {
        return channels.get(name);
    }

    @Override
    public synchronized Collection<Channel> channels() {
        return new ArrayList<>(channels.values());
    }

    @Override
    public void deleteChannel(String name) {
        synchronized (this) {
            Channel channel = channels.remove(name);
            if (channel == null) {
                throw new NotFoundException("channel " + name + " not found");
            }
            JdbcMsgStore messages = (JdbcMsgStore) channel.messages();
            messages.markDeleted();
            List<Long> subscriptionIds = ((JdbcSubStore) channel.subscriptions()).markDeleted();
            commit.change(batch -> batch.deleteChannel(messages.channelId(), subscriptionIds));
        }
        flushIfWriteThrough();
    }

    @Override
    public void addClient(ClientRecord client) {
        synchronized (this) {
            Long order = clientOrder.get(client.id());
            long ord = order != null ? order : nextClientOrder++;
            clientOrder.put(client.id(), ord);
            clients.put(client.id(), client);
            commit.change(batch -> batch.change(new WriteBatch.ClientPut(ord, client)));
        }
        flushIfWriteThrough();
    }

    @Override
    public void deleteClient(String clientId) {
        synchronized (this) {
            if (clients.remove(clientId) == null) {
                return;
            }
            clientOrder.remove(clientId);
            commit.change(batch -> batch.change(new WriteBatch.ClientDelete(clientId)));
        }
        flushIfWriteThrough();
    }

    @Override
    public synchronized Collection<ClientRecord> clients() {
        return new ArrayList<>(clients.values());
    }

    @Override
    public void flush() {
        commit.flush();
    }

    private void flushIfWriteThrough() {
        if (options.noCaching()) {
            commit.flush();
        }
    }

    /** Transactions committed since the store was opened (for tests and measurements). */
    long commits() {
        return commit.commits();
    }

    /** Subscriptions whose state is in memory now (for tests and monitoring). */
    int cachedSubscriptions() {
        return cache.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            commit.flush();
        } finally {
            connections.close();
        }
    }
}
