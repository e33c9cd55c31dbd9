package io.natsee.streaming.server;

/** Opens the store the options name. */
final class StorageFactory {

    private StorageFactory() {
    }

    static Storage open(StreamingOptions options) {
        return switch (options.store()) {
            case MEMORY -> new MemoryStorage(options.limits());
            case FILE -> throw new IllegalStateException("the FILE store is not available in this build yet");
        };
    }
}
