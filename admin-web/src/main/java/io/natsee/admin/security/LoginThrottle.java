package io.natsee.admin.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits guessing passwords at the login form (nats-server and the containers have no such
 * limit): after {@value #MAX_FAILURES} failed logins within {@link #WINDOW} from one source
 * address, or for one user name, further attempts from that address or for that user are refused
 * without checking the password until the oldest of those failures is a window old. A successful
 * login clears the user's failures (not the address's). Memory is bounded: at most
 * {@value #MAX_KEYS} addresses and user names are tracked, the least recently failed dropped
 * first. Thread-safe.
 */
public final class LoginThrottle {

    /** Failed logins allowed per address and per user within the window. */
    public static final int MAX_FAILURES = 5;
    /** The window failures are counted in. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /** The most addresses and user names tracked at once. */
    public static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true);

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * How long the caller must wait before trying to log in from this address as this user;
     * {@link Duration#ZERO} when the attempt may go on.
     */
    public synchronized Duration retryAfter(String address, String user) {
        Instant now = clock.instant();
        Duration wait = wait(addressKey(address), now);
        Duration userWait = wait(userKey(user), now);
        return userWait.compareTo(wait) > 0 ? userWait : wait;
    }

    /** Counts a failed login from the address for the user. */
    public synchronized void failed(String address, String user) {
        Instant now = clock.instant();
        record(addressKey(address), now);
        record(userKey(user), now);
    }

    /** A successful login: the user's failures are forgotten. */
    public synchronized void succeeded(String user) {
        failures.remove(userKey(user));
    }

    private Duration wait(String key, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        expire(times, now);
        if (times.isEmpty()) {
            failures.remove(key);
            return Duration.ZERO;
        }
        if (times.size() < MAX_FAILURES) {
            return Duration.ZERO;
        }
        Duration wait = Duration.between(now, times.peekFirst().plus(WINDOW));
        return wait.isNegative() || wait.isZero() ? Duration.ZERO : wait;
    }

    private void record(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        while (times.size() > MAX_FAILURES) {
            times.removeFirst();
        }
        if (failures.size() > MAX_KEYS) {
            Iterator<String> eldest = failures.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    private static void expire(Deque<Instant> times, Instant now) {
        Instant oldestKept = now.minus(WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldestKept)) {
            times.removeFirst();
        }
    }

    private static String addressKey(String address) {
        return "a " + (address == null ? "" : address);
    }

    private static String userKey(String user) {
        return "u " + (user == null ? "" : user.trim().toLowerCase(java.util.Locale.ROOT));
    }
}
