package io.natsee.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsMessageListener;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.FakeBootstrapContext;
import io.natsee.ra.support.FakeMessageEndpointFactory;
import io.natsee.ra.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure, not drops: a bean much slower than its publisher, with maxConcurrency=1 and the
 * default pending limits, still gets every message, in order per subject.
 */
class SlowBeanDeliveryTest {

    private static final int SUBJECTS = 4;
    private static final int PER_SUBJECT = 500;

    private TestBroker broker;
    private FakeBootstrapContext bootstrapContext;
    private NatsResourceAdapter resourceAdapter;

    /** Takes about half a millisecond a message and records the order it saw per subject. */
    public static final class SlowBean implements NatsMessageListener {
        final Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        final AtomicInteger probes = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostRunning = new AtomicInteger();

        @Override
        public void onMessage(Message message) {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                LockSupport.parkNanos(500_000);
                if (message.getSubject().equals("slow.probe")) {
                    probes.incrementAndGet();
                    return;
                }
                seen.computeIfAbsent(message.getSubject(), subject -> new ArrayList<>())
                        .add(Integer.parseInt(new String(message.getData(), StandardCharsets.UTF_8)));
                total.incrementAndGet();
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        bootstrapContext = new FakeBootstrapContext();
        resourceAdapter = new NatsResourceAdapter();
        resourceAdapter.setServers(broker.url());
        resourceAdapter.start(bootstrapContext);
    }

    @AfterEach
    void tearDown() throws Exception {
        resourceAdapter.stop();
        bootstrapContext.workManager().shutdown();
        broker.close();
    }

    @Test
    void withMaxConcurrencyOneASlowBeanLosesNothingAndKeepsTheOrderPerSubject() throws Exception {
        SlowBean bean = new SlowBean();
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(bean, NatsMessageListener.class, "shop#slow");
        NatsActivationSpec spec = new NatsActivationSpec();
        spec.setResourceAdapter(resourceAdapter);
        spec.setSubject("slow.*");
        spec.setMaxConcurrency(1);
        spec.setSetupIntervalMillis(50L);
        resourceAdapter.endpointActivation(factory, spec);

        try (Connection publisher = Nats.connect(broker.url())) {
            // The activation subscribes on a Work thread: wait until a probe is delivered.
            Await.until(Duration.ofSeconds(10), "the activation", () -> {
                publisher.publish("slow.probe", "-1".getBytes(StandardCharsets.UTF_8));
                return bean.probes.get() > 0;
            });

            for (int i = 0; i < PER_SUBJECT; i++) {
                for (int s = 0; s < SUBJECTS; s++) {
                    publisher.publish("slow.s" + s, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                }
            }
            publisher.flush(Duration.ofSeconds(10));
        }
        int expected = SUBJECTS * PER_SUBJECT;
        assertTrue(bean.total.get() < expected, "the publisher finished long before the bean: back-pressure was exercised");
        Await.until(Duration.ofSeconds(60), expected + " deliveries", () -> bean.total.get() >= expected);
        Thread.sleep(100);
        assertEquals(expected, bean.total.get(), "every message delivered once");
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < PER_SUBJECT; i++) {
            inOrder.add(i);
        }
        for (int s = 0; s < SUBJECTS; s++) {
            assertEquals(inOrder, bean.seen.get("slow.s" + s), "order on slow.s" + s);
        }
        assertEquals(1, bean.mostRunning.get(), "never more than one delivery at once");
        assertEquals(List.of(), factory.violations());
    }
}
