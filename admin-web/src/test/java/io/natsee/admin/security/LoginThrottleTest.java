package io.natsee.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void fiveFailuresForOneUserBlockThatUserFromAnyAddressForTheRestOfTheMinute() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Duration.ZERO, throttle.retryAfter("10.0.0." + i, "op"), "attempt " + (i + 1));
            throttle.failed("10.0.0." + i, "op");
            clock.now = clock.now.plusSeconds(10);
        }
        // failures at 0, 10, 20, 30, 40 s; now 50 s: blocked until the first is a minute old
        assertEquals(Duration.ofSeconds(10), throttle.retryAfter("10.9.9.9", "op"));
        assertEquals(Duration.ofSeconds(10), throttle.retryAfter("10.9.9.9", " OP "), "the user name as the store compares it, case aside");
        assertEquals(Duration.ZERO, throttle.retryAfter("10.9.9.9", "view"), "other users are not blocked");
        clock.now = clock.now.plusSeconds(10);
        assertEquals(Duration.ZERO, throttle.retryAfter("10.9.9.9", "op"), "the oldest failure left the window");
        throttle.failed("10.9.9.9", "op");
        assertEquals(Duration.ofSeconds(10), throttle.retryAfter("10.9.9.9", "op"), "five again within the minute");
    }

    @Test
    void fiveFailuresFromOneAddressBlockEveryUserFromThereAndASuccessDoesNotClearTheAddress() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("192.0.2.7", "guess" + i);
        }
        assertTrue(throttle.retryAfter("192.0.2.7", "op").compareTo(Duration.ofSeconds(59)) > 0);
        assertEquals(Duration.ZERO, throttle.retryAfter("192.0.2.8", "op"), "other addresses are not blocked");
        throttle.succeeded("op");
        assertTrue(throttle.retryAfter("192.0.2.7", "op").compareTo(Duration.ZERO) > 0);
    }

    @Test
    void aSuccessClearsTheUsersFailures() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("10.0.0." + i, "op");
        }
        throttle.succeeded("op");
        throttle.failed("10.0.0.9", "op");
        assertEquals(Duration.ZERO, throttle.retryAfter("10.0.0.20", "op"));
    }

    @Test
    void memoryStaysBoundedUnderManyAddresses() {
        for (int i = 0; i < LoginThrottle.MAX_KEYS * 2; i++) {
            throttle.failed("addr-" + i, "op");
        }
        // the user's key is refreshed by every failure, so it is never the eldest: still blocked
        assertTrue(throttle.retryAfter("new", "op").compareTo(Duration.ZERO) > 0);
        assertEquals(Duration.ZERO, throttle.retryAfter("addr-0", "someone"), "the oldest addresses were dropped");
    }
}
