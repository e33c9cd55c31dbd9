package io.natsee.streaming.server;

import io.natsee.streaming.store.NotFoundException;

import java.util.List;

/**
 * Deletes a channel: its messages and subscription records from the store, and its state from memory. The
 * reference deletes a channel only by {@code max_inactivity}, when no subscription is left on it; an operator's
 * deletion ends the subscriptions still there first: each leaves its client's list and its ack inbox (later acks
 * and unsubscribe requests for it are answered as for an unknown subscription), its redelivery timer stops, and
 * nothing more is sent to its inbox. The streaming protocol has no message telling a client so; a publish to the
 * same name afterwards creates a new, empty channel. Runs on the engine thread.
 */
final class ChannelRemoval {
    private static final System.Logger LOG = System.getLogger(ChannelRemoval.class.getName());

    private final ServerState state;

    ChannelRemoval(ServerState state) {
        this.state = state;
    }

    /**
     * Deletes the channel with its messages and subscriptions, then flushes the store.
     *
     * @return the number of subscriptions (online or offline) it had, or -1 when there is no such channel
     */
    int delete(String name) {
        ChannelState channel = state.channels.remove(name);
        if (channel == null) {
            return -1;
        }
        List<Subscriber> ended = channel.allSubscriptions();
        for (QueueGroup group : channel.groups.values()) {
            if (group.shadow != null && !ended.contains(group.shadow)) {
                ended.add(group.shadow);
            }
        }
        for (Subscriber subscriber : ended) {
            subscriber.cancelTimer();
            subscriber.pending.clear();
            state.byAckInbox.remove(subscriber.ackInbox);
            ClientState client = state.clients.get(subscriber.clientId);
            if (client != null) {
                client.subscriptions.remove(subscriber);
            }
        }
        channel.plain.clear();
        channel.durables.clear();
        channel.groups.clear();
        try {
            state.store.deleteChannel(name);
        } catch (NotFoundException e) {
            // Already gone from the store: nothing left to delete.
        }
        state.flushNow();
        return ended.size();
    }

    /** Deletes the channel on the operator's request, with the log line saying so. */
    int deleteOnRequest(String name) {
        int subscriptions = delete(name);
        if (subscriptions >= 0) {
            LOG.log(System.Logger.Level.INFO, "Channel \"{0}\" has been deleted by an operator ({1} {2} ended)",
                    name, subscriptions, subscriptions == 1 ? "subscription" : "subscriptions");
        }
        return subscriptions;
    }
}
