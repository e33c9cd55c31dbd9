package io.natsee.broker.subject;

/**
 * The subscriptions a literal subject reaches: every plain subscription, and the queue groups,
 * each as the list of its members (one member per group receives a message). Immutable.
 */
public final class MatchResult {

    public static final MatchResult EMPTY = new MatchResult(new Subscription[0], new Subscription[0][]);

    private final Subscription[] plain;
    private final Subscription[][] queues;

    public MatchResult(Subscription[] plain, Subscription[][] queues) {
        this.plain = plain;
        this.queues = queues;
    }

    /** The plain subscriptions; callers must not modify the array. */
    public Subscription[] plain() {
        return plain;
    }

    /** One array per queue group, holding its members; callers must not modify the arrays. */
    public Subscription[][] queues() {
        return queues;
    }

    public boolean isEmpty() {
        return plain.length == 0 && queues.length == 0;
    }

    /** Plain subscriptions plus one per queue group: the number of deliveries per message. */
    public int fanout() {
        return plain.length + queues.length;
    }
}
