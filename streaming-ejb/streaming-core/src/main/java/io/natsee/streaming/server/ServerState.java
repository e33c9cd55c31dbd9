package io.natsee.streaming.server;

import io.nats.client.Connection;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.TooManyChannelsException;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The streaming server's state and its means of acting: clients, channels, the store, the NATS connection,
 * timers and counters. Owned by the engine thread; other threads read only the atomic counters.
 */
final class ServerState {
    final StreamingOptions options;
    final ProtocolSubjects subjects;
    final Store store;
    final Connection nats;
    final ScheduledExecutorService timers;
    final Clock clock;
    final Engine engine;
    final Map<String, ClientState> clients = new LinkedHashMap<>();
    final Map<String, ChannelState> channels = new LinkedHashMap<>();
    /** Online subscriptions by ack inbox. */
    final Map<String, Subscriber> byAckInbox = new HashMap<>();
    /** The owned channels when partitioning, else null (every channel is this server's). */
    Partitions partitions;
    final AtomicLong inMsgs = new AtomicLong();
    final AtomicLong inBytes = new AtomicLong();
    final AtomicLong outMsgs = new AtomicLong();
    final AtomicLong outBytes = new AtomicLong();
    /** Whether the store holds changes (acks, deliveries) not flushed yet; see {@link #flushLater()}. */
    private boolean unflushed;

    ServerState(StreamingOptions options, ProtocolSubjects subjects, Store store, Connection nats,
                ScheduledExecutorService timers, Clock clock, Engine engine) {
        this.options = options;
        this.subjects = subjects;
        this.store = store;
        this.nats = nats;
        this.timers = timers;
        this.clock = clock;
        this.engine = engine;
    }

    /** Whether requests on this channel are this server's to answer (always, unless partitioning). */
    boolean owns(String channel) {
        return partitions == null || partitions.owns(channel);
    }

    long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Runs a task on the engine thread after a delay. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return timers.schedule(() -> engine.post(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /** Runs a task on the engine thread at a fixed period. */
    ScheduledFuture<?> every(Runnable task, long periodNanos) {
        return timers.scheduleAtFixedRate(() -> engine.post(task), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    void publish(String subject, byte[] payload) {
        nats.publish(subject, payload);
    }

    /**
     * The channel, created in the store on first use.
     *
     * @throws TooManyChannelsException when max channels is reached
     */
    ChannelState channel(String name) {
        ChannelState channel = channels.get(name);
        if (channel == null) {
            channel = new ChannelState(store.getOrCreateChannel(name), nowNanos());
            channels.put(name, channel);
        }
        return channel;
    }

    /** Makes every change so far durable; for requests whose answer promises it (connect, subscribe, close). */
    void flushNow() {
        store.flush();
        unflushed = false;
    }

    /**
     * Notes a change whose loss in a crash costs only a redelivery (an ack, a delivery's position): it is made
     * durable by the next flush, at the latest by the periodic one.
     */
    void flushLater() {
        unflushed = true;
    }

    /** The periodic flush: flushes if something changed since the last flush. */
    void flushIfNeeded() {
        if (unflushed) {
            flushNow();
        }
    }
}
