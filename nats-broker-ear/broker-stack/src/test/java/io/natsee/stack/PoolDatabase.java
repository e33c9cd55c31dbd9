package io.natsee.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one stack test, dropped on {@link #close()}, and the Payara
 * post-boot commands of a JDBC pool on it ({@code jdbc/natsee-streaming}), as docs/streaming.md
 * tells users to write them. The server is the one the JDBC store's tests use:
 * {@code natsee.pg.url}, {@code natsee.pg.user}, {@code natsee.pg.password} or {@code NATSEE_PG_*}
 * (CI starts Debian's); {@code -Dnatsee.pg.skip=true} skips the test.
 */
public final class PoolDatabase implements AutoCloseable {

    /** The JNDI name of the pool's resource. */
    public static final String RESOURCE = "jdbc/natsee-streaming";

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final String name;

    private PoolDatabase(String adminUrl, String user, String password, String name) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        URI server = URI.create(adminUrl.substring("jdbc:".length()));
        this.host = server.getHost();
        this.port = server.getPort() < 0 ? 5432 : server.getPort();
        this.name = name;
    }

    /** Creates a database named {@code prefix} and a random suffix (the test is skipped when asked to be). */
    public static PoolDatabase create(String prefix) throws SQLException {
        Assumptions.assumeFalse(Boolean.getBoolean("natsee.pg.skip"), "PostgreSQL tests skipped (-Dnatsee.pg.skip=true)");
        PoolDatabase database = new PoolDatabase(
                setting("natsee.pg.url", "NATSEE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                setting("natsee.pg.user", "NATSEE_PG_USER", "natsee"),
                setting("natsee.pg.password", "NATSEE_PG_PASSWORD", "natsee"),
                prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        database.administer("CREATE DATABASE " + database.name);
        return database;
    }

    public String name() {
        return name;
    }

    /** A connection to this database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + name, user, password);
    }

    /** Writes the asadmin commands of a pool on this database and its resource into {@code directory}. */
    public Path postboot(Path directory, int maxPoolSize) throws Exception {
        return Files.writeString(directory.resolve("pool.asadmin"),
                "create-jdbc-connection-pool --datasourceclassname org.postgresql.ds.PGSimpleDataSource"
                        + " --restype javax.sql.DataSource --steadypoolsize 2 --maxpoolsize " + maxPoolSize
                        + " --property user=" + user + ":password=" + password + ":serverName=" + host
                        + ":portNumber=" + port + ":databaseName=" + name + " natsee-streaming-pool\n"
                        + "create-jdbc-resource --connectionpoolid natsee-streaming-pool " + RESOURCE + "\n");
    }

    /**
     * WildFly's datasource deployment ({@code *-ds.xml}) of a pool on this database, bound to
     * {@code jndiName}, through the driver deployed as {@code driverDeployment} (the driver JAR's
     * file name in the deployments directory).
     */
    public String wildFlyDataSource(String jndiName, String driverDeployment, int maxPoolSize) {
        return "<datasources xmlns=\"urn:jboss:domain:datasources:7.0\">\n"
                + "  <datasource jndi-name=\"" + jndiName + "\" pool-name=\"natsee-streaming\">\n"
                + "    <connection-url>jdbc:postgresql://" + host + ":" + port + "/" + name + "</connection-url>\n"
                + "    <driver>" + driverDeployment + "</driver>\n"
                + "    <pool><min-pool-size>2</min-pool-size><max-pool-size>" + maxPoolSize + "</max-pool-size></pool>\n"
                + "    <security><user-name>" + user + "</user-name><password>" + password + "</password></security>\n"
                + "  </datasource>\n"
                + "</datasources>\n";
    }

    /** The PostgreSQL driver's JAR, for the stack's {@code --addlibs}. */
    public static Path driver() throws Exception {
        return Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Override
    public void close() throws SQLException {
        administer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void administer(String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
