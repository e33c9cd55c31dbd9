package io.natsee.broker.subject;

import java.nio.charset.StandardCharsets;

/**
 * One subscription: a subject (maybe with wildcards), an optional queue group, the client's sid,
 * and the connection that owns it. The delivery counters are owned by the thread that delivers
 * to the owner (its event loop), so they are plain fields.
 */
public final class Subscription {

    private final Subscriber owner;
    private final String subject;
    private final String queue;
    private final String sid;
    /** The sid as bytes, preceded and followed by a space: ready to copy into a MSG line. */
    private final byte[] sidField;
    /** The queue group's name as bytes ({@code null} without one), for RMSG lines. */
    private final byte[] queueName;
    /** Messages delivered so far. */
    public long delivered;
    /** Auto-unsubscribe limit; 0 means none. */
    public long max;
    private volatile boolean removed;
    /** For a route's queue interest: how many members stand behind it (the RS+ weight); 1 otherwise. */
    private volatile int weight = 1;

    public Subscription(Subscriber owner, String subject, String queue, String sid) {
        this.owner = owner;
        this.subject = subject;
        this.queue = queue;
        this.sid = sid;
        this.sidField = (" " + sid + " ").getBytes(StandardCharsets.US_ASCII);
        this.queueName = queue == null ? null : queue.getBytes(StandardCharsets.US_ASCII);
    }

    public Subscriber owner() {
        return owner;
    }

    public String subject() {
        return subject;
    }

    /** The queue group, or {@code null} for a plain subscription. */
    public String queue() {
        return queue;
    }

    /** The queue group as bytes, or {@code null}; the array must not be changed. */
    public byte[] queueName() {
        return queueName;
    }

    public String sid() {
        return sid;
    }

    /** {@code " <sid> "}, for writing MSG lines without formatting. */
    public byte[] sidField() {
        return sidField;
    }

    /** The queue weight: the members a route's queue interest stands for; 1 for a local subscription. */
    public int weight() {
        return weight;
    }

    /** Sets the queue weight (at least 1), as a route's RS+ updates it. */
    public void weight(int newWeight) {
        weight = Math.max(1, newWeight);
    }

    /** Whether the subscription was removed (unsubscribed, auto-unsubscribed or closed). */
    public boolean isRemoved() {
        return removed;
    }

    /** Marks the subscription removed; the owner removes it from the trie too. */
    public void markRemoved() {
        removed = true;
    }

    @Override
    public String toString() {
        return "Subscription[" + subject + (queue == null ? "" : " " + queue) + " sid=" + sid
                + " owner=" + owner.id() + "]";
    }
}
