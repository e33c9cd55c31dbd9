package io.natsee.streaming.store;

import java.util.List;

/**
 * A channel found by {@link Store#recover()}, open and usable, with every subscription stored in it
 * (active, offline durables and non-durables alike: what to keep is the server's decision).
 *
 * @param channel the recovered channel, ready for appends
 * @param subscriptions its subscriptions, ascending by id
 */
public record RecoveredChannel(Channel channel, List<RecoveredSubscription> subscriptions) {

    /** Copies the list. */
    public RecoveredChannel {
        subscriptions = List.copyOf(subscriptions);
    }
}
