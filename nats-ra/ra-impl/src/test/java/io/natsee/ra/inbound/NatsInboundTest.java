package io.natsee.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsMessageListener;
import io.natsee.ra.api.NatsRequestListener;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeMessageEndpointFactory;
import io.natsee.ra.support.TestBroker;
import jakarta.resource.spi.InvalidPropertyException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NatsInboundTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestBroker broker;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;
    private Connection publisher;
    private final List<NatsActivationSpec> specs = new ArrayList<>();

    /** A message-driven bean that records what it receives, can block, and fails on the payload "boom". */
    public static final class RecordingBean implements NatsMessageListener {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostRunning = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void onMessage(Message message) {
            int now = running.incrementAndGet();
            mostRunning.accumulateAndGet(now, Math::max);
            try {
                gate.await(30, TimeUnit.SECONDS);
                String text = new String(message.getData(), StandardCharsets.UTF_8);
                if (text.equals("boom")) {
                    throw new IllegalStateException("the bean failed on purpose");
                }
                received.add(message.getSubject() + ":" + text);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        }
    }

    /** A request/reply bean: answers with the request in upper case. */
    public static final class UpperCaseBean implements NatsRequestListener {
        @Override
        public byte[] onRequest(Message request) {
            return new String(request.getData(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
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
        publisher = Nats.connect(new Options.Builder().server(broker.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(50)).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        publisher.close();
        resourceAdapter.stop();
        bootstrapContext.workManager().shutdown();
        broker.close();
    }

    private NatsActivationSpec spec(String subject) {
        NatsActivationSpec spec = new NatsActivationSpec();
        spec.setResourceAdapter(resourceAdapter);
        spec.setSubject(subject);
        spec.setSetupIntervalMillis(50L);
        specs.add(spec);
        return spec;
    }

    private NatsActivation activate(FakeMessageEndpointFactory factory, NatsActivationSpec spec) throws Exception {
        resourceAdapter.endpointActivation(factory, spec);
        NatsActivation activation = activation(factory, spec);
        Await.until(WAIT, "activation on " + spec.getSubject(), () -> activation.state() == NatsActivation.State.ACTIVE);
        return activation;
    }

    private NatsActivation activation(FakeMessageEndpointFactory factory, NatsActivationSpec spec) throws Exception {
        var field = NatsResourceAdapter.class.getDeclaredField("activations");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<ActivationKey, NatsActivation> activations = (Map<ActivationKey, NatsActivation>) field.get(resourceAdapter);
        return activations.get(new ActivationKey(factory, spec));
    }

    private void publish(String subject, String text) throws Exception {
        publisher.publish(subject, text.getBytes(StandardCharsets.UTF_8));
        publisher.flush(WAIT);
    }

    @Test
    void deliversOnAWildcardSubject() throws Exception {
        RecordingBean bean = new RecordingBean();
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#orders");
        activate(factory, spec("orders.*.created"));
        publish("orders.eu.created", "1");
        publish("orders.eu.deleted", "no");
        publish("orders.us.created", "2");
        Await.until(WAIT, "two deliveries", () -> bean.received.size() == 2);
        assertTrue(bean.received.containsAll(List.of("orders.eu.created:1", "orders.us.created:2")));
    }

    @Test
    void queueGroupIsDerivedFromTheApplicationSoInstancesShareTheMessages() throws Exception {
        RecordingBean first = new RecordingBean();
        RecordingBean second = new RecordingBean();
        FakeMessageEndpointFactory firstFactory = new FakeMessageEndpointFactory(first, NatsMessageListener.class, "shop#web#OrderBean");
        FakeMessageEndpointFactory secondFactory = new FakeMessageEndpointFactory(second, NatsMessageListener.class, "shop#web#OrderBean");
        NatsActivation activation = activate(firstFactory, spec("work"));
        activate(secondFactory, spec("work"));
        assertEquals("shop_web_OrderBean", activation.queueGroup());
        for (int i = 0; i < 200; i++) {
            publisher.publish("work", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        publisher.flush(WAIT);
        Await.until(WAIT, "200 deliveries in all", () -> first.received.size() + second.received.size() == 200);
        assertTrue(first.received.size() > 0 && second.received.size() > 0, "both instances got a share");
        List<String> all = new ArrayList<>(first.received);
        all.addAll(second.received);
        assertEquals(200, all.stream().distinct().count(), "each message once");
    }

    @Test
    void notLoadBalancedMeansEveryActivationGetsEveryMessage() throws Exception {
        RecordingBean bean = new RecordingBean();
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#audit");
        NatsActivationSpec spec = spec("audit");
        spec.setLoadBalanced(false);
        NatsActivation activation = activate(factory, spec);
        assertNull(activation.queueGroup());
    }

    @Test
    void maxConcurrencyBoundsTheDeliveriesInFlight() throws Exception {
        RecordingBean bean = new RecordingBean();
        bean.gate = new CountDownLatch(1);
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#slow");
        NatsActivationSpec spec = spec("slow");
        spec.setMaxConcurrency(3);
        NatsActivation activation = activate(factory, spec);
        for (int i = 0; i < 20; i++) {
            publisher.publish("slow", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        publisher.flush(WAIT);
        Await.until(WAIT, "three deliveries running", () -> bean.running.get() == 3);
        assertEquals(3, activation.deliveriesInFlight());
        assertEquals(3, factory.created(), "no endpoint is created for the messages waiting for a slot");
        bean.gate.countDown();
        Await.until(WAIT, "all 20 delivered", () -> bean.received.size() == 20);
        assertEquals(3, bean.mostRunning.get());
    }

    @Test
    void beforeAndAfterDeliveryArePairedAndAFailingBeanDoesNotStopDelivery() throws Exception {
        RecordingBean bean = new RecordingBean();
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#fragile");
        NatsActivationSpec spec = spec("fragile");
        spec.setMaxConcurrency(1);
        activate(factory, spec);
        publish("fragile", "first");
        publish("fragile", "boom");
        publish("fragile", "last");
        Await.until(WAIT, "the two good messages", () -> bean.received.size() == 2);
        assertEquals(List.of("fragile:first", "fragile:last"), bean.received);
        Await.until(WAIT, "every endpoint released", () -> factory.released() == 3);
        assertEquals(3, factory.beforeDeliveries());
        assertEquals(3, factory.afterDeliveries());
        assertEquals(List.of(), factory.violations());
    }

    @Test
    void aRequestListenerAnswersAPlainJnatsRequester() throws Exception {
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(new UpperCaseBean(), NatsRequestListener.class, "shop#upper");
        activate(factory, spec("service.upper"));
        Message reply = publisher.request("service.upper", "hello".getBytes(StandardCharsets.UTF_8), WAIT);
        assertArrayEquals("HELLO".getBytes(StandardCharsets.UTF_8), reply.getData());
        assertEquals(List.of(), factory.violations());
    }

    @Test
    void activationIsRetriedWhileTheServerIsDown() throws Exception {
        try (TestBroker late = TestBroker.notStarted()) {
            RecordingBean bean = new RecordingBean();
            FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#late");
            NatsActivationSpec spec = spec("late");
            spec.setServers(late.url());
            spec.setConnectionTimeoutMillis(200L);
            resourceAdapter.endpointActivation(factory, spec);
            NatsActivation activation = activation(factory, spec);
            Await.until(WAIT, "a few failed attempts", () -> bootstrapContext.workManager().scheduledCount() >= 1);
            assertEquals(NatsActivation.State.CONNECTING, activation.state());
            late.restart();
            Await.until(WAIT, "activation after the server came up", () -> activation.state() == NatsActivation.State.ACTIVE);
            try (Connection latePublisher = Nats.connect(late.url())) {
                latePublisher.publish("late", "finally".getBytes(StandardCharsets.UTF_8));
                latePublisher.flush(WAIT);
            }
            Await.until(WAIT, "delivery", () -> bean.received.size() == 1);
        }
    }

    @Test
    void deliveryResumesAfterAServerRestart() throws Exception {
        RecordingBean bean = new RecordingBean();
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#restart");
        activate(factory, spec("restart"));
        publish("restart", "before");
        Await.until(WAIT, "first delivery", () -> bean.received.size() == 1);
        broker.stop();
        broker.restart();
        Await.until(WAIT, "delivery after the restart", () -> {
            publisher.publish("restart", "after".getBytes(StandardCharsets.UTF_8));
            try {
                publisher.flush(Duration.ofSeconds(1));
            } catch (Exception e) {
                return false;
            }
            return bean.received.contains("restart:after");
        });
    }

    @Test
    void anActivationWhoseConnectionIsLostForGoodSetsUpAgain() throws Exception {
        RecordingBean bean = new RecordingBean();
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#fragile");
        NatsActivationSpec spec = spec("lost");
        spec.setMaxReconnects(0);
        NatsActivation activation = activate(factory, spec);
        broker.stop();
        Await.until(WAIT, "back to connecting", () -> activation.state() == NatsActivation.State.CONNECTING);
        broker.restart();
        Await.until(WAIT, "active again", () -> activation.state() == NatsActivation.State.ACTIVE);
        publish("lost", "found");
        Await.until(WAIT, "delivery", () -> bean.received.contains("lost:found"));
    }

    @Test
    void deactivationDrainsReceivedMessagesThenCloses() throws Exception {
        RecordingBean bean = new RecordingBean();
        bean.gate = new CountDownLatch(1);
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#drain");
        NatsActivationSpec spec = spec("drain");
        spec.setMaxConcurrency(1);
        NatsActivation activation = activate(factory, spec);
        for (int i = 0; i < 5; i++) {
            publisher.publish("drain", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        publisher.flush(WAIT);
        Await.until(WAIT, "first delivery running", () -> bean.running.get() == 1);
        Thread deactivating = new Thread(() -> resourceAdapter.endpointDeactivation(factory, spec));
        deactivating.start();
        Await.until(WAIT, "deactivation started", () -> activation.state() == NatsActivation.State.STOPPED);
        bean.gate.countDown();
        deactivating.join(WAIT.toMillis());
        assertEquals(5, bean.received.size(), "messages received before the deactivation were delivered");
        assertEquals(0, resourceAdapter.activationCount());
        assertEquals(factory.created(), factory.released());
        publish("drain", "after");
        assertEquals(5, bean.received.size(), "nothing is delivered after the deactivation");
        assertEquals(List.of(), factory.violations());
    }

    @Test
    void deactivationWhileStillConnectingStopsTheRetries() throws Exception {
        NatsActivationSpec spec = spec("never");
        spec.setServers("nats://127.0.0.1:" + TestBroker.freePort());
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(new RecordingBean(), NatsMessageListener.class, "shop#never");
        resourceAdapter.endpointActivation(factory, spec);
        NatsActivation activation = activation(factory, spec);
        resourceAdapter.endpointDeactivation(factory, spec);
        Await.until(WAIT, "stopped", () -> activation.state() == NatsActivation.State.STOPPED);
        assertEquals(0, resourceAdapter.activationCount());
    }

    @Test
    void validateReportsEveryProblem() {
        NatsActivationSpec spec = new NatsActivationSpec();
        spec.setMaxConcurrency(0);
        spec.setQueueGroup("two words");
        InvalidPropertyException thrown = assertThrows(InvalidPropertyException.class, spec::validate);
        assertTrue(thrown.getMessage().contains("subject is required"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("maxConcurrency"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("queueGroup"), thrown.getMessage());
        spec.setSubject("a..b");
        thrown = assertThrows(InvalidPropertyException.class, spec::validate);
        assertTrue(thrown.getMessage().contains("empty token"), thrown.getMessage());
    }

    @Test
    void everyRunningActivationStopsWithTheAdapter() throws Exception {
        Map<String, RecordingBean> beans = new ConcurrentHashMap<>();
        for (String subject : List.of("a", "b")) {
            RecordingBean bean = new RecordingBean();
            beans.put(subject, bean);
            activate(new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#" + subject), spec(subject));
        }
        assertEquals(2, resourceAdapter.activationCount());
        resourceAdapter.stop();
        assertEquals(0, resourceAdapter.activationCount());
    }
}
