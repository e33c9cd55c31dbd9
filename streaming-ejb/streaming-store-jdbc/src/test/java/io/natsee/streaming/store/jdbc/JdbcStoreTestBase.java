package io.natsee.streaming.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.MsgStoreState;
import io.natsee.streaming.store.RecoveredChannel;
import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.RecoveredSubscription;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreContractTest;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/**
 * The store contract plus what only a persistent JDBC store promises (reopen, limits and deletions
 * after reopen, ids never reused, bulk inserts, the bounded cache, outages), run once per database
 * and caching mode.
 */
abstract class JdbcStoreTestBase extends StoreContractTest {

    /** Options of a new, empty database (or schema). */
    protected abstract JdbcStoreOptions newDatabase();

    /** The options a test runs with (caching mode and so on) on that database. */
    protected JdbcStoreOptions configure(JdbcStoreOptions options) {
        return options;
    }

    @Override
    protected Store newStore(StoreLimits limits) {
        return open(configure(newDatabase()), limits);
    }

    static JdbcStore open(JdbcStoreOptions options, StoreLimits limits) {
        return new JdbcStore(JdbcDataSources.create(options), options, limits);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static SubscriptionRecord subscription(String durable, Map<String, String> attributes) {
        return new SubscriptionRecord(0, "client", "", "inbox", "ack", 10, 30, durable, 0, !durable.isEmpty(),
                false, attributes);
    }

    @Test
    void everythingFlushedIsThereAfterReopen() {
        JdbcStoreOptions database = configure(newDatabase());
        ServerInfoRecord info = new ServerInfoRecord("cluster", "_STAN.discover", "_STAN.pub", "_STAN.sub",
                "_STAN.unsub", "_STAN.close", "_STAN.subclose", "", "");
        SubscriptionRecord durable;
        SubscriptionRecord plain;
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            store.init(info);
            store.addClient(new ClientRecord("me", "hb.1", bytes("conn"), 1, 5, 3));
            store.addClient(new ClientRecord("you", "hb.2", null, 1, 5, 3));
            store.addClient(new ClientRecord("me", "hb.3", bytes("conn"), 1, 5, 3));
            Channel orders = store.getOrCreateChannel("orders");
            store.getOrCreateChannel("empty");
            for (int i = 1; i <= 5; i++) {
                orders.messages().append(i == 1 ? "reply" : "", bytes("m" + i), i * 10L);
            }
            SubStore subscriptions = orders.subscriptions();
            durable = subscriptions.create(subscription("d", Map.of("max_deliveries", "5", "odd:key", "a:b;c")));
            plain = subscriptions.create(subscription("", null));
            subscriptions.addPending(durable.id(), 1);
            subscriptions.addPending(durable.id(), 2);
            subscriptions.addPending(durable.id(), 4);
            subscriptions.ack(durable.id(), 2);
            subscriptions.addPending(plain.id(), 5);
            subscriptions.ack(plain.id(), 5);
        }
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            RecoveredState state = store.recover();
            assertEquals(info, state.serverInfo());
            assertEquals(List.of(new ClientRecord("me", "hb.3", bytes("conn"), 1, 5, 3),
                    new ClientRecord("you", "hb.2", null, 1, 5, 3)), state.clients());
            assertEquals(List.of("orders", "empty"), List.copyOf(state.channels().keySet()));
            RecoveredChannel orders = state.channels().get("orders");
            MsgStore log = orders.channel().messages();
            assertEquals(new StoredMessage(1, "orders", "reply", bytes("m1"), 10), log.lookup(1));
            assertEquals(new StoredMessage(5, "orders", "", bytes("m5"), 50), log.lookup(5));
            assertEquals(5, log.state().messages());
            assertEquals(1, log.firstSequence());
            assertEquals(5, log.lastSequence());
            assertEquals(3, log.sequenceForTimestamp(25));
            List<RecoveredSubscription> subscriptions = orders.subscriptions();
            assertEquals(2, subscriptions.size());
            assertEquals(durable.withLastSent(4), subscriptions.get(0).record());
            assertEquals(Map.of("max_deliveries", "5", "odd:key", "a:b;c"), subscriptions.get(0).record().attributes());
            assertArrayEquals(new long[] {1, 4}, subscriptions.get(0).pending());
            assertEquals(plain.withLastSent(5), subscriptions.get(1).record());
            assertArrayEquals(new long[0], subscriptions.get(1).pending());
            assertEquals(new MsgStoreState(0, 0, 0, 0), state.channels().get("empty").channel().messages().state());
            assertEquals(6, log.append("", bytes("m6"), 60));
            SubscriptionRecord third = orders.channel().subscriptions().create(subscription("", null));
            assertTrue(third.id() > plain.id());
            assertEquals(durable.withLastSent(4), orders.channel().subscriptions().get(durable.id()));
        }
    }

    @Test
    void limitDeletionsAndExpiryLastAcrossReopen() {
        JdbcStoreOptions database = configure(newDatabase());
        long second = 1_000_000_000L;
        StoreLimits limits = StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxMsgs(3))
                .withChannel("aged", ChannelLimits.NONE.withMaxAge(Duration.ofSeconds(10)));
        try (JdbcStore store = open(database, limits)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            for (int i = 1; i <= 5; i++) {
                log.append("", bytes("m" + i), i);
            }
            MsgStore aged = store.getOrCreateChannel("aged").messages();
            aged.append("", bytes("a"), second);
            aged.append("", bytes("b"), 2 * second);
            store.flush();
            assertEquals(2, aged.expire(30 * second));
        }
        try (JdbcStore store = open(database, limits)) {
            MsgStore log = store.lookupChannel("c").messages();
            assertEquals(3, log.firstSequence());
            assertNull(log.lookup(2));
            assertArrayEquals(bytes("m3"), log.lookup(3).data());
            assertEquals(3, log.state().messages());
            MsgStore aged = store.lookupChannel("aged").messages();
            assertEquals(new MsgStoreState(0, 0, 3, 2), aged.state());
            assertEquals(3, aged.append("", bytes("c"), 40 * second));
        }
    }

    @Test
    void deletedChannelsAndSubscriptionsStayDeletedAndIdsAreNotReused() {
        JdbcStoreOptions database = configure(newDatabase());
        long highest;
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            Channel gone = store.getOrCreateChannel("gone");
            gone.messages().append("", bytes("x"), 1);
            gone.subscriptions().create(subscription("d", null));
            SubStore kept = store.getOrCreateChannel("kept").subscriptions();
            kept.create(subscription("", null));
            SubscriptionRecord last = kept.create(subscription("", null));
            highest = last.id();
            store.flush();
            kept.delete(last.id());
            store.deleteChannel("gone");
        }
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            assertNull(store.lookupChannel("gone"));
            assertEquals(List.of("kept"), store.channels().stream().map(Channel::name).toList());
            assertEquals(1, store.lookupChannel("kept").subscriptions().count());
            SubscriptionRecord next = store.lookupChannel("kept").subscriptions().create(subscription("", null));
            assertTrue(next.id() > highest, next.id() + " reuses an id up to " + highest);
            Channel again = store.getOrCreateChannel("gone");
            assertEquals(0, again.messages().lastSequence());
            assertEquals(0, again.subscriptions().count());
        }
    }

    @Test
    void manyMessagesInOneFlushGoInSeveralBulkInserts() {
        JdbcStoreOptions database = configure(newDatabase()).withBulkInsertLimit(3);
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            for (int i = 1; i <= 10; i++) {
                log.append("", bytes("m" + i), i);
            }
            store.flush();
        }
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            MsgStore log = store.lookupChannel("c").messages();
            assertEquals(10, log.state().messages());
            for (int i = 1; i <= 10; i++) {
                assertArrayEquals(bytes("m" + i), log.lookup(i).data(), "message " + i);
            }
        }
    }

    @Test
    void evictedSubscriptionsAreReadBackFromTheDatabase() {
        JdbcStoreOptions database = configure(newDatabase()).withSubscriptionCacheSize(2);
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            SubStore subscriptions = store.getOrCreateChannel("c").subscriptions();
            List<SubscriptionRecord> created = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                SubscriptionRecord record = subscriptions.create(subscription("d" + i, null));
                subscriptions.addPending(record.id(), 10 + i);
                subscriptions.addPending(record.id(), 20 + i);
                created.add(record);
            }
            store.flush();
            assertTrue(store.cachedSubscriptions() <= 2, store.cachedSubscriptions() + " cached");
            for (int i = 0; i < 6; i++) {
                long id = created.get(i).id();
                assertEquals(created.get(i).withLastSent(20 + i), subscriptions.get(id));
                assertArrayEquals(new long[] {10 + i, 20 + i}, subscriptions.pending(id));
                subscriptions.ack(id, 10 + i);
            }
            store.flush();
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(new long[] {20 + i}, subscriptions.pending(created.get(i).id()));
            }
        }
    }

    @Test
    void aFailedCommitIsThrownAndItsChangesAreWrittenByTheNextFlush() {
        JdbcStoreOptions database = configure(newDatabase());
        FailingDataSource dataSource = new FailingDataSource(JdbcDataSources.create(database));
        try (JdbcStore store = new JdbcStore(dataSource, database, StoreLimits.UNLIMITED)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            store.flush();
            dataSource.failing.set(true);
            StoreException failure = assertThrows(StoreException.class, () -> {
                log.append("", bytes("during outage"), 1);
                store.flush();
            });
            assertTrue(failure.getMessage().contains("injected database outage"), failure.getMessage());
            assertArrayEquals(bytes("during outage"), log.lookup(1).data());
            dataSource.failing.set(false);
            log.append("", bytes("after outage"), 2);
            store.flush();
        }
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            MsgStore log = store.lookupChannel("c").messages();
            assertArrayEquals(bytes("during outage"), log.lookup(1).data());
            assertArrayEquals(bytes("after outage"), log.lookup(2).data());
        }
    }

    @Test
    void concurrentAppendAndFlushLoseNothing() throws Exception {
        JdbcStoreOptions database = configure(newDatabase());
        int writers = 8;
        int perWriter = 100;
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            log.append("", bytes("x"), 1);
                            store.flush();
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        try (JdbcStore store = open(database, StoreLimits.UNLIMITED)) {
            MsgStore log = store.lookupChannel("c").messages();
            assertEquals(writers * perWriter, log.state().messages());
            assertNotNull(log.lookup(writers * perWriter));
        }
    }

    @Test
    void anUnreachableDatabaseIsAClearStoreException() {
        JdbcStoreOptions database = configure(newDatabase());
        FailingDataSource dataSource = new FailingDataSource(JdbcDataSources.create(database));
        dataSource.failing.set(true);
        StoreException failure = assertThrows(StoreException.class,
                () -> new JdbcStore(dataSource, database, StoreLimits.UNLIMITED));
        assertTrue(failure.getMessage().startsWith("cannot open the " + database.driver().driverName() + " store"),
                failure.getMessage());
        assertFalse(failure.getMessage().contains("password=natsee"));
    }

    /** For subclasses: a DataSource of options. */
    static DataSource dataSource(JdbcStoreOptions options) {
        return JdbcDataSources.create(options);
    }
}
