package io.natsee.broker.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a deadline passes; the only place in the tests that may
 * sleep, so no test waits blindly.
 */
public final class Await {

    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} is true.
     *
     * @throws AssertionError if it is still false after {@code timeout}
     */
    public static void until(Duration timeout, BooleanSupplier condition) {
        until(timeout, "condition", condition);
    }

    /**
     * Returns as soon as {@code condition} is true.
     *
     * @param what names the condition in the failure message
     * @throws AssertionError if it is still false after {@code timeout}
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
