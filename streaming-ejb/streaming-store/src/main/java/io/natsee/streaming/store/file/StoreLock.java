package io.natsee.streaming.store.file;

import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoreLockedException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock of a store directory: an OS file lock on {@code .rootdir.lck} (the reference's
 * name), which also holds the owner's process id for the error message of the next one trying.
 *
 * <p>The set of directories locked by this process is static on purpose: OS record locks belong to
 * the process, and closing any other channel on the lock file would silently drop the lock, so a
 * second store in this process must be refused before it opens the file.
 */
final class StoreLock implements AutoCloseable {

    static final String FILE = ".rootdir.lck";
    private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks the directory.
     *
     * @throws StoreLockedException if another process or another store of this process holds it
     */
    static StoreLock acquire(Path root) {
        Path key;
        try {
            key = root.toRealPath();
        } catch (IOException e) {
            throw new StoreException("cannot open store directory " + root + ": " + e, e);
        }
        if (!HELD_BY_THIS_PROCESS.add(key)) {
            throw new StoreLockedException("store directory " + root + " is already open in this process");
        }
        Path file = key.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = owner(file);
                channel.close();
                HELD_BY_THIS_PROCESS.remove(key);
                throw new StoreLockedException("store directory " + root + " is locked by another process"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")"));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new StoreLock(key, channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            HELD_BY_THIS_PROCESS.remove(key);
            throw new StoreException("cannot lock store directory " + root + ": " + e, e);
        }
    }

    private static String owner(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The process keeps no lock on a closed channel; nothing else to undo.
        } finally {
            HELD_BY_THIS_PROCESS.remove(key);
        }
    }
}
