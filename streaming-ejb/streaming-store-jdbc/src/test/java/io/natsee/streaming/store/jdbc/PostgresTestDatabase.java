package io.natsee.streaming.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL database for one test class: {@code CREATE DATABASE natsee_test_<random>}
 * on the server named by {@code natsee.pg.url} / {@code NATSEE_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}), as {@code natsee.pg.user} / {@code NATSEE_PG_USER}
 * (default {@code natsee}) with {@code natsee.pg.password} / {@code NATSEE_PG_PASSWORD} (default
 * {@code natsee}); dropped by {@link #close()}. Each {@link #newSchema()} is an empty schema in it.
 * An unreachable server fails the test with instructions, unless {@code -Dnatsee.pg.skip=true}.
 */
final class PostgresTestDatabase implements AutoCloseable {

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String database;
    private final String url;
    private final AtomicInteger schemas = new AtomicInteger();

    private PostgresTestDatabase(String adminUrl, String user, String password, String database) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.database = database;
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = adminUrl.indexOf('?', slash);
        this.url = adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    private static String setting(String property, String environment, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    /** Creates the database, or fails with how to start PostgreSQL. */
    static PostgresTestDatabase create() {
        Assumptions.assumeFalse(Boolean.getBoolean("natsee.pg.skip"), "PostgreSQL tests skipped (-Dnatsee.pg.skip=true)");
        String adminUrl = setting("natsee.pg.url", "NATSEE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = setting("natsee.pg.user", "NATSEE_PG_USER", "natsee");
        String password = setting("natsee.pg.password", "NATSEE_PG_PASSWORD", "natsee");
        String database = "natsee_test_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36)
                .toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + adminUrl + " as " + user + " ("
                    + e.getMessage() + "). Start it and create the test role as .ci/run does:"
                    + " pg_ctlcluster <version> main start (versions: pg_lsclusters), then"
                    + " su postgres -c \"psql -c \\\"CREATE ROLE natsee LOGIN CREATEDB PASSWORD 'natsee'\\\"\";"
                    + " or point -Dnatsee.pg.url/-Dnatsee.pg.user/-Dnatsee.pg.password elsewhere;"
                    + " or skip these tests with -Dnatsee.pg.skip=true.", e);
        }
        return new PostgresTestDatabase(adminUrl, user, password, database);
    }

    /** The database's JDBC URL. */
    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** Store options for a new, empty schema of this database. */
    JdbcStoreOptions newSchema() {
        String schema = "s" + schemas.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("cannot create schema " + schema + " in " + database, e);
        }
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return JdbcStoreOptions.of(JdbcDialect.POSTGRES, schemaUrl).withCredentials(user, password);
    }

    /**
     * Drops the database. A plain DROP first: it also stops an autovacuum worker, which FORCE
     * would need pg_signal_backend for; FORCE only when a failed test left connections open.
     */
    @Override
    public void close() throws SQLException {
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = admin.createStatement()) {
            try {
                statement.execute("DROP DATABASE IF EXISTS " + database);
            } catch (SQLException inUse) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }
}
