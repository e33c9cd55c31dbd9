package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.SubscriptionRecord;

import java.nio.charset.StandardCharsets;

/**
 * The child process of {@link JdbcCrashTest}: opens the store, then appends a 16-byte message
 * ({@code <tag>-<sequence>} padded), marks it pending for a subscription and acks the previous one
 * (at start: the recovered pending ones),
 * flushes, and prints {@code FLUSHED <sequence>}, in a loop until it is killed (or after an hour).
 * Arguments: driver, JDBC URL, user, password, tag.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    /** Payload of a sequence written by the run {@code tag}. */
    static byte[] payload(String tag, long sequence) {
        String text = String.format("%-16s", tag + "-" + sequence);
        return text.substring(0, 16).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] arguments) {
        JdbcStoreOptions options = JdbcStoreOptions.of(JdbcDialect.fromDriverName(arguments[0]), arguments[1])
                .withCredentials(arguments[2].isEmpty() ? null : arguments[2],
                        arguments[3].isEmpty() ? null : arguments[3]);
        String tag = arguments[4];
        long deadline = System.nanoTime() + 3_600_000_000_000L;
        try (JdbcStore store = JdbcStore.open(options, StoreLimits.UNLIMITED, null)) {
            Channel channel = store.getOrCreateChannel("crash");
            long subscription = channel.subscriptions().count() == 0
                    ? channel.subscriptions().create(new SubscriptionRecord(0, "crash", "", "inbox", "ack", 100, 30,
                    "durable", 0, true, false, null)).id()
                    : store.recover().channels().get("crash").subscriptions().get(0).record().id();
            for (long sequence : channel.subscriptions().pending(subscription)) {
                channel.subscriptions().ack(subscription, sequence);
            }
            store.flush();
            System.out.println("READY " + channel.messages().lastSequence());
            System.out.flush();
            MsgStore log = channel.messages();
            long previous = 0;
            while (System.nanoTime() < deadline) {
                long next = log.lastSequence() + 1;
                long sequence = log.append("", payload(tag, next), System.currentTimeMillis() * 1_000_000L);
                if (sequence != next) {
                    throw new IllegalStateException("appended " + sequence + ", expected " + next);
                }
                channel.subscriptions().addPending(subscription, sequence);
                if (previous > 0) {
                    channel.subscriptions().ack(subscription, previous);
                }
                store.flush();
                System.out.println("FLUSHED " + sequence);
                System.out.flush();
                previous = sequence;
            }
        }
    }
}
