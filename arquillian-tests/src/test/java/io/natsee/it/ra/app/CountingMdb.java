package io.natsee.it.ra.app;

import io.nats.client.Message;
import io.natsee.ra.api.NatsMessageListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Base of the counting beans: counts messages per subject; a payload starting with 's' makes the
 * bean wait 1 ms, standing in for a call to a database.
 */
public abstract class CountingMdb implements NatsMessageListener {

    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    static long count(String subject) {
        AtomicLong count = COUNTS.get(subject);
        return count == null ? 0 : count.get();
    }

    static void increment(String subject) {
        COUNTS.computeIfAbsent(subject, key -> new AtomicLong()).incrementAndGet();
    }

    static void reset() {
        COUNTS.clear();
    }

    @Override
    public void onMessage(Message message) {
        byte[] data = message.getData();
        if (data.length > 0 && data[0] == 's') {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        COUNTS.computeIfAbsent(message.getSubject(), subject -> new AtomicLong()).incrementAndGet();
    }
}
