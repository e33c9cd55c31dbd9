package io.natsee.streaming.store.memory;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreContractTest;
import io.natsee.streaming.store.StoreLimits;

import org.junit.jupiter.api.Test;

/** The store contract on {@link MemoryStore}. */
class MemoryStoreTest extends StoreContractTest {

    @Override
    protected Store newStore(StoreLimits limits) {
        return new MemoryStore(limits);
    }

    @Test
    void recoversNothing() {
        Store store = open(StoreLimits.UNLIMITED);
        store.getOrCreateChannel("a").messages().append("", new byte[1], 1);
        assertNull(store.recover().serverInfo());
        assertTrue(store.recover().channels().isEmpty());
    }
}
