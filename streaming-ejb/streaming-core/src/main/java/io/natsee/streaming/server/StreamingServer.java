package io.natsee.streaming.server;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.Store;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The NATS Streaming server: a client of a NATS server (a side-car broker it starts itself, or any NATS URL) that
 * serves the streaming protocol on {@code _STAN.*} subjects, with a store behind it. {@link #start()} then
 * {@link #close()}; several servers may run in one JVM.
 */
public final class StreamingServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamingServer.class.getName());
    /** The line outside tools wait for, as the reference prints it. */
    public static final String READY_LINE = "Streaming Server is ready";
    /** The longest an ack or a delivery's position stays unflushed (a crash then costs a redelivery only). */
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final StreamingOptions options;
    private final BrokerOptions brokerOptions;
    private final ThreadFactory threadFactory;
    private final Clock clock;
    private final String serverId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    private Broker broker;
    private Connection nats;
    private Engine engine;
    private ScheduledExecutorService timers;
    private ServerState state;
    private Store store;
    private Instant startTime;
    private Dispatcher inbound;
    private ClusterMembership cluster;
    private FaultTolerance ft;
    /** Volatile: the NATS connection's listener reads it when the topology changes. */
    private volatile Partitions partitions;
    private volatile java.util.function.Consumer<String> fatalHandler = reason -> { };

    /** A server with the given options; {@code brokerOptions} configure the side-car broker (null: defaults). */
    public StreamingServer(StreamingOptions options, BrokerOptions brokerOptions, ThreadFactory threadFactory,
                           Clock clock) {
        this.options = options;
        this.brokerOptions = brokerOptions;
        this.threadFactory = threadFactory;
        this.clock = clock;
    }

    public StreamingServer(StreamingOptions options) {
        this(options, null, Executors.defaultThreadFactory(), Clock.systemUTC());
    }

    /** Starts the side-car broker if there is one, opens the store, connects and serves. */
    public synchronized void start() throws IOException, InterruptedException {
        startTime = clock.instant();
        if (options.faultTolerant() && options.store() == StreamingOptions.StoreType.MEMORY) {
            throw new IllegalArgumentException("ft: only FILE or SQL stores supported in FT mode");
        }
        String url = options.natsUrl();
        if (url == null || url.isEmpty()) {
            BrokerOptions sidecar = brokerOptions != null ? brokerOptions
                    : BrokerOptions.builder().host(options.brokerHost()).port(options.brokerPort()).build();
            broker = new Broker(sidecar, threadFactory, clock);
            broker.start();
            if (!broker.awaitReady(Duration.ofSeconds(10))) {
                throw new IOException("the side-car NATS server did not start");
            }
            String host = broker.host();
            if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
                host = "127.0.0.1";
            }
            url = "nats://" + host + ":" + broker.port();
        }
        if (options.cluster() != null) {
            // Every node applies the replicated log; only the leader serves (ClusterMembership).
            connect(url);
            cluster = new ClusterMembership(this, options, threadFactory);
            try {
                cluster.start();
            } catch (IOException | RuntimeException e) {
                closeQuietly();
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, READY_LINE);
            return;
        }
        if (options.faultTolerant()) {
            // A standby opens no store and subscribes to no streaming subject until it holds the store lock.
            ft = new FaultTolerance(options, serverId, connect(url), threadFactory, this::fatal);
            ft.start(this::activate);
            return;
        }
        Store opened;
        try {
            opened = StorageFactory.open(options);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        try {
            connect(url);
        } catch (IOException | InterruptedException e) {
            opened.close();
            closeQuietly();
            throw e;
        }
        activate(opened);
    }

    private Connection connect(String url) throws IOException, InterruptedException {
        Options natsOptions = new Options.Builder()
                .server(url)
                .connectionName("_NSS-" + options.clusterId() + "-general")
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .connectionTimeout(Duration.ofSeconds(5))
                .noEcho()
                .connectionListener((connection, event) -> {
                    Partitions current = partitions;
                    if (event == io.nats.client.ConnectionListener.Events.DISCOVERED_SERVERS && current != null) {
                        current.topologyChanged(threadFactory, this::fatal);
                    }
                })
                .build();
        try {
            nats = Nats.connect(natsOptions);
        } catch (IOException | InterruptedException e) {
            closeQuietly();
            throw e;
        }
        return nats;
    }

    /** Recovers the opened store and serves the streaming subjects: at start, or when a standby becomes active. */
    private synchronized void activate(Store opened) throws IOException, InterruptedException {
        activate(opened, null, "");
    }

    /**
     * Serves as the cluster's leader from the replicated store and what it holds; called by
     * {@link ClusterMembership}, which calls {@link #stopServing()} when the leadership ends.
     */
    synchronized void serveAsLeader(Store replicated, RecoveredState recovered, String nodeId)
            throws IOException, InterruptedException {
        activate(replicated, recovered, nodeId);
    }

    /**
     * Serves the streaming subjects from the opened store ({@code recovered}: its state, or null to recover it
     * here). A failure closes the server, or in clustered mode only stops serving.
     */
    private synchronized void activate(Store opened, RecoveredState given, String nodeId)
            throws IOException, InterruptedException {
        if (nats == null) {
            opened.close();
            return;
        }
        store = opened;
        RecoveredState recovered;
        try {
            recovered = given != null ? given : store.recover();
            recoverAndInit(recovered, nodeId);
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
        if (options.partitioning()) {
            try {
                partitions = new Partitions(new java.util.ArrayList<>(options.limits().perChannel().keySet()),
                        serverId, options.clusterId(), nats);
                partitions.start();
            } catch (RuntimeException | IOException e) {
                abandon();
                throw e;
            }
        }
        timers = Executors.newSingleThreadScheduledExecutor(threadFactory);
        engine = new Engine(threadFactory);
        ProtocolSubjects subjects = ProtocolSubjects.of(options.discoverPrefix(), options.clusterId());
        state = new ServerState(options, subjects, store, nats, timers, clock, engine);
        state.partitions = partitions;
        Deliveries deliveries = new Deliveries(state);
        SubscriptionRequests subscriptions = new SubscriptionRequests(state, deliveries);
        ClientRequests clients = new ClientRequests(state, subscriptions);
        engine.start(new PublishPipeline(state, deliveries));
        ServerState serverState = state;
        try {
            engine.call(() -> {
                new Recovery(serverState, clients, subscriptions, deliveries).restore(recovered);
                return null;
            });
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
        state.every(state::flushIfNeeded, FLUSH_INTERVAL.toNanos());
        Duration housekeeping = Housekeeping.period(options.limits());
        if (housekeeping != null) {
            state.every(new Housekeeping(state)::run, housekeeping.toNanos());
        }
        // One dispatcher for every subject: a client's acks, publishes and requests reach the engine in the order
        // the client sent them (an ack before the subscription close that follows it).
        Dispatcher inbound = nats.createDispatcher();
        this.inbound = inbound;
        inbound.subscribe(subjects.discover(), message -> engine.post(() -> clients.connect(message)));
        inbound.subscribe(subjects.close(), message -> engine.post(() -> clients.close(message)));
        inbound.subscribe(subjects.pings(), message -> engine.post(() -> clients.ping(message)));
        inbound.subscribe(subjects.subscribe(), message -> engine.post(() -> subscriptions.subscribe(message)));
        inbound.subscribe(subjects.unsubscribe(),
                message -> engine.post(() -> subscriptions.unsubscribe(message, false)));
        inbound.subscribe(subjects.subscriptionClose(),
                message -> engine.post(() -> subscriptions.unsubscribe(message, true)));
        if (partitions == null) {
            inbound.subscribe(subjects.publish() + ".>", engine::postPublish);
        } else {
            // Only the owned channels' publishes reach this server; the others' are for the other servers.
            for (String channel : partitions.channels()) {
                inbound.subscribe(subjects.publish() + "." + channel, engine::postPublish);
            }
        }
        inbound.subscribe(subjects.acks() + ".>", message -> engine.post(() -> deliveries.ack(message)));
        try {
            nats.flush(Duration.ofSeconds(5));
        } catch (java.util.concurrent.TimeoutException e) {
            abandon();
            throw new IOException("the NATS server did not confirm the streaming subscriptions", e);
        }
        if (cluster != null) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Starting nats-streaming-server[{0}] version 0.23.2 (NATS EE)",
                options.clusterId());
        LOG.log(System.Logger.Level.INFO, "Streaming Server Name: {0}", options.clusterId());
        LOG.log(System.Logger.Level.INFO, "Message store is {0}", store.type());
        LOG.log(System.Logger.Level.INFO, READY_LINE);
    }

    /**
     * What the store recovered, after checking that it belongs to this cluster id; then the server info of this
     * run is stored.
     */
    private void recoverAndInit(RecoveredState recovered, String nodeId) {
        ServerInfoRecord stored = recovered.serverInfo();
        if (stored != null && !stored.clusterId().equals(options.clusterId())) {
            throw new IllegalStateException("cluster ID \"" + options.clusterId()
                    + "\" does not match stored cluster ID \"" + stored.clusterId() + "\"");
        }
        ProtocolSubjects subjects = ProtocolSubjects.of(options.discoverPrefix(), options.clusterId());
        store.init(new ServerInfoRecord(options.clusterId(), subjects.discover(), subjects.publish(),
                subjects.subscribe(), subjects.unsubscribe(), subjects.close(), subjects.subscriptionClose(),
                subjects.acks(), nodeId));
        store.flush();
    }

    /** After a failed activation: the whole server closes, or in clustered mode the node only stops serving. */
    private void abandon() {
        if (cluster != null) {
            stopServing();
        } else {
            closeQuietly();
        }
    }


    /** Stops serving clients (unsubscribes, stops the engine and timers) and releases the store. */
    synchronized void stopServing() {
        if (inbound != null && nats != null) {
            try {
                nats.closeDispatcher(inbound);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the streaming subscriptions failed", e);
            }
        }
        inbound = null;
        try {
            if (engine != null) {
                engine.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "closing the store failed", e);
            }
        }
        engine = null;
        timers = null;
        state = null;
        store = null;
    }

    /** Whether this server answers clients now (always once started, unless clustered and not the leader). */
    public boolean isServing() {
        return state != null;
    }

    /** In clustered mode: this node's Raft role (Leader, Follower, Candidate); null when not clustered. */
    public String clusterRole() {
        return cluster == null ? null : cluster.role();
    }

    /**
     * Stops the server after a failure it cannot serve through (a lost FT lock, another active server), then
     * tells the fatal handler.
     */
    private void fatal(String reason) {
        LOG.log(System.Logger.Level.ERROR, reason);
        close();
        fatalHandler.accept(reason);
    }

    /** Called (once the server is closed) with the reason when it stops by itself; the launcher exits. */
    public void onFatal(java.util.function.Consumer<String> handler) {
        fatalHandler = handler;
    }

    /** The state as serverz reports it: STANDALONE, CLUSTERED, FT_ACTIVE or FT_STANDBY. */
    public String stateName() {
        FaultTolerance current = ft;
        if (current == null) {
            return cluster != null ? "CLUSTERED" : "STANDALONE";
        }
        return current.isActive() ? "FT_ACTIVE" : "FT_STANDBY";
    }

    /** The side-car broker, or null in stand-alone mode. */
    public Broker broker() {
        return broker;
    }

    /** The NATS URL the server is connected to. */
    public String natsUrl() {
        return nats == null ? null : nats.getConnectedUrl();
    }

    public StreamingOptions options() {
        return options;
    }

    public String serverId() {
        return serverId;
    }

    public Instant startTime() {
        return startTime;
    }

    /** Monitoring data, read on the engine thread. */
    public StreamingMonitor monitor() {
        return new StreamingMonitor(this, () -> state);
    }

    /**
     * Deletes a channel with its messages, ending the subscriptions still on it (see {@link ChannelRemoval}); an
     * operator's action, which the reference does not offer.
     *
     * @return the number of subscriptions the channel had, or -1 when there is no such channel
     * @throws IllegalStateException when the server is not running or the store fails
     */
    public int deleteChannel(String name) throws InterruptedException {
        Engine running = engine;
        ServerState serverState = state;
        if (running == null || serverState == null) {
            throw new IllegalStateException("the streaming server is not running");
        }
        return running.call(() -> new ChannelRemoval(serverState).deleteOnRequest(name));
    }

    Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        ClusterMembership membership;
        synchronized (this) {
            membership = cluster;
            cluster = null;
        }
        if (membership != null) {
            membership.close();
        }
        synchronized (this) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (partitions != null) {
            partitions.close();
        }
        try {
            if (engine != null) {
                engine.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "closing the store failed", e);
            }
        }
        if (ft != null) {
            // After the store is closed: the lock row is freed only once nothing more is written under it.
            ft.close();
        }
        try {
            if (nats != null) {
                nats.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (broker != null) {
            broker.close();
        }
        nats = null;
        partitions = null;
        engine = null;
        store = null;
        broker = null;
    }
}
