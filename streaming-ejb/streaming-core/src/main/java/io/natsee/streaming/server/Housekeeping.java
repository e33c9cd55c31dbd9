package io.natsee.streaming.server;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoreLimits;

import java.time.Duration;
import java.util.ArrayList;

/**
 * The time-driven channel limits: messages older than {@code max_age} are dropped even when nothing is published,
 * and a channel without any subscription and without a new message for {@code max_inactivity} is deleted with its
 * messages, as the reference does. Runs on the engine thread, at a period fine enough for the smallest of those
 * limits (a tenth of it, between 50 ms and 1 s).
 */
final class Housekeeping {
    private static final System.Logger LOG = System.getLogger(Housekeeping.class.getName());
    static final Duration FINEST = Duration.ofMillis(50);
    static final Duration COARSEST = Duration.ofSeconds(1);

    private final ServerState state;

    Housekeeping(ServerState state) {
        this.state = state;
    }

    /** The period the limits call for, or null when no channel can have a max age or a max inactivity. */
    static Duration period(StoreLimits limits) {
        Duration smallest = null;
        ArrayList<ChannelLimits> all = new ArrayList<>(limits.perChannel().values());
        all.add(limits.global());
        for (ChannelLimits channel : all) {
            for (Duration limit : new Duration[] {channel.maxAge(), channel.maxInactivity()}) {
                if (limit.isNegative() || limit.isZero()) {
                    continue;
                }
                if (smallest == null || limit.compareTo(smallest) < 0) {
                    smallest = limit;
                }
            }
        }
        if (smallest == null) {
            return null;
        }
        Duration tenth = smallest.dividedBy(10);
        return tenth.compareTo(FINEST) < 0 ? FINEST : tenth.compareTo(COARSEST) > 0 ? COARSEST : tenth;
    }

    /** One pass over every channel. */
    void run() {
        long now = state.nowNanos();
        for (ChannelState channel : new ArrayList<>(state.channels.values())) {
            ChannelLimits limits = channel.stored.limits();
            try {
                if (!limits.maxAge().isZero() && channel.log.expire(now) > 0) {
                    state.flushLater();
                }
                Duration inactivity = limits.maxInactivity();
                if (!inactivity.isZero() && channel.hasNoSubscription()
                        && now - channel.lastActivityNanos >= inactivity.toNanos()) {
                    delete(channel);
                }
            } catch (StoreException e) {
                LOG.log(System.Logger.Level.ERROR, "channel {0}: housekeeping failed: {1}", channel.name,
                        e.getMessage());
            }
        }
    }

    private void delete(ChannelState channel) {
        new ChannelRemoval(state).delete(channel.name);
        LOG.log(System.Logger.Level.INFO, "Channel \"{0}\" has been deleted after {1} of inactivity", channel.name,
                StreamingMonitor.uptime(channel.stored.limits().maxInactivity()));
    }
}
