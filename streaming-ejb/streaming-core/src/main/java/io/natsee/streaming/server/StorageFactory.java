package io.natsee.streaming.server;

import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.file.FileStore;
import io.natsee.streaming.store.file.FileStoreOptions;
import io.natsee.streaming.store.memory.MemoryStore;

/** Opens the store the options name: MEMORY, or FILE in the options' directory with their fsync choice. */
final class StorageFactory {

    private StorageFactory() {
    }

    static Store open(StreamingOptions options) {
        return switch (options.store()) {
            case MEMORY -> new MemoryStore(options.limits());
            case FILE -> new FileStore(options.directory(), options.limits(),
                    FileStoreOptions.DEFAULT.withSync(options.fileSync()));
        };
    }
}
