package io.natsee.streaming.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The databases the JDBC store supports, with their schema script and the statements that differ. */
public enum JdbcDialect {

    /** PostgreSQL, the production target. */
    POSTGRES("postgres", "postgres.sql",
            "INSERT INTO natsee_pending (sub_id, seq) VALUES (?, ?) ON CONFLICT DO NOTHING", List.of(),
            // CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin on PostgreSQL (it
            // fails on the catalog's unique index); this transaction-scoped lock makes servers
            // that start together create the schema one after the other. The key spells "natsee_s".
            "SELECT pg_advisory_xact_lock(" + 0x6e61747365655f73L + ")"),

    /** H2 2.x, the embedded default inside the application server. */
    H2("h2", "h2.sql",
            "MERGE INTO natsee_pending (sub_id, seq) KEY (sub_id, seq) VALUES (?, ?)",
            // H2 writes commits to its file up to WRITE_DELAY (500 ms) later by default: a process
            // killed in that window loses committed transactions. 0 writes at each commit.
            List.of("SET WRITE_DELAY 0"), null);

    private final String driverName;
    private final String schemaResource;
    private final String insertPending;
    private final List<String> durabilitySettings;
    private final String schemaLock;

    JdbcDialect(String driverName, String schemaResource, String insertPending, List<String> durabilitySettings,
                String schemaLock) {
        this.driverName = driverName;
        this.schemaResource = schemaResource;
        this.insertPending = insertPending;
        this.durabilitySettings = durabilitySettings;
        this.schemaLock = schemaLock;
    }

    /**
     * The statement that, run first in the schema's transaction, holds off other servers creating
     * the schema until that transaction ends; null where the database needs none.
     */
    String schemaLock() {
        return schemaLock;
    }

    /** Statements run at every open so that a commit survives a process crash (database settings). */
    List<String> durabilitySettings() {
        return durabilitySettings;
    }

    /** The name of the reference's {@code sql_driver} option: {@code postgres} or {@code h2}. */
    public String driverName() {
        return driverName;
    }

    /** The schema script's resource name, beside this class. */
    public String schemaResource() {
        return schemaResource;
    }

    /** Inserts a pending sequence, doing nothing when it is pending already. */
    String insertPending() {
        return insertPending;
    }

    /**
     * The dialect of a {@code sql_driver} value ({@code postgres}, {@code postgresql} or {@code h2},
     * any case).
     *
     * @throws IllegalArgumentException naming the supported drivers
     */
    public static JdbcDialect fromDriverName(String name) {
        String lower = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "postgres", "postgresql" -> POSTGRES;
            case "h2" -> H2;
            default -> throw new IllegalArgumentException(
                    "unsupported sql driver \"" + name + "\" (supported: postgres, h2)");
        };
    }

    /** The dialect a JDBC URL belongs to, or null if neither. */
    public static JdbcDialect fromUrl(String url) {
        if (url == null) {
            return null;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        return url.startsWith("jdbc:h2:") ? H2 : null;
    }

    /** The schema script's statements, comments removed, in order. */
    public List<String> schemaStatements() {
        String script;
        try (InputStream in = JdbcDialect.class.getResourceAsStream(schemaResource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + schemaResource + " is missing");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema resource " + schemaResource, e);
        }
        StringBuilder withoutComments = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            withoutComments.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String statement : withoutComments.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.trim());
            }
        }
        return statements;
    }
}
