package io.natsee.streaming.server;

import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.memory.MemoryStore;

/** Opens the store the options name. */
final class StorageFactory {

    private StorageFactory() {
    }

    static Store open(StreamingOptions options) {
        return switch (options.store()) {
            case MEMORY -> new MemoryStore(options.limits());
            case FILE -> throw new IllegalStateException("the FILE store is not available in this build yet");
        };
    }
}
