package io.natsee.admin.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsee.admin.FakeMonitorClient;
import io.natsee.admin.live.LiveStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DashboardBeanTest {

    /** A clock the test moves. */
    static final class SteppingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void showsTheLatestFiguresAndTheRatesBetweenSamples() throws Exception {
        FakeMonitorClient client = new FakeMonitorClient("local");
        SteppingClock clock = new SteppingClock();
        LiveStats stats = new LiveStats(client, clock);
        DashboardBean bean = new DashboardBean(stats, new ServerSelection(client));
        assertNull(bean.getVarz(), "nothing before the first sample");

        client.varz.put("local", FakeMonitorClient.varz("NID", "alpha", 3, 1000, 2000, 0));
        assertTrue(stats.sample());
        clock.now = clock.now.plus(Duration.ofSeconds(2));
        client.varz.put("local", FakeMonitorClient.varz("NID", "alpha", 4, 1400, 2600, 1));
        stats.sample();

        assertEquals("alpha", bean.getVarz().serverName());
        assertEquals(4, bean.getVarz().connections());
        assertEquals(1, bean.getVarz().slowConsumers());
        assertEquals(200.0, bean.getRate().inMsgs(), 1e-9);
        assertEquals(300.0, bean.getRate().outMsgs(), 1e-9);
        assertEquals(2000.0, bean.getRate().inBytes(), 1e-9);

        JsonNode chart = new ObjectMapper().readTree(bean.getMessagesChart());
        assertEquals("line", chart.path("type").asText());
        assertEquals(1, chart.path("data").path("labels").size());
        assertEquals(200.0, chart.path("data").path("datasets").get(0).path("data").get(0).asDouble(), 1e-9);
        assertEquals(300.0, chart.path("data").path("datasets").get(1).path("data").get(0).asDouble(), 1e-9);
        assertTrue(new ObjectMapper().readTree(bean.getBytesChart()).path("options").path("animation").isBoolean());
    }

    @Test
    void anUnreachableServerShowsWhyAndKeepsTheLastFigures() {
        FakeMonitorClient client = new FakeMonitorClient("local");
        LiveStats stats = new LiveStats(client, new SteppingClock());
        DashboardBean bean = new DashboardBean(stats, new ServerSelection(client));
        client.varz.put("local", FakeMonitorClient.varz("NID", "alpha", 3, 1000, 2000, 0));
        stats.sample();
        client.unreachable.add("local");
        assertEquals(false, stats.sample());
        assertTrue(bean.getProblem().contains("unreachable"));
        assertEquals("alpha", bean.getVarz().serverName());
        assertEquals(0.0, bean.getRate().inMsgs());
    }
}
