package io.natsee.ra.inbound;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.natsee.ra.ClientSettings;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One message-driven bean endpoint subscribed to NATS: owns a jnats connection and dispatcher,
 * hands each message to a {@link DeliveryWork}, and bounds the deliveries in flight.
 *
 * <p>The dispatcher thread waits for a free delivery slot before scheduling the next message,
 * so a busy bean slows the subscription down (messages wait in jnats' pending queue, up to the
 * pending limits) instead of piling up work. Each setup attempt is one Work; while the server is
 * down the container's timer schedules the next one, so no thread is held between attempts.
 * Setup is all-or-nothing: a failed attempt closes what it opened.
 */
public final class NatsActivation implements InboundActivation {

    private static final System.Logger LOGGER = System.getLogger(NatsActivation.class.getName());

    /** The states of an activation, in order. */
    public enum State { CONNECTING, ACTIVE, FAILED, STOPPED }

    private final WorkManager workManager;
    private final MessageEndpointFactory endpointFactory;
    private final NatsActivationSpec spec;
    private final ClientSettings settings;
    private final String queueGroup;
    private final DeliverySlots slots;
    private final SetupLoop setup;
    private final Object lock = new Object();
    private volatile State state = State.CONNECTING;
    private Connection connection;
    private Dispatcher dispatcher;
    /** Completed when the connection drops or closes while this activation is stopping. */
    private final CompletableFuture<Void> lostWhileStopping = new CompletableFuture<>();
    /** What {@link #beginStop()} started: completes when the subscription is drained. */
    private CompletableFuture<Boolean> draining;
    private Connection closing;

    /**
     * @param workManager the container's WorkManager: setup attempts and deliveries run as its Work
     * @param timer the container's timer (from {@code BootstrapContext.createTimer()}): schedules retries
     */
    public NatsActivation(WorkManager workManager, Timer timer, MessageEndpointFactory endpointFactory, NatsActivationSpec spec,
            ClientSettings settings) {
        this.workManager = workManager;
        this.endpointFactory = endpointFactory;
        this.spec = spec;
        this.settings = settings;
        this.slots = new DeliverySlots(workManager, spec.getMaxConcurrency());
        this.queueGroup = queueGroupFor(spec, endpointFactory);
        this.setup = new SetupLoop(workManager, timer, "NATS activation on " + spec.getSubject(), spec.getSetupAttempts(),
                spec.getSetupIntervalMillis(), new Setup());
    }

    /** Returns the queue group to subscribe with, or null for a plain subscription. */
    static String queueGroupFor(NatsActivationSpec spec, MessageEndpointFactory endpointFactory) {
        if (spec.getQueueGroup() != null && !spec.getQueueGroup().isBlank()) {
            return spec.getQueueGroup();
        }
        if (Boolean.FALSE.equals(spec.getLoadBalanced())) {
            return null;
        }
        Class<?> endpointClass = endpointFactory.getEndpointClass();
        return derivedQueueGroup(endpointFactory.getActivationName(), endpointClass == null ? null : endpointClass.getName(),
                System.getProperty(INSTANCE_NAME_PROPERTY));
    }

    /** The system property in which Payara and GlassFish name the server instance. */
    static final String INSTANCE_NAME_PROPERTY = "com.sun.aas.instanceName";

    /**
     * Derives the default queue group from the container's activation name, keeping only what
     * names the application, so every instance of one application gets the same group.
     *
     * <p>Payara and GlassFish build the activation name as
     * {@code <domain>_<cluster or instance>_<application>_<module>_<bean class>}: when the name
     * ends with {@code _<bean class>}, the domain and server fields are dropped (through the
     * instance name when it is known and found there, else the first two fields), and a module
     * named like its application (a standalone WAR or EJB jar) is kept once. Other containers'
     * names are used as they are. Characters outside {@code [A-Za-z0-9_.-]} become {@code _}.
     *
     * @param activationName the container's activation name, may be null
     * @param beanClassName the endpoint (bean) class name, may be null
     * @param instanceName the server instance name, may be null
     */
    static String derivedQueueGroup(String activationName, String beanClassName, String instanceName) {
        String name = activationName;
        if (name == null || name.isBlank()) {
            name = beanClassName == null ? "natsee" : beanClassName;
        } else if (beanClassName != null && name.endsWith("_" + beanClassName)) {
            String application = name.substring(0, name.length() - beanClassName.length() - 1);
            String marker = instanceName == null || instanceName.isBlank() ? null : "_" + instanceName + "_";
            int at = marker == null ? -1 : application.indexOf(marker);
            if (at >= 0) {
                application = application.substring(at + marker.length());
            } else {
                int first = application.indexOf('_');
                int second = first < 0 ? -1 : application.indexOf('_', first + 1);
                // Fewer than four fields is not Payara's form: keep the name as it is.
                application = second < 0 || application.indexOf('_', second + 1) < 0 ? application : application.substring(second + 1);
            }
            application = withoutRepeatedModule(application);
            name = application.isEmpty() ? beanClassName : application + "_" + beanClassName;
        }
        return name.replaceAll("[^A-Za-z0-9_\\-.]", "_");
    }

    /** Returns {@code app} for {@code app_app} (a standalone module is named like its application). */
    private static String withoutRepeatedModule(String applicationAndModule) {
        int length = applicationAndModule.length();
        if (length % 2 == 1) {
            int half = length / 2;
            if (applicationAndModule.charAt(half) == '_'
                    && applicationAndModule.regionMatches(0, applicationAndModule, half + 1, half)) {
                return applicationAndModule.substring(0, half);
            }
        }
        return applicationAndModule;
    }

    /** Schedules the first setup attempt on a Work and returns at once. */
    @Override
    public void start() throws ResourceException {
        setup.schedule(1);
    }

    private void failIfNotStopped() {
        synchronized (lock) {
            if (state != State.STOPPED) {
                state = State.FAILED;
            }
        }
    }

    private final class Setup implements SetupLoop.Target {
        @Override
        public void setUpOnce() throws Exception {
            NatsActivation.this.setUpOnce();
        }

        @Override
        public boolean stopped() {
            return state == State.STOPPED;
        }

        @Override
        public void failIfNotStopped() {
            NatsActivation.this.failIfNotStopped();
        }

        @Override
        public String activeDescription() {
            return "queue group " + queueGroup;
        }
    }

    private void setUpOnce() throws Exception {
        ClientSettings effective = settings;
        if (effective.getConnectionName() == null) {
            ClientSettings named = new ClientSettings();
            named.setConnectionName("mdb " + (queueGroup != null ? queueGroup : spec.getSubject()));
            effective = effective.overriddenBy(named);
        }
        ConnectionListener listener = (jnatsConnection, event) -> onConnectionEvent(jnatsConnection, event);
        Connection opened = Nats.connect(effective.toOptions(listener, null).build());
        try {
            Dispatcher opening = opened.createDispatcher(this::dispatch);
            if (queueGroup == null) {
                opening.subscribe(spec.getSubject());
            } else {
                opening.subscribe(spec.getSubject(), queueGroup);
            }
            opening.setPendingLimits(spec.getPendingMessageLimit(), spec.getPendingByteLimit());
            opened.flush(Duration.ofMillis(effective.getConnectionTimeoutMillis() == null
                    ? ClientSettings.DEFAULT_CONNECTION_TIMEOUT_MILLIS : effective.getConnectionTimeoutMillis()));
            synchronized (lock) {
                if (state == State.STOPPED) {
                    throw new IllegalStateException("deactivated while connecting");
                }
                connection = opened;
                dispatcher = opening;
                state = State.ACTIVE;
            }
        } catch (Exception | Error e) {
            opened.close();
            throw e;
        }
    }

    private void onConnectionEvent(Connection jnatsConnection, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> {
                if (state == State.STOPPED) {
                    lostWhileStopping.complete(null);
                    return;
                }
                LOGGER.log(Level.WARNING, "NATS activation on {0}: disconnected, reconnecting", spec.getSubject());
            }
            case RECONNECTED -> LOGGER.log(Level.INFO, "NATS activation on {0}: reconnected, subscription restored", spec.getSubject());
            case CLOSED -> {
                lostWhileStopping.complete(null);
                restartAfterLoss(jnatsConnection);
            }
            default -> {
            }
        }
    }

    /** jnats gave up reconnecting: go back to the setup loop unless this activation is stopping. */
    private void restartAfterLoss(Connection lost) {
        synchronized (lock) {
            if (state != State.ACTIVE || connection != lost) {
                return;
            }
            state = State.CONNECTING;
            connection = null;
            dispatcher = null;
        }
        LOGGER.log(Level.WARNING, "NATS activation on {0}: connection lost for good, setting up again", spec.getSubject());
        try {
            setup.schedule(1);
        } catch (WorkException e) {
            state = State.FAILED;
            LOGGER.log(Level.ERROR, "NATS activation on " + spec.getSubject() + ": cannot schedule the new setup; delivery stopped", e);
        }
    }

    /** Runs on the jnats dispatcher thread: waits for a free slot, then hands the message to a Work. */
    private void dispatch(Message message) throws InterruptedException {
        slots.acquire();
        try {
            slots.schedule(new DeliveryWork(endpointFactory, message));
        } catch (WorkException e) {
            LOGGER.log(Level.ERROR, "cannot schedule the delivery of a message on " + message.getSubject() + "; message lost", e);
        }
    }

    /**
     * Stops delivery: unsubscribes with a drain so that messages already received are still
     * delivered, waits for running deliveries (up to the drain timeout), then closes the
     * connection. On a connection that is closed, reconnecting, or drops while draining, there is
     * nothing in flight to wait for: it closes at once.
     */
    @Override
    public void stop() {
        beginStop();
        awaitStopped();
    }

    /**
     * Marks this activation stopped, cancels a pending retry and starts the drain without
     * waiting, so that the resource adapter can stop many activations side by side.
     */
    @Override
    public void beginStop() {
        Connection stopping;
        Dispatcher dispatching;
        setup.cancel();
        synchronized (lock) {
            state = State.STOPPED;
            stopping = connection;
            dispatching = dispatcher;
            connection = null;
            dispatcher = null;
            if (stopping == null) {
                return;
            }
            closing = stopping;
            if (stopping.getStatus() != Connection.Status.CONNECTED) {
                return; // closed or reconnecting: nothing can be in flight, close at once
            }
            draining = new CompletableFuture<>();
        }
        CompletableFuture<Boolean> drained = draining;
        // jnats' drain flushes synchronously, which waits for a reconnect if the server goes away
        // meanwhile: run it as a Work so that awaitStopped() can give up as soon as the connection drops.
        Work drain = new Work() {
            @Override
            public void run() {
                try {
                    dispatching.drain(drainTimeout()).whenComplete((done, failure) -> drained.complete(failure == null && done));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    drained.complete(false);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.DEBUG, "NATS activation on {0}: cannot drain ({1}); closing", spec.getSubject(), e.toString());
                    drained.complete(false);
                }
            }

            @Override
            public void release() {
                drained.complete(false);
            }
        };
        try {
            workManager.scheduleWork(drain);
        } catch (WorkException | RuntimeException e) {
            drain.run(); // the container no longer takes work (it is stopping): drain on this thread
        }
    }

    /** Waits for what {@link #beginStop()} started (bounded by the drain timeout) and closes the connection. */
    @Override
    public void awaitStopped() {
        Connection closed;
        CompletableFuture<Boolean> drained;
        synchronized (lock) {
            closed = closing;
            drained = draining;
            closing = null;
            draining = null;
        }
        if (closed == null) {
            return;
        }
        Duration timeout = drainTimeout();
        try {
            if (drained != null) {
                try {
                    CompletableFuture.anyOf(drained, lostWhileStopping).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    LOGGER.log(Level.WARNING, "NATS activation on {0}: drain did not finish ({1}); closing anyway", spec.getSubject(), e.toString());
                }
                if (!lostWhileStopping.isDone() && closed.getStatus() == Connection.Status.CONNECTED) {
                    waitForRunningDeliveries(timeout);
                }
            }
            closed.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOGGER.log(Level.INFO, "NATS activation on {0} stopped", spec.getSubject());
    }

    private void waitForRunningDeliveries(Duration timeout) throws InterruptedException {
        if (!slots.awaitIdle(timeout)) {
            LOGGER.log(Level.WARNING, "NATS activation on {0}: deliveries still running after {1} ms; closing anyway",
                    spec.getSubject(), timeout.toMillis());
        }
    }

    private Duration drainTimeout() {
        return Duration.ofMillis(spec.getDrainTimeoutMillis() == null
                ? NatsActivationSpec.DEFAULT_DRAIN_TIMEOUT_MILLIS : spec.getDrainTimeoutMillis());
    }

    /** Returns the current state. */
    public State state() {
        return state;
    }

    /** Returns the queue group this activation subscribes with, or null. */
    public String queueGroup() {
        return queueGroup;
    }

    /** Returns the number of deliveries running now. */
    public int deliveriesInFlight() {
        return slots.inFlight();
    }
}
