package io.natsee.streaming.store.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.MsgStoreState;
import io.natsee.streaming.store.RecoveredChannel;
import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.RecoveredSubscription;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreContractTest;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.StoreLockedException;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on {@link FileStore}, and what it keeps across a close and reopen. */
class FileStoreTest extends StoreContractTest {

    @TempDir
    Path temporary;

    private final AtomicInteger stores = new AtomicInteger();

    @Override
    protected Store newStore(StoreLimits limits) {
        // The default options: fsync on every flush, as in production.
        return new FileStore(temporary.resolve("store" + stores.incrementAndGet()), limits, FileStoreOptions.DEFAULT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static SubscriptionRecord subscription(String durable) {
        return new SubscriptionRecord(0, "client", "", "inbox", "ack", 10, 30, durable, 0, !durable.isEmpty(),
                false, Map.of("maxDeliveries", "5"));
    }

    @Test
    void theCurrentStateIsWhatAReopenRecovers() {
        Path directory = temporary.resolve("current");
        ServerInfoRecord info = new ServerInfoRecord("cluster", "_STAN.discover.cluster", "_STAN.pub.x", "sub",
                "unsub", "close", "subclose", "", "");
        RecoveredState live;
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            assertEquals(store.recover(), store.currentState().orElseThrow(), "a fresh store: nothing either way");
            store.init(info);
            store.addClient(new ClientRecord("me", "hb.1", bytes("conn"), 1, 5, 3));
            store.addClient(new ClientRecord("you", "hb.2", null, 1, 5, 3));
            store.addClient(new ClientRecord("gone", "hb.4", null, 1, 5, 3));
            store.deleteClient("gone");
            Channel orders = store.getOrCreateChannel("orders");
            store.getOrCreateChannel("dropped");
            store.getOrCreateChannel("b.c").messages().append("", bytes("x"), 1);
            store.deleteChannel("dropped");
            for (int i = 1; i <= 20; i++) {
                orders.messages().append(i % 2 == 0 ? "reply" : "", bytes("m" + i), i * 1000L);
            }
            SubStore subs = orders.subscriptions();
            long durable = subs.create(subscription("dur")).id();
            long plain = subs.create(subscription("")).id();
            subs.delete(subs.create(subscription("")).id());
            for (long seq = 1; seq <= 7; seq++) {
                subs.addPending(durable, seq); // last sent rises to 7 without an update of the record
            }
            subs.ack(durable, 2);
            subs.ack(durable, 6);
            subs.addPending(plain, 4);
            live = store.currentState().orElseThrow();
            assertSame(orders, live.channels().get("orders").channel()); // the open channels, not copies
            store.flush();
        }
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            RecoveredState reopened = store.recover();
            assertEquals(info, live.serverInfo());
            assertEquals(reopened.serverInfo(), live.serverInfo());
            assertEquals(reopened.clients(), live.clients());
            assertEquals(List.of("orders", "b.c"), List.copyOf(live.channels().keySet()));
            assertEquals(List.copyOf(reopened.channels().keySet()), List.copyOf(live.channels().keySet()));
            for (String name : reopened.channels().keySet()) {
                RecoveredChannel before = live.channels().get(name);
                RecoveredChannel after = reopened.channels().get(name);
                assertEquals(after.subscriptions(), before.subscriptions(), name);
                assertEquals(after.channel().messages().state(), before.channel().messages().state(), name);
            }
            assertEquals(7, live.channels().get("orders").subscriptions().get(0).record().lastSent());
            assertArrayEquals(new long[] {1, 3, 4, 5, 7}, live.channels().get("orders").subscriptions().get(0).pending());
            // Once reopened, the live state is the recovered one until something changes.
            RecoveredState now = store.currentState().orElseThrow();
            assertEquals(reopened.clients(), now.clients());
            assertEquals(reopened.channels().get("orders").subscriptions(), now.channels().get("orders").subscriptions());
            assertSame(reopened.channels().get("orders").channel(), now.channels().get("orders").channel());
        }
    }

    @Test
    void everythingFlushedIsRecoveredAfterReopen() {
        Path directory = temporary.resolve("reopen");
        ServerInfoRecord info = new ServerInfoRecord("cluster", "_STAN.discover.cluster", "_STAN.pub.x", "sub",
                "unsub", "close", "subclose", "", "");
        long durableId;
        long plainId;
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            store.init(info);
            store.addClient(new ClientRecord("me", "hb.1", bytes("conn"), 1, 5, 3));
            store.addClient(new ClientRecord("you", "hb.2", null, 1, 5, 3));
            store.addClient(new ClientRecord("me", "hb.3", bytes("conn"), 1, 5, 3));
            store.addClient(new ClientRecord("gone", "hb.4", null, 1, 5, 3));
            store.deleteClient("gone");
            Channel orders = store.getOrCreateChannel("orders");
            store.getOrCreateChannel("b.c");
            for (int i = 1; i <= 10; i++) {
                orders.messages().append(i % 2 == 0 ? "reply" : "", bytes("m" + i), i * 1000L);
            }
            SubStore subs = orders.subscriptions();
            SubscriptionRecord durable = subs.create(subscription("dur"));
            SubscriptionRecord plain = subs.create(subscription(""));
            SubscriptionRecord deleted = subs.create(subscription(""));
            subs.delete(deleted.id());
            durableId = durable.id();
            plainId = plain.id();
            for (long seq = 1; seq <= 5; seq++) {
                subs.addPending(durableId, seq);
            }
            subs.ack(durableId, 2);
            subs.ack(durableId, 4);
            subs.update(subs.get(durableId).withLastSent(5));
            subs.update(new SubscriptionRecord(durableId, "", "", "inbox", "ack", 10, 30, "dur", 5, true, true,
                    Map.of("maxDeliveries", "5")));
            store.flush();
        }
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            RecoveredState state = store.recover();
            assertEquals(info, state.serverInfo());
            assertEquals(List.of(new ClientRecord("me", "hb.3", bytes("conn"), 1, 5, 3),
                    new ClientRecord("you", "hb.2", null, 1, 5, 3)), state.clients());
            assertEquals(List.of("orders", "b.c"), List.copyOf(state.channels().keySet()));
            RecoveredChannel orders = state.channels().get("orders");
            MsgStore log = orders.channel().messages();
            assertEquals(1, log.firstSequence());
            assertEquals(10, log.lastSequence());
            for (int i = 1; i <= 10; i++) {
                assertEquals(new io.natsee.streaming.store.StoredMessage(i, "orders", i % 2 == 0 ? "reply" : "",
                        bytes("m" + i), i * 1000L), log.lookup(i));
            }
            List<RecoveredSubscription> subs = orders.subscriptions();
            assertEquals(2, subs.size());
            assertEquals(durableId, subs.get(0).record().id());
            assertEquals(new SubscriptionRecord(durableId, "", "", "inbox", "ack", 10, 30, "dur", 5, true, true,
                    Map.of("maxDeliveries", "5")), subs.get(0).record());
            assertArrayEquals(new long[] {1, 3, 5}, subs.get(0).pending());
            assertEquals(plainId, subs.get(1).record().id());
            assertArrayEquals(new long[0], subs.get(1).pending());
            assertArrayEquals(new long[] {1, 3, 5}, orders.channel().subscriptions().pending(durableId));
            assertSame(orders.channel(), store.lookupChannel("orders"));
            // Still writable, ids and sequences continue.
            assertEquals(11, log.append("", bytes("m11"), 11_000));
            SubscriptionRecord next = orders.channel().subscriptions().create(subscription(""));
            assertTrue(next.id() > plainId + 1, "ids are never reused, also the deleted one's");
            MsgStore other = state.channels().get("b.c").channel().messages();
            assertEquals(0, other.firstSequence());
            assertEquals(1, other.append("", bytes("x"), 1));
        }
    }

    private static void assertSame(Channel expected, Channel actual) {
        org.junit.jupiter.api.Assertions.assertSame(expected, actual);
    }

    @Test
    void sequencesAndFirstSequenceSurviveDropsAndChannelDeletion() {
        Path directory = temporary.resolve("drops");
        StoreLimits limits = StoreLimits.UNLIMITED.withGlobal(
                io.natsee.streaming.store.ChannelLimits.NONE.withMaxAge(java.time.Duration.ofSeconds(10)));
        long subscriptionId;
        try (FileStore store = new FileStore(directory, limits)) {
            MsgStore log = store.getOrCreateChannel("aged").messages();
            log.append("", bytes("1"), 1_000_000_000L);
            log.append("", bytes("2"), 2_000_000_000L);
            assertEquals(2, log.expire(100_000_000_000L));
            assertEquals(new MsgStoreState(0, 0, 3, 2), log.state());
            subscriptionId = store.getOrCreateChannel("doomed").subscriptions().create(subscription("")).id();
            store.deleteChannel("doomed");
            store.flush();
        }
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            MsgStore log = store.lookupChannel("aged").messages();
            assertEquals(new MsgStoreState(0, 0, 3, 2), log.state(), "expired messages stay dropped after a reopen");
            assertNull(log.lookup(2));
            assertEquals(3, log.append("", bytes("3"), 3_000_000_000L));
            assertNull(store.lookupChannel("doomed"));
            assertTrue(store.getOrCreateChannel("new").subscriptions().create(subscription("")).id() > subscriptionId);
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        Path directory = temporary.resolve("locked");
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            StoreLockedException e = assertThrows(StoreLockedException.class,
                    () -> new FileStore(directory, StoreLimits.UNLIMITED));
            assertTrue(e.getMessage().contains("locked") || e.getMessage().contains("already open"), e.getMessage());
            assertNotNull(store.getOrCreateChannel("still.works"));
        }
        try (FileStore again = new FileStore(directory, StoreLimits.UNLIMITED)) {
            assertNotNull(again.lookupChannel("still.works"));
        }
        assertTrue(Files.exists(directory.resolve(StoreLock.FILE)));
    }

    @Test
    void channelNamesAreEncodedSafely() {
        Path directory = temporary.resolve("names");
        String[] names = {"a/b", "..x", "ümlaut.ß", "x%41", "CON", "a".repeat(300) + ".b", "a".repeat(300) + ".c"};
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            for (String name : names) {
                if (io.natsee.streaming.store.ChannelNames.isValid(name, false)) {
                    store.getOrCreateChannel(name).messages().append("", bytes(name), 1);
                    assertTrue(store.directoryOf(name).startsWith(directory.resolve(FileStore.CHANNELS)));
                    assertTrue(store.directoryOf(name).getFileName().toString().length() <= 200);
                }
            }
            store.flush();
        }
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            for (String name : names) {
                if (io.natsee.streaming.store.ChannelNames.isValid(name, false)) {
                    assertArrayEquals(bytes(name), store.lookupChannel(name).messages().lookup(1).data(), name);
                }
            }
        }
    }
}
