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
        RecoveredState recovered;
        try {
            store = StorageFactory.open(options);
            recovered = recoverAndInit();
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        Options natsOptions = new Options.Builder()
                .server(url)
                .connectionName("_NSS-" + options.clusterId() + "-general")
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .connectionTimeout(Duration.ofSeconds(5))
                .noEcho()
                .build();
        try {
            nats = Nats.connect(natsOptions);
        } catch (IOException | InterruptedException e) {
            closeQuietly();
            throw e;
        }
        timers = Executors.newSingleThreadScheduledExecutor(threadFactory);
        engine = new Engine(threadFactory);
        ProtocolSubjects subjects = ProtocolSubjects.of(options.discoverPrefix(), options.clusterId());
        state = new ServerState(options, subjects, store, nats, timers, clock, engine);
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
            closeQuietly();
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
        inbound.subscribe(subjects.discover(), message -> engine.post(() -> clients.connect(message)));
        inbound.subscribe(subjects.close(), message -> engine.post(() -> clients.close(message)));
        inbound.subscribe(subjects.pings(), message -> engine.post(() -> clients.ping(message)));
        inbound.subscribe(subjects.subscribe(), message -> engine.post(() -> subscriptions.subscribe(message)));
        inbound.subscribe(subjects.unsubscribe(),
                message -> engine.post(() -> subscriptions.unsubscribe(message, false)));
        inbound.subscribe(subjects.subscriptionClose(),
                message -> engine.post(() -> subscriptions.unsubscribe(message, true)));
        inbound.subscribe(subjects.publish() + ".>", engine::postPublish);
        inbound.subscribe(subjects.acks() + ".>", message -> engine.post(() -> deliveries.ack(message)));
        try {
            nats.flush(Duration.ofSeconds(5));
        } catch (java.util.concurrent.TimeoutException e) {
            closeQuietly();
            throw new IOException("the NATS server did not confirm the streaming subscriptions", e);
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
    private RecoveredState recoverAndInit() {
        RecoveredState recovered = store.recover();
        ServerInfoRecord stored = recovered.serverInfo();
        if (stored != null && !stored.clusterId().equals(options.clusterId())) {
            throw new IllegalStateException("cluster ID \"" + options.clusterId()
                    + "\" does not match stored cluster ID \"" + stored.clusterId() + "\"");
        }
        ProtocolSubjects subjects = ProtocolSubjects.of(options.discoverPrefix(), options.clusterId());
        store.init(new ServerInfoRecord(options.clusterId(), subjects.discover(), subjects.publish(),
                subjects.subscribe(), subjects.unsubscribe(), subjects.close(), subjects.subscriptionClose(),
                subjects.acks(), ""));
        store.flush();
        return recovered;
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
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
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
        engine = null;
        store = null;
        broker = null;
    }
}
