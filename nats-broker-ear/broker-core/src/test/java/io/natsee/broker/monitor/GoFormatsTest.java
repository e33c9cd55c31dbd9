package io.natsee.broker.monitor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GoFormatsTest {

    @Test
    void rfc3339NanoDropsTrailingZerosAsGoDoes() {
        // Values seen in nats-server 2.9.10's /varz.
        assertEquals("2026-11-28T09:21:55.23393212Z", GoFormats.rfc3339Nano(Instant.parse("2026-11-28T09:21:55.233932120Z")));
        assertEquals("2026-11-28T09:21:56.244033617Z", GoFormats.rfc3339Nano(Instant.parse("2026-11-28T09:21:56.244033617Z")));
        assertEquals("2026-11-28T09:21:55.5Z", GoFormats.rfc3339Nano(Instant.parse("2026-11-28T09:21:55.500Z")));
        assertEquals("2026-11-28T09:21:55.000001Z", GoFormats.rfc3339Nano(Instant.parse("2026-11-28T09:21:55.000001Z")));
    }

    @Test
    void rfc3339NanoLeavesOutAZeroFraction() {
        assertEquals("2026-01-02T03:04:05Z", GoFormats.rfc3339Nano(Instant.parse("2026-01-02T03:04:05Z")));
        assertEquals("0999-01-02T03:04:05Z", GoFormats.rfc3339Nano(Instant.parse("0999-01-02T03:04:05Z")));
    }

    @Test
    void uptimeAsMyUptime() {
        assertEquals("0s", GoFormats.uptime(Duration.ZERO));
        assertEquals("0s", GoFormats.uptime(Duration.ofMillis(999)));
        assertEquals("59s", GoFormats.uptime(Duration.ofSeconds(59)));
        assertEquals("1m2s", GoFormats.uptime(Duration.ofSeconds(62)));
        assertEquals("1h0m0s", GoFormats.uptime(Duration.ofHours(1)));
        assertEquals("2h3m4s", GoFormats.uptime(Duration.ofSeconds(2 * 3600 + 3 * 60 + 4)));
        assertEquals("3d0h0m5s", GoFormats.uptime(Duration.ofDays(3).plusSeconds(5)));
        assertEquals("1y0d0h0m0s", GoFormats.uptime(Duration.ofDays(365)));
        assertEquals("2y5d1h1m1s", GoFormats.uptime(Duration.ofDays(735).plusSeconds(3661)));
        assertEquals("0s", GoFormats.uptime(Duration.ofSeconds(-5)));
    }

    @Test
    void float64WithoutNeedlessFraction() {
        assertEquals("0", GoFormats.float64(0.0));
        assertEquals("0", GoFormats.float64(-0.0));
        assertEquals("2", GoFormats.float64(2.0));
        assertEquals("0.5", GoFormats.float64(0.5));
        assertEquals("12.3", GoFormats.float64(12.3));
        assertEquals("-1.25", GoFormats.float64(-1.25));
        assertEquals("100000000", GoFormats.float64(1e8));
        assertEquals("0.000001", GoFormats.float64(1e-6));
        assertEquals("1e-07", GoFormats.float64(1e-7));
        assertEquals("1.5e+21", GoFormats.float64(1.5e21));
        assertEquals("1e+21", GoFormats.float64(1e21));
        assertThrows(IllegalArgumentException.class, () -> GoFormats.float64(Double.NaN));
    }
}
