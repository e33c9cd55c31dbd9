package io.natsee.streaming.store.jdbc;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;

/** The FT lock on H2 (file mode; the servers of an FT group would reach it in server mode). */
class H2FtLockTest extends JdbcFtLockTestBase {

    @TempDir
    static Path directory;

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected JdbcStoreOptions newDatabase() {
        return JdbcStoreOptions.of(JdbcDialect.H2,
                "jdbc:h2:file:" + directory.resolve("lock" + DATABASES.incrementAndGet()).toAbsolutePath());
    }
}
