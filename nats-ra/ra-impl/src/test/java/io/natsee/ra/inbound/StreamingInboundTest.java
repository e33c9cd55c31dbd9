package io.natsee.ra.inbound;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.StreamingMessage;
import io.natsee.ra.api.StreamingMessageListener;
import io.natsee.ra.streaming.StreamingClient;
import io.natsee.ra.streaming.StreamingClientOptions;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeMessageEndpointFactory;
import io.natsee.ra.support.TestBroker;
import io.natsee.ra.support.TestStreamingServer;
import jakarta.resource.spi.InvalidPropertyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Timer;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streaming message-driven beans: acknowledged after the bean returned (and its transaction committed), redelivered otherwise. */
class StreamingInboundTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String CLUSTER = "inbound-cluster";

    private TestBroker broker;
    private TestStreamingServer server;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;
    private Connection publisherConnection;
    private StreamingClient publisher;
    private Timer timer;

    /** A streaming bean that records each delivery and then runs an action (which may throw). */
    public static final class RecordingStreamingBean implements StreamingMessageListener {
        final List<StreamingMessage> deliveries = Collections.synchronizedList(new ArrayList<>());
        volatile Consumer<StreamingMessage> action = message -> { };

        @Override
        public void onMessage(StreamingMessage message) {
            deliveries.add(message);
            action.accept(message);
        }

        List<String> payloads() {
            synchronized (deliveries) {
                return deliveries.stream().map(message -> new String(message.data(), UTF_8)).collect(Collectors.toList());
            }
        }

        long redeliveries() {
            synchronized (deliveries) {
                return deliveries.stream().filter(StreamingMessage::isRedelivered).count();
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        server = TestStreamingServer.start(broker, CLUSTER);
        bootstrapContext = new FakeBootstrapContext();
        resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.start(bootstrapContext);
        publisherConnection = Nats.connect(broker.url());
        timer = new Timer(true);
        publisher = StreamingClient.connect(publisherConnection, StreamingClientOptions.of(CLUSTER, "publisher"), timer,
                ForkJoinPool.commonPool());
    }

    @AfterEach
    void tearDown() throws Exception {
        resourceAdapter.stop();
        publisher.close();
        publisherConnection.close();
        timer.cancel();
        bootstrapContext.workManager().shutdown();
        server.close();
        broker.close();
    }

    private NatsStreamingActivationSpec spec(String channel) {
        NatsStreamingActivationSpec spec = new NatsStreamingActivationSpec();
        spec.setResourceAdapter(resourceAdapter);
        spec.setClusterId(CLUSTER);
        spec.setChannel(channel);
        spec.setAckWaitSeconds(1);
        spec.setSetupIntervalMillis(50L);
        return spec;
    }

    private StreamingActivation activate(FakeMessageEndpointFactory factory, NatsStreamingActivationSpec spec) throws Exception {
        resourceAdapter.endpointActivation(factory, spec);
        var field = NatsResourceAdapter.class.getDeclaredField("activations");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<ActivationKey, InboundActivation> activations = (Map<ActivationKey, InboundActivation>) field.get(resourceAdapter);
        StreamingActivation activation = (StreamingActivation) activations.get(new ActivationKey(factory, spec));
        Await.until(WAIT, "activation on " + spec.getChannel(), () -> activation.state() == NatsActivation.State.ACTIVE);
        return activation;
    }

    private FakeMessageEndpointFactory endpoint(RecordingStreamingBean bean, String name) {
        return new FakeMessageEndpointFactory(bean, StreamingMessageListener.class, "domain1_server_shop_shop_" + name);
    }

    private void publish(String channel, int from, int to) {
        for (int i = from; i <= to; i++) {
            publisher.publish(channel, ("m" + i).getBytes(UTF_8));
        }
    }

    @Test
    void messagesAreDeliveredAndAcknowledgedOnceTheBeanReturned() throws Exception {
        RecordingStreamingBean bean = new RecordingStreamingBean();
        FakeMessageEndpointFactory factory = endpoint(bean, "Orders");
        NatsStreamingActivationSpec spec = spec("orders");
        spec.setMaxConcurrency(1); // the channel's order is kept only when one delivery runs at a time
        StreamingActivation activation = activate(factory, spec);
        assertEquals("domain1_server_shop_shop_Orders", activation.clientId());
        publish("orders", 1, 5);
        Await.until(WAIT, "five deliveries", () -> bean.deliveries.size() == 5);
        Thread.sleep(2_500); // two ack waits: an unacknowledged message would have come back by now
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), bean.payloads());
        assertEquals(0, bean.redeliveries());
        assertEquals(List.of(), factory.violations());
        assertEquals(factory.created(), factory.released());
    }

    @Test
    void aBeanThatThrowsGetsTheMessageAgainAfterTheAckWaitFlaggedRedelivered() throws Exception {
        RecordingStreamingBean bean = new RecordingStreamingBean();
        bean.action = message -> {
            if (!message.isRedelivered()) {
                throw new IllegalStateException("first delivery fails on purpose");
            }
        };
        FakeMessageEndpointFactory factory = endpoint(bean, "Flaky");
        activate(factory, spec("flaky"));
        publish("flaky", 1, 3);
        Await.until(WAIT, "every message redelivered", () -> bean.redeliveries() >= 3);
        Thread.sleep(2_000); // acknowledged on redelivery: no third copy
        assertEquals(3, bean.redeliveries(), "deliveries " + bean.deliveries);
        assertEquals(6, bean.deliveries.size());
        assertEquals(Set.of("m1", "m2", "m3"), Set.copyOf(bean.payloads()));
        assertEquals(List.of(), factory.violations());
    }

    @Test
    void inATransactionTheMessageIsAcknowledgedOnlyAfterTheCommit() throws Exception {
        RecordingStreamingBean bean = new RecordingStreamingBean();
        bean.action = message -> {
            if (!message.isRedelivered()) {
                bootstrapContext.transactions().setRollbackOnly(); // the bean returns normally, the transaction rolls back
            }
        };
        FakeMessageEndpointFactory factory = endpoint(bean, "Ledger").transacted(bootstrapContext.transactions());
        activate(factory, spec("ledger"));
        publish("ledger", 1, 2);
        Await.until(WAIT, "both messages redelivered after the rollback", () -> bean.redeliveries() >= 2);
        Thread.sleep(2_000); // the committed redeliveries were acknowledged: no further copy
        assertEquals(4, bean.deliveries.size(), "deliveries " + bean.deliveries);
        assertEquals(List.of(), factory.violations());
    }

    @Test
    void aDurableBeanResumesAfterRedeploymentWithoutLossOrRepeats() throws Exception {
        RecordingStreamingBean first = new RecordingStreamingBean();
        FakeMessageEndpointFactory firstFactory = endpoint(first, "Audit");
        NatsStreamingActivationSpec firstSpec = spec("audit");
        firstSpec.setDurableName("auditor");
        firstSpec.setMaxConcurrency(1);
        activate(firstFactory, firstSpec);
        publish("audit", 1, 3);
        Await.until(WAIT, "three deliveries", () -> first.deliveries.size() == 3);
        resourceAdapter.endpointDeactivation(firstFactory, firstSpec);

        publish("audit", 4, 6); // while the bean is undeployed

        RecordingStreamingBean second = new RecordingStreamingBean();
        FakeMessageEndpointFactory secondFactory = endpoint(second, "Audit"); // same activation name: same client id
        NatsStreamingActivationSpec secondSpec = spec("audit");
        secondSpec.setDurableName("auditor");
        secondSpec.setMaxConcurrency(1);
        secondSpec.setStartPosition("all"); // ignored on resume
        activate(secondFactory, secondSpec);
        publish("audit", 7, 7);
        Await.until(WAIT, "4 to 7", () -> second.deliveries.size() >= 4);
        Thread.sleep(1_500);
        assertEquals(List.of("m4", "m5", "m6", "m7"), second.payloads());
        assertEquals(List.of("m1", "m2", "m3"), first.payloads());
    }

    @Test
    void validateReportsEveryProblemAtOnce() {
        NatsStreamingActivationSpec spec = new NatsStreamingActivationSpec();
        spec.setChannel("orders.*");
        spec.setClientId("has space");
        spec.setQueueGroup("workers");
        spec.setDurableName("a:b");
        spec.setAckWaitSeconds(0);
        spec.setMaxConcurrency(0);
        InvalidPropertyException failure = assertThrows(InvalidPropertyException.class, spec::validate);
        String text = failure.getMessage();
        assertTrue(text.contains("wildcard"), text);
        assertTrue(text.contains("clientId 'has space'"), text);
        assertTrue(text.contains("can't contain ':'"), text);
        assertTrue(text.contains("maxConcurrency"), text);

        NatsStreamingActivationSpec positions = new NatsStreamingActivationSpec();
        positions.setChannel("orders");
        positions.setStartPosition("sequence");
        assertTrue(assertThrows(InvalidPropertyException.class, positions::validate).getMessage().contains("startSequence"));
        positions.setStartPosition("somewhere");
        assertTrue(assertThrows(InvalidPropertyException.class, positions::validate).getMessage().contains("unknown start position"));
        positions.setStartPosition("time");
        positions.setStartTime("yesterday");
        assertThrows(InvalidPropertyException.class, positions::validate);
        positions.setStartTime("2026-01-31T12:00:00Z");
        assertDoesNotThrow(positions);
        NatsStreamingActivationSpec missing = new NatsStreamingActivationSpec();
        assertTrue(assertThrows(InvalidPropertyException.class, missing::validate).getMessage().contains("channel is required"));
    }

    private static void assertDoesNotThrow(NatsStreamingActivationSpec spec) {
        try {
            spec.validate();
        } catch (InvalidPropertyException e) {
            throw new AssertionError("valid spec refused: " + e.getMessage(), e);
        }
    }

    @Test
    void theDefaultClientIdNamesTheActivationWithOnlyAllowedCharacters() {
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(new RecordingStreamingBean(),
                StreamingMessageListener.class, "domain1_server_shop_shop-ejb.jar_com.example.OrderBean");
        String clientId = StreamingActivation.derivedClientId(factory);
        assertEquals("domain1_server_shop_shop-ejb_jar_com_example_OrderBean", clientId);
        assertTrue(StreamingClientOptions.isValidClientId(clientId));
        assertFalse(StreamingClientOptions.isValidClientId("a.b"));
    }
}
