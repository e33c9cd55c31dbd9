package io.natsee.admin.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.admin.FakeMonitorClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrafficHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void keepsTheWindowAndComputesPerSecondRates() {
        TrafficHistory history = new TrafficHistory(Duration.ofSeconds(10));
        for (int i = 0; i <= 10; i++) {
            history.add(T0.plusSeconds(2L * i), FakeMonitorClient.varz("N", "n", 1, 100L * i, 50L * i, 0));
        }
        assertEquals(6, history.samples().size(), "samples of the last 10 s: t=10..20");
        assertEquals(T0.plusSeconds(10), history.samples().get(0).time());
        assertEquals(5, history.rates().size());
        assertEquals(50.0, history.rates().get(0).inMsgs(), 1e-9);
        assertEquals(25.0, history.rates().get(0).outMsgs(), 1e-9);
        assertEquals(1000L, history.latest().inMsgs());
    }

    @Test
    void aRestartedServerStartsTheRatesAfreshInsteadOfGoingNegative() {
        TrafficHistory history = new TrafficHistory(Duration.ofMinutes(5));
        history.add(T0, FakeMonitorClient.varz("N", "n", 1, 1000, 1000, 0));
        history.add(T0.plusSeconds(2), FakeMonitorClient.varz("N", "n", 1, 1200, 1100, 0));
        history.add(T0.plusSeconds(4), FakeMonitorClient.varz("N2", "n", 1, 10, 5, 0));
        assertEquals(1, history.samples().size());
        assertTrue(history.rates().isEmpty());
        history.add(T0.plusSeconds(6), FakeMonitorClient.varz("N2", "n", 1, 30, 5, 0));
        assertEquals(10.0, history.rates().get(0).inMsgs(), 1e-9);
    }
}
