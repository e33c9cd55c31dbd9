package io.natsee.streaming.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Servers that start together on an empty PostgreSQL database (the members of an FT group, say)
 * all create the schema at once: PostgreSQL's {@code CREATE TABLE IF NOT EXISTS} is not safe
 * against a concurrent twin (it fails on the catalog's unique index), so every one of them must
 * still succeed, and the store row must be there once.
 */
class PostgresSchemaInstallTest {

    private static final int SERVERS = 8;
    private static final int ROUNDS = 10;

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

    @Test
    void serversCreatingTheSchemaAtOnceAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SERVERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                JdbcStoreOptions options = database.newSchema();
                DataSource dataSource = JdbcDataSources.create(options);
                CyclicBarrier start = new CyclicBarrier(SERVERS);
                List<Future<?>> installs = new ArrayList<>();
                for (int i = 0; i < SERVERS; i++) {
                    installs.add(pool.submit(() -> {
                        try (Connection connection = dataSource.getConnection()) {
                            start.await(10, TimeUnit.SECONDS);
                            StoreLoader.installSchema(connection, JdbcDialect.POSTGRES);
                            assertTrue(connection.getAutoCommit(), "autocommit given back");
                        }
                        return null;
                    }));
                }
                for (Future<?> install : installs) {
                    install.get(60, TimeUnit.SECONDS); // throws the install's failure, if any
                }
                try (Connection connection = dataSource.getConnection();
                     Statement statement = connection.createStatement();
                     ResultSet count = statement.executeQuery("SELECT count(*) FROM natsee_store")) {
                    assertTrue(count.next());
                    assertEquals(1, count.getInt(1), "round " + round + ": the store row, once");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
