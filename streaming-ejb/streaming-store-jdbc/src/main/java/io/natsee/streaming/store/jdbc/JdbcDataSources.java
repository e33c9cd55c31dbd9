package io.natsee.streaming.store.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Unpooled DataSources for standalone use (the store keeps its own few connections open, see
 * {@link ConnectionGate}); inside an application server the container's pool is used instead.
 */
public final class JdbcDataSources {

    private JdbcDataSources() {
    }

    /**
     * A DataSource for the options' driver and source.
     *
     * @throws IllegalArgumentException if the source is missing or belongs to another database
     */
    public static DataSource create(JdbcStoreOptions options) {
        String url = jdbcUrl(options.driver(), options.source());
        JdbcDialect ofUrl = JdbcDialect.fromUrl(url);
        if (ofUrl != options.driver()) {
            throw new IllegalArgumentException("sql source " + redact(url) + " is not a "
                    + options.driver().driverName() + " JDBC URL");
        }
        if (options.driver() == JdbcDialect.H2) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            if (options.user() != null) {
                h2.setUser(options.user());
            }
            if (options.password() != null) {
                h2.setPassword(options.password());
            }
            return h2;
        }
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(url);
        if (options.user() != null) {
            postgres.setUser(options.user());
        }
        if (options.password() != null) {
            postgres.setPassword(options.password());
        }
        return postgres;
    }

    /**
     * The JDBC URL of a source: a JDBC URL as is; for PostgreSQL, a lib/pq DSN of
     * {@code key=value} pairs ({@code host}, {@code port}, {@code dbname}, {@code user},
     * {@code password}, {@code sslmode}, others passed as URL parameters) turned into one.
     *
     * @throws IllegalArgumentException if the source is empty or not understood
     */
    public static String jdbcUrl(JdbcDialect driver, String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("sql source is required for the " + driver.driverName() + " driver");
        }
        String trimmed = source.trim();
        if (trimmed.startsWith("jdbc:")) {
            return trimmed;
        }
        if (driver == JdbcDialect.H2) {
            throw new IllegalArgumentException("sql source for h2 must be a JDBC URL (jdbc:h2:...)");
        }
        if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
            return fromPostgresUrl(trimmed);
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : trimmed.split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("sql source: expected key=value, got \"" + redactPair(pair) + "\"");
            }
            pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        String host = pairs.remove("host");
        String port = pairs.remove("port");
        String database = pairs.remove("dbname");
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host == null ? "localhost" : host);
        if (port != null) {
            url.append(':').append(port);
        }
        url.append('/').append(database == null ? "" : database);
        char separator = '?';
        for (Map.Entry<String, String> entry : pairs.entrySet()) {
            url.append(separator).append(entry.getKey()).append('=')
                    .append(java.net.URLEncoder.encode(entry.getValue(), java.nio.charset.StandardCharsets.UTF_8));
            separator = '&';
        }
        return url.toString();
    }

    /**
     * A lib/pq URL ({@code postgres://user:password@host:port/dbname?sslmode=disable}) as a JDBC URL:
     * the user and password become parameters, the query is kept.
     */
    private static String fromPostgresUrl(String source) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(source);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("sql source: not a valid URL: " + redact(source), e);
        }
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(uri.getHost() == null ? "localhost" : uri.getHost());
        if (uri.getPort() > 0) {
            url.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        url.append(path);
        char separator = '?';
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            url.append('?').append(uri.getRawQuery());
            separator = '&';
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            url.append(separator).append("user=").append(user);
            if (colon >= 0) {
                url.append("&password=").append(userInfo.substring(colon + 1));
            }
        }
        return url.toString();
    }

    /** The source with any password value replaced by {@code ***}, for messages and logs. */
    static String redact(String source) {
        if (source == null) {
            return null;
        }
        return source.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
    }

    private static String redactPair(String pair) {
        return redact(pair);
    }
}
