package io.natsee.streaming.server;

import io.nats.client.Connection;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The streaming server's state and its means of acting: clients, channels, the store, the NATS connection,
 * timers and counters. Owned by the engine thread; other threads read only the atomic counters.
 */
final class ServerState {
    final StreamingOptions options;
    final ProtocolSubjects subjects;
    final Storage storage;
    final Connection nats;
    final ScheduledExecutorService timers;
    final Clock clock;
    final Engine engine;
    final Map<String, ClientState> clients = new LinkedHashMap<>();
    final Map<String, ChannelState> channels = new LinkedHashMap<>();
    /** Online subscriptions by ack inbox. */
    final Map<String, Subscriber> byAckInbox = new java.util.HashMap<>();
    final AtomicLong inMsgs = new AtomicLong();
    final AtomicLong inBytes = new AtomicLong();
    final AtomicLong outMsgs = new AtomicLong();
    final AtomicLong outBytes = new AtomicLong();
    private long nextSubscriptionId = 1;

    ServerState(StreamingOptions options, ProtocolSubjects subjects, Storage storage, Connection nats,
                ScheduledExecutorService timers, Clock clock, Engine engine) {
        this.options = options;
        this.subjects = subjects;
        this.storage = storage;
        this.nats = nats;
        this.timers = timers;
        this.clock = clock;
        this.engine = engine;
    }

    long nextSubscriptionId() {
        return nextSubscriptionId++;
    }

    void useSubscriptionIdsAbove(long id) {
        nextSubscriptionId = Math.max(nextSubscriptionId, id + 1);
    }

    long nowNanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Runs a task on the engine thread after a delay. */
    java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return timers.schedule(() -> engine.post(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    void publish(String subject, byte[] payload) {
        nats.publish(subject, payload);
    }

    /** The channel, created on first use within the limits. */
    ChannelState channel(String name) throws Storage.LimitException {
        ChannelState channel = channels.get(name);
        if (channel == null) {
            channel = new ChannelState(name, storage.channel(name));
            channels.put(name, channel);
        }
        return channel;
    }
}
