package io.natsee.streaming.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File helpers of the file store: directory sync, atomic replace, recursive delete. */
final class FileUtil {

    private FileUtil() {
    }

    /**
     * Makes a directory's entries (created, renamed, deleted files) durable. Linux supports
     * fsync on a directory; where opening one fails (some platforms), it is skipped.
     */
    static void syncDirectory(Path directory) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }

    /** Writes {@code bytes} to {@code target} through a temporary file, fsynced, renamed and the directory synced. */
    static void writeAtomically(Path target, byte[] bytes, boolean sync) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(true);
            }
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (sync) {
            syncDirectory(target.getParent());
        }
    }

    /**
     * Whether a file whose first record (its header) is not readable was torn while being created
     * (no longer than a header, or zeros only, as a crash of the machine can leave it) rather than
     * being something else that must not be deleted.
     */
    static boolean tornAtCreation(Path file, int headerBytes) throws IOException {
        long size = Files.size(file);
        if (size <= headerBytes) {
            return true;
        }
        if (size > 1024 * 1024) {
            return false;
        }
        for (byte b : Files.readAllBytes(file)) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Deletes a directory tree; missing entries are fine. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                try {
                    Files.delete(file);
                } catch (NoSuchFileException e) {
                    // Already gone.
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
