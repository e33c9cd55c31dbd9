package io.natsee.streaming.store.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A part of a {@link FileStore} with buffered changes that a flush round must write out and sync. */
interface Durable {

    /**
     * Writes the buffered records to the operating system (and compacts, if due) and adds the logs
     * to fsync and the directories whose entries changed to {@code batch}. Called by the flush
     * leader only; takes this part's own lock.
     */
    void writeOut(Batch batch) throws IOException;

    /** What one flush round must sync once every part has written out. */
    final class Batch {
        final List<RecordLog> logs = new ArrayList<>();
        final Set<Path> directories = new LinkedHashSet<>();
    }
}
