package io.natsee.ra.inbound;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.natsee.ra.ClientSettings;
import io.natsee.ra.WorkExecutor;
import io.natsee.ra.streaming.ReceivedMessage;
import io.natsee.ra.streaming.StreamingClient;
import io.natsee.ra.streaming.StreamingClientOptions;
import io.natsee.ra.streaming.StreamingSubscription;
import io.natsee.ra.streaming.SubscriptionOptions;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Timer;

/**
 * One NATS Streaming message-driven bean endpoint: owns a jnats connection, a streaming session
 * and one subscription, hands each message to a {@link StreamingDeliveryWork} (which
 * acknowledges it once the bean returned and its transaction committed) and bounds the
 * deliveries in flight.
 *
 * <p>Setup (connect, streaming connect, subscribe) runs as one Work per attempt, retried on the
 * container's timer, all-or-nothing. The streaming session sets itself up again when the server
 * forgets this client; when jnats gives the connection up, the activation goes back to its setup
 * loop. Undeployment stops taking messages, waits for running deliveries and their
 * acknowledgements, then closes the subscription (a durable keeps its position on the server).
 */
public final class StreamingActivation implements InboundActivation {

    private static final System.Logger LOGGER = System.getLogger(StreamingActivation.class.getName());

    private final WorkManager workManager;
    private final Timer timer;
    private final MessageEndpointFactory endpointFactory;
    private final NatsStreamingActivationSpec spec;
    private final ClientSettings settings;
    private final TransactionSynchronizationRegistry transactions;
    private final StreamingClientOptions clientOptions;
    private final SubscriptionOptions subscriptionOptions;
    private final DeliverySlots slots;
    private final SetupLoop setup;
    private final Object lock = new Object();
    private volatile NatsActivation.State state = NatsActivation.State.CONNECTING;
    /** Guarded by {@code lock}. */
    private Connection connection;
    private StreamingClient client;
    private StreamingSubscription subscription;
    private Connection closingConnection;
    private StreamingClient closingClient;
    private StreamingSubscription closingSubscription;

    /**
     * @param transactions the container's transaction synchronization registry, or null
     */
    public StreamingActivation(WorkManager workManager, Timer timer, MessageEndpointFactory endpointFactory,
            NatsStreamingActivationSpec spec, ClientSettings settings, TransactionSynchronizationRegistry transactions) {
        this.workManager = workManager;
        this.timer = timer;
        this.endpointFactory = endpointFactory;
        this.spec = spec;
        this.settings = settings;
        this.transactions = transactions;
        this.slots = new DeliverySlots(workManager, spec.getMaxConcurrency());
        this.subscriptionOptions = spec.subscriptionOptions();
        String clientId = spec.getClientId() == null || spec.getClientId().isBlank()
                ? derivedClientId(endpointFactory) : spec.getClientId().trim();
        this.clientOptions = new StreamingClientOptions(spec.getClusterId().trim(), clientId, null, null, null, 0,
                Duration.ofSeconds(spec.getPingIntervalSeconds() == null ? 5 : spec.getPingIntervalSeconds()),
                spec.getPingMaxOut() == null ? 0 : spec.getPingMaxOut());
        this.setup = new SetupLoop(workManager, timer, "NATS Streaming activation on " + subscriptionOptions.channel(),
                spec.getSetupAttempts(), spec.getSetupIntervalMillis(), new Setup());
    }

    /**
     * Derives the default client id from the container's activation name, which names the server
     * instance, the application, the module and the bean: stable across restarts (so a durable
     * resumes) and different on every instance (client ids are unique in a cluster).
     */
    static String derivedClientId(MessageEndpointFactory endpointFactory) {
        String name = endpointFactory.getActivationName();
        if (name == null || name.isBlank()) {
            Class<?> endpointClass = endpointFactory.getEndpointClass();
            name = endpointClass == null ? "natsee-mdb" : endpointClass.getName();
        }
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Override
    public void start() throws ResourceException {
        setup.schedule(1);
    }

    private void failIfNotStopped() {
        synchronized (lock) {
            if (state != NatsActivation.State.STOPPED) {
                state = NatsActivation.State.FAILED;
            }
        }
    }

    private final class Setup implements SetupLoop.Target {
        @Override
        public void setUpOnce() throws Exception {
            StreamingActivation.this.setUpOnce();
        }

        @Override
        public boolean stopped() {
            return state == NatsActivation.State.STOPPED;
        }

        @Override
        public void failIfNotStopped() {
            StreamingActivation.this.failIfNotStopped();
        }

        @Override
        public String activeDescription() {
            return "client " + clientOptions.clientId() + ", durable " + subscriptionOptions.durableName()
                    + ", queue group " + subscriptionOptions.queueGroup();
        }
    }

    private void setUpOnce() throws Exception {
        ClientSettings effective = settings;
        if (effective.getConnectionName() == null) {
            ClientSettings named = new ClientSettings();
            named.setConnectionName("streaming mdb " + clientOptions.clientId());
            effective = effective.overriddenBy(named);
        }
        ConnectionListener listener = this::onConnectionEvent;
        Connection opened = Nats.connect(effective.toOptions(listener, null).build());
        try {
            StreamingClient session = StreamingClient.connect(opened, clientOptions, timer, new WorkExecutor(workManager));
            try {
                StreamingSubscription subscribed = session.subscribe(subscriptionOptions, this::dispatch);
                synchronized (lock) {
                    if (state == NatsActivation.State.STOPPED) {
                        throw new IllegalStateException("deactivated while connecting");
                    }
                    connection = opened;
                    client = session;
                    subscription = subscribed;
                    state = NatsActivation.State.ACTIVE;
                }
            } catch (Exception | Error e) {
                session.close();
                throw e;
            }
        } catch (Exception | Error e) {
            opened.close();
            throw e;
        }
    }

    private void onConnectionEvent(Connection jnatsConnection, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> {
                if (state != NatsActivation.State.STOPPED) {
                    LOGGER.log(Level.WARNING, "NATS Streaming activation on {0}: disconnected, reconnecting", subscriptionOptions.channel());
                }
            }
            case RECONNECTED -> {
                StreamingClient session;
                synchronized (lock) {
                    session = connection == jnatsConnection ? client : null;
                }
                LOGGER.log(Level.INFO, "NATS Streaming activation on {0}: reconnected; checking the streaming session",
                        subscriptionOptions.channel());
                if (session != null) {
                    session.onReconnected();
                }
            }
            case CLOSED -> restartAfterLoss(jnatsConnection);
            default -> {
            }
        }
    }

    /** jnats gave up reconnecting: set up again unless this activation is stopping. */
    private void restartAfterLoss(Connection lost) {
        StreamingClient session;
        synchronized (lock) {
            if (state != NatsActivation.State.ACTIVE || connection != lost) {
                return;
            }
            state = NatsActivation.State.CONNECTING;
            session = client;
            connection = null;
            client = null;
            subscription = null;
        }
        session.close();
        LOGGER.log(Level.WARNING, "NATS Streaming activation on {0}: connection lost for good, setting up again", subscriptionOptions.channel());
        try {
            setup.schedule(1);
        } catch (WorkException e) {
            state = NatsActivation.State.FAILED;
            LOGGER.log(Level.ERROR, "NATS Streaming activation on " + subscriptionOptions.channel()
                    + ": cannot schedule the new setup; delivery stopped", e);
        }
    }

    /** Runs on the subscription's dispatcher thread: waits for a free slot, then hands the message to a Work. */
    private void dispatch(ReceivedMessage message) throws InterruptedException {
        if (state == NatsActivation.State.STOPPED) {
            return; // not acknowledged: redelivered to the next subscriber of this durable or group
        }
        slots.acquire();
        if (state == NatsActivation.State.STOPPED) {
            slots.release();
            return;
        }
        try {
            slots.schedule(new StreamingDeliveryWork(endpointFactory, transactions, message));
        } catch (WorkException e) {
            LOGGER.log(Level.ERROR, "cannot schedule the delivery of " + message + "; not acknowledged, redelivered after the ack wait", e);
        }
    }

    @Override
    public void beginStop() {
        setup.cancel();
        synchronized (lock) {
            state = NatsActivation.State.STOPPED;
            closingConnection = connection;
            closingClient = client;
            closingSubscription = subscription;
            connection = null;
            client = null;
            subscription = null;
        }
    }

    @Override
    public void awaitStopped() {
        Connection closedConnection;
        StreamingClient closedClient;
        StreamingSubscription closedSubscription;
        synchronized (lock) {
            closedConnection = closingConnection;
            closedClient = closingClient;
            closedSubscription = closingSubscription;
            closingConnection = null;
            closingClient = null;
            closingSubscription = null;
        }
        if (closedConnection == null) {
            return;
        }
        try {
            if (closedConnection.getStatus() == Connection.Status.CONNECTED) {
                waitForRunningDeliveries(drainTimeout());
            }
            try {
                closedSubscription.close(); // a durable keeps its position on the server
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "NATS Streaming activation on {0}: closing the subscription failed ({1})",
                        subscriptionOptions.channel(), e.toString());
            }
            closedClient.close();
            closedConnection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOGGER.log(Level.INFO, "NATS Streaming activation on {0} (client {1}) stopped", subscriptionOptions.channel(),
                clientOptions.clientId());
    }

    private void waitForRunningDeliveries(Duration timeout) throws InterruptedException {
        if (!slots.awaitIdle(timeout)) {
            LOGGER.log(Level.WARNING, "NATS Streaming activation on {0}: deliveries still running after {1} ms; closing anyway"
                    + " (their messages are redelivered)", subscriptionOptions.channel(), timeout.toMillis());
        }
    }

    private Duration drainTimeout() {
        return Duration.ofMillis(spec.getDrainTimeoutMillis() == null
                ? NatsActivationSpec.DEFAULT_DRAIN_TIMEOUT_MILLIS : spec.getDrainTimeoutMillis());
    }

    /** Returns the current state. */
    public NatsActivation.State state() {
        return state;
    }

    /** Returns the streaming client id this activation connects with. */
    public String clientId() {
        return clientOptions.clientId();
    }

    /** Returns the number of deliveries running now. */
    public int deliveriesInFlight() {
        return slots.inFlight();
    }
}
