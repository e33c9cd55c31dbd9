package io.natsee.streaming.store.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract and the JDBC store's own promises on PostgreSQL, one schema per test in a database of this class. */
class PostgresStoreTest extends JdbcStoreTestBase {

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
