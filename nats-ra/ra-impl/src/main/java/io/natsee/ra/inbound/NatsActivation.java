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
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One message-driven bean endpoint subscribed to NATS: owns a jnats connection and dispatcher,
 * hands each message to a {@link DeliveryWork}, and bounds the deliveries in flight.
 *
 * <p>The dispatcher thread waits for a free delivery slot before scheduling the next message,
 * so a busy bean slows the subscription down (messages wait in jnats' pending queue, up to the
 * pending limits) instead of piling up work. Setup runs on a Work thread and is retried while
 * the server is down; it is all-or-nothing: a failed attempt closes what it opened.
 */
public final class NatsActivation {

    private static final System.Logger LOGGER = System.getLogger(NatsActivation.class.getName());

    /** The states of an activation, in order. */
    public enum State { CONNECTING, ACTIVE, FAILED, STOPPED }

    private final WorkManager workManager;
    private final MessageEndpointFactory endpointFactory;
    private final NatsActivationSpec spec;
    private final ClientSettings settings;
    private final String queueGroup;
    private final int maxConcurrency;
    private final Semaphore slots;
    private final Object lock = new Object();
    private volatile State state = State.CONNECTING;
    private Connection connection;
    private Dispatcher dispatcher;

    public NatsActivation(WorkManager workManager, MessageEndpointFactory endpointFactory, NatsActivationSpec spec,
            ClientSettings settings) {
        this.workManager = workManager;
        this.endpointFactory = endpointFactory;
        this.spec = spec;
        this.settings = settings;
        this.maxConcurrency = spec.getMaxConcurrency();
        this.slots = new Semaphore(maxConcurrency);
        this.queueGroup = queueGroupFor(spec, endpointFactory);
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

    /** Schedules the setup on a Work thread and returns at once. */
    public void start() throws ResourceException {
        workManager.scheduleWork(new SetupWork());
    }

    private final class SetupWork implements Work {
        @Override
        public void run() {
            setUpWithRetries();
        }

        @Override
        public void release() {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void setUpWithRetries() {
        int attempts = spec.getSetupAttempts() == null ? NatsActivationSpec.DEFAULT_SETUP_ATTEMPTS : spec.getSetupAttempts();
        for (int attempt = 1; attempts < 0 || attempt <= attempts; attempt++) {
            if (state == State.STOPPED) {
                return;
            }
            try {
                setUpOnce();
                LOGGER.log(Level.INFO, "NATS activation on {0} (queue group {1}) active after {2} attempt(s)",
                        spec.getSubject(), queueGroup, attempt);
                return;
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, "NATS activation on {0}: attempt {1} failed ({2}); retrying in {3} ms",
                        spec.getSubject(), attempt, e.toString(), spec.getSetupIntervalMillis());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            synchronized (lock) {
                try {
                    if (state != State.STOPPED) {
                        lock.wait(Math.max(1, spec.getSetupIntervalMillis()));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        state = State.FAILED;
        LOGGER.log(Level.ERROR, "NATS activation on {0} gave up after {1} attempts", spec.getSubject(), attempts);
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
            case DISCONNECTED -> LOGGER.log(Level.WARNING, "NATS activation on {0}: disconnected, reconnecting", spec.getSubject());
            case RECONNECTED -> LOGGER.log(Level.INFO, "NATS activation on {0}: reconnected, subscription restored", spec.getSubject());
            case CLOSED -> restartAfterLoss(jnatsConnection);
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
            workManager.scheduleWork(new SetupWork());
        } catch (WorkException e) {
            state = State.FAILED;
            LOGGER.log(Level.ERROR, "NATS activation on " + spec.getSubject() + ": cannot schedule the new setup; delivery stopped", e);
        }
    }

    /** Runs on the jnats dispatcher thread: waits for a free slot, then hands the message to a Work. */
    private void dispatch(Message message) throws InterruptedException {
        slots.acquire();
        AtomicBoolean slotHeld = new AtomicBoolean(true);
        Runnable freeSlot = () -> {
            if (slotHeld.compareAndSet(true, false)) {
                slots.release();
            }
        };
        try {
            workManager.scheduleWork(new DeliveryWork(endpointFactory, message), WorkManager.INDEFINITE, null,
                    new WorkAdapter() {
                        @Override
                        public void workRejected(WorkEvent event) {
                            freeSlot.run();
                        }

                        @Override
                        public void workCompleted(WorkEvent event) {
                            freeSlot.run();
                        }
                    });
        } catch (WorkException e) {
            freeSlot.run();
            LOGGER.log(Level.ERROR, "cannot schedule the delivery of a message on " + message.getSubject() + "; message lost", e);
        }
    }

    /**
     * Stops delivery: unsubscribes with a drain so that messages already received are still
     * delivered, waits for running deliveries (up to the drain timeout), then closes the connection.
     */
    public void stop() {
        Connection closing;
        Dispatcher draining;
        synchronized (lock) {
            state = State.STOPPED;
            closing = connection;
            draining = dispatcher;
            lock.notifyAll();
        }
        if (closing == null) {
            return;
        }
        Duration timeout = Duration.ofMillis(spec.getDrainTimeoutMillis() == null
                ? NatsActivationSpec.DEFAULT_DRAIN_TIMEOUT_MILLIS : spec.getDrainTimeoutMillis());
        try {
            try {
                draining.drain(timeout).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | IllegalStateException e) {
                LOGGER.log(Level.WARNING, "NATS activation on {0}: drain did not finish ({1}); closing anyway", spec.getSubject(), e.toString());
            }
            if (slots.tryAcquire(maxConcurrency, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(maxConcurrency);
            } else {
                LOGGER.log(Level.WARNING, "NATS activation on {0}: deliveries still running after {1} ms; closing anyway",
                        spec.getSubject(), timeout.toMillis());
            }
            closing.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOGGER.log(Level.INFO, "NATS activation on {0} stopped", spec.getSubject());
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
        return maxConcurrency - slots.availablePermits();
    }
}
