package io.natsee.streaming.compat;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throw-away PostgreSQL database for one test, created on the server of {@code natsee.pg.url} /
 * {@code NATSEE_PG_URL} as {@code natsee.pg.user} / {@code natsee.pg.password} (defaults: 127.0.0.1:5432,
 * natsee/natsee) and dropped by {@link #close()}. An unreachable server fails the test unless
 * {@code -Dnatsee.pg.skip=true}.
 */
final class PostgresDatabase implements AutoCloseable {
    private final String adminUrl;
    private final String user;
    private final String password;
    final String name;
    final String host;
    final int port;

    private PostgresDatabase(String adminUrl, String user, String password, String name) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        Matcher matcher = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?").matcher(adminUrl);
        if (!matcher.lookingAt()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + adminUrl);
        }
        host = matcher.group(1);
        port = matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2));
    }

    private static String setting(String property, String environment, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    static PostgresDatabase create(String prefix) throws SQLException {
        Assumptions.assumeFalse(Boolean.getBoolean("natsee.pg.skip"), "PostgreSQL tests skipped (natsee.pg.skip)");
        String url = setting("natsee.pg.url", "NATSEE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = setting("natsee.pg.user", "NATSEE_PG_USER", "natsee");
        String password = setting("natsee.pg.password", "NATSEE_PG_PASSWORD", "natsee");
        String name = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        PostgresDatabase database = new PostgresDatabase(url, user, password, name);
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL at " + url + " as " + user + " is needed (start it, or pass "
                    + "-Dnatsee.pg.skip=true): " + e.getMessage(), e);
        }
        return database;
    }

    /** The database as lib/pq's key=value source, the form the reference documents for {@code --sql_source}. */
    String libPqSource() {
        return "host=" + host + " port=" + port + " dbname=" + name + " user=" + user + " password=" + password
                + " sslmode=disable";
    }

    /** The database as a JDBC URL with the credentials. */
    String jdbcSource() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?user=" + user + "&password=" + password;
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
