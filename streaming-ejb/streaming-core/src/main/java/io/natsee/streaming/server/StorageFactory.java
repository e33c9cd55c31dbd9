package io.natsee.streaming.server;

import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.file.FileStore;
import io.natsee.streaming.store.file.FileStoreOptions;
import io.natsee.streaming.store.jdbc.Fence;
import io.natsee.streaming.store.jdbc.JdbcStore;
import io.natsee.streaming.store.memory.MemoryStore;

/**
 * Opens the store the options name: MEMORY; FILE in the options' directory with their fsync choice; SQL on the
 * options' DataSource when they bring one (the application server's pool), else on the database their SQL options
 * name (an unpooled DataSource; the store keeps its few connections).
 */
final class StorageFactory {

    private StorageFactory() {
    }

    static Store open(StreamingOptions options) {
        return open(options, null);
    }

    /**
     * @param fence the fault-tolerance lock's fence the SQL store writes under, null outside an FT group
     * @throws io.natsee.streaming.store.StoreLockedException when a FILE store's directory is locked by another
     */
    static Store open(StreamingOptions options, Fence fence) {
        return switch (options.store()) {
            case MEMORY -> new MemoryStore(options.limits());
            case FILE -> new FileStore(options.directory(), options.limits(),
                    FileStoreOptions.DEFAULT.withSync(options.fileSync()));
            case SQL -> options.dataSource() != null
                    ? new JdbcStore(options.dataSource(), options.sql(), options.limits(), fence)
                    : JdbcStore.open(options.sql(), options.limits(), fence);
        };
    }
}
