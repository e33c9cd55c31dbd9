package io.natsee.streaming.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The obligations of {@link Store}, {@link MsgStore} and {@link SubStore}, run once per implementation. */
public abstract class StoreContractTest {

    private Store store;

    /** A new, empty store with these limits. */
    protected abstract Store newStore(StoreLimits limits);

    /** Opens a store with these limits. */
    protected Store open(StoreLimits limits) {
        store = newStore(limits);
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendAssignsGapFreeSequencesAndLookupReturnsTheMessage() {
        MsgStore log = open(StoreLimits.UNLIMITED).getOrCreateChannel("orders").messages();
        assertEquals(0, log.firstSequence());
        assertEquals(0, log.lastSequence());
        assertEquals(1, log.append("reply", bytes("a"), 100));
        assertEquals(2, log.append(null, bytes("b"), 200));
        StoredMessage first = log.lookup(1);
        assertEquals(new StoredMessage(1, "orders", "reply", bytes("a"), 100), first);
        assertEquals("", log.lookup(2).reply());
        assertNull(log.lookup(3));
        assertNull(log.lookup(0));
        assertEquals(new MsgStoreState(2, first.encodedSize() + log.lookup(2).encodedSize(), 1, 2), log.state());
    }

    @Test
    void channelsAreCreatedOnDemandOnceAndCountedAgainstMaxChannels() {
        Store s = open(StoreLimits.UNLIMITED.withMaxChannels(2));
        Channel a = s.getOrCreateChannel("a");
        assertSame(a, s.getOrCreateChannel("a"));
        s.getOrCreateChannel("b");
        TooManyChannelsException e = assertThrows(TooManyChannelsException.class, () -> s.getOrCreateChannel("c"));
        assertEquals("too many channels", e.getMessage());
        assertNull(s.lookupChannel("c"));
        assertEquals(List.of("a", "b"), s.channels().stream().map(Channel::name).toList());
        s.deleteChannel("a");
        assertNull(s.lookupChannel("a"));
        assertNotNull(s.getOrCreateChannel("c"));
        assertThrows(NotFoundException.class, () -> s.deleteChannel("zz"));
        assertThrows(IllegalArgumentException.class, () -> s.getOrCreateChannel("foo.*"));
    }

    @Test
    void perChannelOverridesApplyToNewChannels() {
        StoreLimits limits = StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxMsgs(10))
                .withChannel("foo.>", ChannelLimits.NONE.withMaxMsgs(3));
        Store s = open(limits);
        assertEquals(3, s.getOrCreateChannel("foo.bar").limits().maxMsgs());
        assertEquals(10, s.getOrCreateChannel("bar").limits().maxMsgs());
    }

    @Test
    void maxMsgsDropsTheOldest() {
        MsgStore log = open(StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxMsgs(3)))
                .getOrCreateChannel("c").messages();
        for (int i = 1; i <= 5; i++) {
            log.append("", bytes("m" + i), i);
        }
        assertEquals(3, log.firstSequence());
        assertEquals(5, log.lastSequence());
        assertNull(log.lookup(2));
        assertArrayEquals(bytes("m3"), log.lookup(3).data());
        assertEquals(3, log.state().messages());
    }

    @Test
    void maxBytesDropsTheOldestButKeepsTheNewOne() {
        int size = new StoredMessage(1, "c", "", new byte[100], 1).encodedSize();
        MsgStore log = open(StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxBytes(size * 2L + 1)))
                .getOrCreateChannel("c").messages();
        for (int i = 1; i <= 4; i++) {
            log.append("", new byte[100], i);
        }
        assertEquals(3, log.firstSequence());
        log.append("", new byte[10_000], 5);
        assertEquals(5, log.firstSequence());
        assertEquals(1, log.state().messages());
    }

    @Test
    void maxAgeDropsOnAppendAndExpire() {
        long second = 1_000_000_000L;
        MsgStore log = open(StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxAge(Duration.ofSeconds(10))))
                .getOrCreateChannel("c").messages();
        log.append("", bytes("1"), second);
        log.append("", bytes("2"), 5 * second);
        log.append("", bytes("3"), 12 * second);
        assertEquals(2, log.firstSequence());
        assertEquals(1, log.expire(16 * second));
        assertEquals(3, log.firstSequence());
        assertEquals(1, log.expire(30 * second));
        assertEquals(new MsgStoreState(0, 0, 4, 3), log.state());
        assertEquals(4, log.append("", bytes("4"), 31 * second));
    }

    @Test
    void sequenceForTimestampFindsTheFirstAtOrAfter() {
        MsgStore log = open(StoreLimits.UNLIMITED).getOrCreateChannel("c").messages();
        log.append("", bytes("a"), 10);
        log.append("", bytes("b"), 20);
        log.append("", bytes("c"), 20);
        log.append("", bytes("d"), 30);
        assertEquals(1, log.sequenceForTimestamp(0));
        assertEquals(2, log.sequenceForTimestamp(11));
        assertEquals(2, log.sequenceForTimestamp(20));
        assertEquals(4, log.sequenceForTimestamp(30));
        assertEquals(5, log.sequenceForTimestamp(31));
    }

    private static SubscriptionRecord subscription(String durable) {
        return new SubscriptionRecord(0, "client", "", "inbox", "ack", 10, 30, durable, 0, !durable.isEmpty(),
                false, null);
    }

    @Test
    void subscriptionsGetUniqueIdsAndRespectMaxSubs() {
        Store s = open(StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxSubscriptions(2)));
        SubStore a = s.getOrCreateChannel("a").subscriptions();
        SubStore b = s.getOrCreateChannel("b").subscriptions();
        SubscriptionRecord one = a.create(subscription("d"));
        SubscriptionRecord two = a.create(subscription(""));
        SubscriptionRecord three = b.create(subscription(""));
        assertNotEquals(one.id(), two.id());
        assertNotEquals(two.id(), three.id());
        assertNotEquals(one.id(), three.id());
        TooManySubscriptionsException e = assertThrows(TooManySubscriptionsException.class,
                () -> a.create(subscription("")));
        assertEquals("too many subscriptions per channel", e.getMessage());
        a.delete(one.id());
        assertEquals(1, a.count());
        assertNotNull(a.create(subscription("")));
        assertThrows(NotFoundException.class, () -> a.delete(one.id()));
        assertThrows(NotFoundException.class, () -> a.update(one));
    }

    @Test
    void pendingAddAndAckTrackLastSent() {
        SubStore subs = open(StoreLimits.UNLIMITED).getOrCreateChannel("a").subscriptions();
        SubscriptionRecord record = subs.create(subscription("d"));
        subs.addPending(record.id(), 1);
        subs.addPending(record.id(), 3);
        subs.addPending(record.id(), 2);
        assertEquals(3, subs.get(record.id()).lastSent());
        subs.ack(record.id(), 2);
        subs.ack(record.id(), 99);
        assertArrayEquals(new long[] {1, 3}, subs.pending(record.id()));
        subs.update(subs.get(record.id()).withLastSent(3));
        assertArrayEquals(new long[] {1, 3}, subs.pending(record.id()));
        subs.delete(record.id());
        assertArrayEquals(new long[0], subs.pending(record.id()));
        assertNull(subs.get(record.id()));
    }

    @Test
    void clientsAreAddedReplacedAndDeleted() {
        Store s = open(StoreLimits.UNLIMITED);
        s.addClient(new ClientRecord("me", "hb.1", null, 1, 5, 3));
        s.addClient(new ClientRecord("you", "hb.2", null, 1, 5, 3));
        s.addClient(new ClientRecord("me", "hb.3", null, 1, 5, 3));
        s.deleteClient("you");
        s.deleteClient("nobody");
        assertEquals(List.of(new ClientRecord("me", "hb.3", null, 1, 5, 3)), List.copyOf(s.clients()));
        s.flush();
    }
    @Test
    void concurrentAppendsGetDistinctGapFreeSequences() throws Exception {
        Store s = open(StoreLimits.UNLIMITED);
        MsgStore log = s.getOrCreateChannel("c").messages();
        int threads = 4;
        int perThread = 2_000;
        java.util.Set<Long> sequences = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        sequences.add(log.append("", bytes("x"), 1));
                    }
                    s.flush();
                }));
            }
            for (java.util.concurrent.Future<?> future : futures) {
                future.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, sequences.size());
        assertEquals(threads * perThread, log.lastSequence());
        assertEquals(1, log.firstSequence());
    }
}
