package io.natsee.streaming.store.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The FT lock on PostgreSQL. */
class PostgresFtLockTest extends JdbcFtLockTestBase {

    private static PostgresTestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = PostgresTestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected JdbcStoreOptions newDatabase() {
        return database.newSchema();
    }
}
