package io.natsee.streaming.store.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** A store directory packed into one snapshot file (a zip of its files) and unpacked again. */
final class SnapshotArchive {
    /** The store's lock file: never copied (each node's store takes its own). */
    private static final String LOCK_FILE = ".rootdir.lck";

    private SnapshotArchive() {
    }

    /** Packs every file under {@code directory} into {@code archive} (written beside it, then renamed). */
    static void pack(Path directory, Path archive) throws IOException {
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(LOCK_FILE)).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(1);
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(directory.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Replaces the content of {@code directory} by the archive's files. */
    static void unpack(Path archive, Path directory) throws IOException {
        clear(directory);
        try (InputStream in = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Path target = directory.resolve(entry.getName()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IOException("snapshot entry outside the store directory: " + entry.getName());
                }
                Files.createDirectories(target.getParent());
                Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Deletes everything inside {@code directory} (which stays, created if absent). */
    static void clear(Path directory) throws IOException {
        Files.createDirectories(directory);
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(directory)) {
                    Files.delete(path);
                }
            }
        }
    }
}
