package io.natsee.streaming.store.jdbc;

import java.util.Objects;
import java.util.Properties;

/**
 * The JDBC store's options: the reference's {@code sql_options} ({@code driver}, {@code source},
 * {@code no_caching}, {@code max_open_conns}, {@code bulk_insert_limit}) plus the credentials and
 * the size of the subscription cache.
 *
 * @param driver the database: {@code postgres} or {@code h2}
 * @param source where the database is, for {@link JdbcDataSources#create}: a JDBC URL
 *        ({@code jdbc:postgresql://...}, {@code jdbc:h2:file:...}) or, for PostgreSQL, a
 *        lib/pq-style DSN ({@code host=... port=... dbname=... user=... password=...}); unused when
 *        the caller brings its own DataSource (the application server's)
 * @param user the database user, null to take it from {@code source} or the DataSource
 * @param password the user's password, null likewise
 * @param noCaching write-through: every change is committed when it is made (no group commit, no
 *        subscription cache, every read goes to the database)
 * @param maxOpenConns connections the store uses at once, 0 for no bound
 * @param bulkInsertLimit messages stored with one SQL {@code INSERT} statement, at least 1
 * @param subscriptionCacheSize subscriptions whose state (record and pending sequences) is held in
 *        memory; those changed since the last commit are always held; 0 keeps only those
 */
public record JdbcStoreOptions(JdbcDialect driver, String source, String user, String password,
                               boolean noCaching, int maxOpenConns, int bulkInsertLimit,
                               int subscriptionCacheSize) {

    /** Connections used at once by default: enough for a flusher and concurrent readers on 2-8 cores. */
    public static final int DEFAULT_MAX_OPEN_CONNS = 8;

    /** Messages per {@code INSERT} by default: large enough to amortise a round trip, small enough for any driver's parameter limit. */
    public static final int DEFAULT_BULK_INSERT_LIMIT = 1000;

    /** Subscriptions cached by default. */
    public static final int DEFAULT_SUBSCRIPTION_CACHE_SIZE = 10_000;

    /** Checks the values. */
    public JdbcStoreOptions {
        Objects.requireNonNull(driver, "driver");
        if (maxOpenConns < 0) {
            throw new IllegalArgumentException("sql max open connections cannot be negative (" + maxOpenConns + ")");
        }
        if (bulkInsertLimit < 1) {
            throw new IllegalArgumentException("sql bulk insert limit must be at least 1 (" + bulkInsertLimit + ")");
        }
        if (subscriptionCacheSize < 0) {
            throw new IllegalArgumentException(
                    "sql subscription cache size cannot be negative (" + subscriptionCacheSize + ")");
        }
    }

    /** The defaults for a database at {@code source}. */
    public static JdbcStoreOptions of(JdbcDialect driver, String source) {
        return new JdbcStoreOptions(driver, source, null, null, false, DEFAULT_MAX_OPEN_CONNS,
                DEFAULT_BULK_INSERT_LIMIT, DEFAULT_SUBSCRIPTION_CACHE_SIZE);
    }

    /**
     * Options from properties with the reference's key names: {@code sql_driver} (required),
     * {@code sql_source}, {@code sql_user}, {@code sql_password}, {@code sql_no_caching},
     * {@code sql_max_open_conns}, {@code sql_bulk_insert_limit}, {@code sql_subscription_cache_size}.
     *
     * @throws IllegalArgumentException naming the bad key and value
     */
    public static JdbcStoreOptions fromProperties(Properties properties) {
        String driverName = properties.getProperty("sql_driver");
        if (driverName == null) {
            throw new IllegalArgumentException("sql_driver is required (postgres or h2)");
        }
        return new JdbcStoreOptions(JdbcDialect.fromDriverName(driverName), properties.getProperty("sql_source"),
                properties.getProperty("sql_user"), properties.getProperty("sql_password"),
                Boolean.parseBoolean(properties.getProperty("sql_no_caching", "false")),
                integer(properties, "sql_max_open_conns", DEFAULT_MAX_OPEN_CONNS),
                integer(properties, "sql_bulk_insert_limit", DEFAULT_BULK_INSERT_LIMIT),
                integer(properties, "sql_subscription_cache_size", DEFAULT_SUBSCRIPTION_CACHE_SIZE));
    }

    private static int integer(Properties properties, String key, int defaultValue) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: \"" + value + "\"", e);
        }
    }

    /** These options with caching on or off. */
    public JdbcStoreOptions withNoCaching(boolean value) {
        return new JdbcStoreOptions(driver, source, user, password, value, maxOpenConns, bulkInsertLimit,
                subscriptionCacheSize);
    }

    /** These options with another bulk insert limit. */
    public JdbcStoreOptions withBulkInsertLimit(int value) {
        return new JdbcStoreOptions(driver, source, user, password, noCaching, maxOpenConns, value,
                subscriptionCacheSize);
    }

    /** These options with another bound on open connections. */
    public JdbcStoreOptions withMaxOpenConns(int value) {
        return new JdbcStoreOptions(driver, source, user, password, noCaching, value, bulkInsertLimit,
                subscriptionCacheSize);
    }

    /** These options with another subscription cache size. */
    public JdbcStoreOptions withSubscriptionCacheSize(int value) {
        return new JdbcStoreOptions(driver, source, user, password, noCaching, maxOpenConns, bulkInsertLimit, value);
    }

    /** These options with credentials. */
    public JdbcStoreOptions withCredentials(String newUser, String newPassword) {
        return new JdbcStoreOptions(driver, source, newUser, newPassword, noCaching, maxOpenConns, bulkInsertLimit,
                subscriptionCacheSize);
    }

    /** Hides the password. */
    @Override
    public String toString() {
        return "JdbcStoreOptions[driver=" + driver.driverName() + ", source=" + JdbcDataSources.redact(source)
                + ", user=" + user + ", noCaching=" + noCaching + ", maxOpenConns=" + maxOpenConns
                + ", bulkInsertLimit=" + bulkInsertLimit + ", subscriptionCacheSize=" + subscriptionCacheSize + "]";
    }
}
