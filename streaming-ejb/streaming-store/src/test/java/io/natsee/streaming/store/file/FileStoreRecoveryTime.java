package io.natsee.streaming.store.file;

import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.StoreLimits;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A measurement, not a test: how long opening a store takes when its index is rebuilt from the
 * segments. Writes N messages of a given size to one channel, closes, reopens and prints the time.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes io.natsee.streaming.store.file.FileStoreRecoveryTime
 * [messages] [payload bytes]}. It uses a temporary directory and deletes it.
 */
public final class FileStoreRecoveryTime {

    private FileStoreRecoveryTime() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path directory = Files.createTempDirectory("natsee-file-recovery");
        try {
            FileStoreOptions options = FileStoreOptions.DEFAULT;
            byte[] payload = new byte[size];
            try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED, options)) {
                MsgStore log = store.getOrCreateChannel("recovery").messages();
                for (int i = 0; i < messages; i++) {
                    log.append("", payload, i);
                }
                store.flush();
            }
            for (int attempt = 1; attempt <= 3; attempt++) {
                long start = System.nanoTime();
                try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED, options)) {
                    long last = store.lookupChannel("recovery").messages().lastSequence();
                    double millis = (System.nanoTime() - start) / 1e6;
                    System.out.printf("reopen %d: %d messages of %d B recovered in %.0f ms (%.0f messages/s)%n", attempt,
                            last, size, millis, last / millis * 1000);
                }
            }
        } finally {
            FileUtil.deleteTree(directory);
        }
    }
}
