package io.natsee.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Message;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsMessageListener;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeMessageEndpointFactory;
import io.natsee.ra.support.TestBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Activation setup and deactivation in the container's terms: one Work per setup attempt,
 * retries on the container's timer, {@code release()} ends an attempt, and deactivation on a
 * connection whose server is gone stops at once.
 */
class ActivationLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestBroker broker;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;

    /** An empty bean. */
    public static final class EmptyBean implements NatsMessageListener {
        @Override
        public void onMessage(Message message) {
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        bootstrapContext = new FakeBootstrapContext();
        resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.setReconnectWaitMillis(50L);
        resourceAdapter.setMaxReconnects(-1);
        resourceAdapter.start(bootstrapContext);
    }

    @AfterEach
    void tearDown() throws Exception {
        resourceAdapter.stop();
        bootstrapContext.workManager().shutdown();
        broker.close();
    }

    private NatsActivationSpec spec(String subject) {
        NatsActivationSpec spec = new NatsActivationSpec();
        spec.setResourceAdapter(resourceAdapter);
        spec.setSubject(subject);
        spec.setSetupIntervalMillis(50L);
        return spec;
    }

    private NatsActivation activation(FakeMessageEndpointFactory factory, NatsActivationSpec spec) throws Exception {
        var field = NatsResourceAdapter.class.getDeclaredField("activations");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<ActivationKey, NatsActivation> activations = (Map<ActivationKey, NatsActivation>) field.get(resourceAdapter);
        return activations.get(new ActivationKey(factory, spec));
    }

    private FakeMessageEndpointFactory endpoint(String name) {
        return new FakeMessageEndpointFactory(new EmptyBean(), NatsMessageListener.class, "shop#" + name);
    }

    @Test
    void eachSetupAttemptIsOneWorkAndNoWorkIsHeldBetweenAttempts() throws Exception {
        broker.stop();
        NatsActivationSpec spec = spec("orders");
        spec.setSetupIntervalMillis(300L);
        spec.setSetupAttempts(3);
        FakeMessageEndpointFactory factory = endpoint("retries");
        resourceAdapter.endpointActivation(factory, spec);
        NatsActivation activation = activation(factory, spec);
        Await.until(WAIT, "two attempts", () -> bootstrapContext.workManager().scheduledCount() >= 2);
        Await.until(WAIT, "no Work running between attempts", () -> bootstrapContext.workManager().runningCount() == 0
                && activation.state() == NatsActivation.State.CONNECTING);
        Await.until(WAIT, "gave up after three attempts", () -> activation.state() == NatsActivation.State.FAILED);
        assertEquals(3, bootstrapContext.workManager().scheduledCount(), "one Work per attempt");
        assertEquals(0, bootstrapContext.workManager().runningCount());
    }

    @Test
    void releaseEndsTheRunningAttemptAndNoFurtherAttemptFollows() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NatsActivationSpec spec = spec("orders");
            spec.setServers("nats://127.0.0.1:" + silent.getLocalPort()); // never sends INFO: the connect waits
            spec.setConnectionTimeoutMillis(5_000L);
            FakeMessageEndpointFactory factory = endpoint("released");
            resourceAdapter.endpointActivation(factory, spec);
            NatsActivation activation = activation(factory, spec);
            Await.until(WAIT, "the attempt running", () -> bootstrapContext.workManager().runningCount() == 1);
            long started = System.nanoTime();
            bootstrapContext.workManager().releaseAll();
            Await.until(WAIT, "the released attempt ended", () -> bootstrapContext.workManager().runningCount() == 0);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(elapsed < 2_000, "release() took " + elapsed + " ms to end the attempt");
            Await.until(WAIT, "the activation failed", () -> activation.state() == NatsActivation.State.FAILED);
            assertEquals(1, bootstrapContext.workManager().scheduledCount(), "no attempt after the release");
        }
    }

    @Test
    void deactivationOnAConnectionWhoseServerIsGoneStopsAtOnce() throws Exception {
        NatsActivationSpec spec = spec("orders");
        FakeMessageEndpointFactory factory = endpoint("gone");
        resourceAdapter.endpointActivation(factory, spec);
        NatsActivation activation = activation(factory, spec);
        Await.until(WAIT, "active", () -> activation.state() == NatsActivation.State.ACTIVE);
        broker.stop(); // the broker WAR undeployed before the application
        long started = System.nanoTime();
        resourceAdapter.endpointDeactivation(factory, spec);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(elapsed < 1_000, "deactivation took " + elapsed + " ms with the server gone");
        assertEquals(NatsActivation.State.STOPPED, activation.state());
    }

    @Test
    void theAdapterStopsManyActivationsOnAGoneServerWithinFiveSeconds() throws Exception {
        List<NatsActivation> activations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            NatsActivationSpec spec = spec("orders." + i);
            FakeMessageEndpointFactory factory = endpoint("bean" + i);
            resourceAdapter.endpointActivation(factory, spec);
            activations.add(activation(factory, spec));
        }
        Await.until(WAIT, "all active", () -> activations.stream().allMatch(a -> a.state() == NatsActivation.State.ACTIVE));
        broker.stop();
        long started = System.nanoTime();
        resourceAdapter.stop();
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(elapsed < 5_000, "stop took " + elapsed + " ms for 12 activations");
        assertTrue(activations.stream().allMatch(a -> a.state() == NatsActivation.State.STOPPED));
        assertEquals(0, resourceAdapter.activationCount());
    }
}
