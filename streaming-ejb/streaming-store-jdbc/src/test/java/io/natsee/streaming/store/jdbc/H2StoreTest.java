package io.natsee.streaming.store.jdbc;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;

/** The store contract and the JDBC store's own promises on H2 in file mode. */
class H2StoreTest extends JdbcStoreTestBase {

    @TempDir
    static Path directory;

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected JdbcStoreOptions newDatabase() {
        return JdbcStoreOptions.of(JdbcDialect.H2,
                "jdbc:h2:file:" + directory.resolve("db" + DATABASES.incrementAndGet()).toAbsolutePath());
    }
}
