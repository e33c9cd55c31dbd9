package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.CorruptStoreException;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.SubscriptionRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens a database for the store: creates the schema if absent, then reads everything back in one
 * read-only transaction (counters, server info, clients, channels with their message index,
 * subscriptions with their pending sequences).
 */
final class StoreLoader {

    /** Rows fetched per round trip while reading a message index. */
    private static final int FETCH_SIZE = 10_000;

    /** A channel as found. */
    record LoadedChannel(long id, String name, MessageIndex index, long first, long last) {
    }

    /** A subscription as found. */
    record LoadedSubscription(long channelId, SubscriptionRecord record, long[] pending) {
    }

    /** Everything found. */
    record Loaded(long nextChannelId, long nextSubscriptionId, ServerInfoRecord serverInfo,
                  Map<String, ClientRecord> clients, Map<String, Long> clientOrder,
                  List<LoadedChannel> channels, List<LoadedSubscription> subscriptions) {
    }

    private StoreLoader() {
    }

    /**
     * Creates the schema if absent (idempotent: every statement is IF NOT EXISTS). Where the
     * dialect has a schema lock (PostgreSQL), the schema and the store row are created in one
     * transaction under it, so servers starting together wait for each other instead of colliding;
     * elsewhere a collision is tried once more, and the second try sees the first one's tables.
     */
    static void installSchema(Connection connection, JdbcDialect dialect) throws SQLException {
        if (dialect.schemaLock() != null) {
            installLocked(connection, dialect);
        } else {
            installRetrying(connection, dialect);
        }
        applyDurabilitySettings(connection, dialect);
    }

    private static void installLocked(Connection connection, JdbcDialect dialect) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute(dialect.schemaLock());
                for (String sql : dialect.schemaStatements()) {
                    statement.execute(sql);
                }
            }
            insertStoreRow(connection);
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void installRetrying(Connection connection, JdbcDialect dialect) throws SQLException {
        SQLException firstFailure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Statement statement = connection.createStatement()) {
                for (String sql : dialect.schemaStatements()) {
                    statement.execute(sql);
                }
                insertStoreRow(connection);
                return;
            } catch (SQLException e) {
                if (firstFailure != null) {
                    firstFailure.addSuppressed(e);
                    throw firstFailure;
                }
                firstFailure = e;
            }
        }
    }

    /**
     * Applies the dialect's crash-safety settings; a user without the right to change them (an
     * application server's pooled user, say) gets a warning, not a failure.
     */
    private static void applyDurabilitySettings(Connection connection, JdbcDialect dialect) {
        for (String sql : dialect.durabilitySettings()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                System.getLogger(StoreLoader.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot run \"{0}\" ({1}): commits of the last moments before a crash may be lost;"
                                + " set it on the database as an administrator", sql, e.getMessage());
            }
        }
    }

    private static void insertStoreRow(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(SqlStatements.SELECT_STORE)) {
            if (row.next()) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(SqlStatements.INSERT_STORE)) {
            insert.setInt(1, SqlStatements.SCHEMA_VERSION);
            insert.executeUpdate();
        }
    }

    /** Reads the store. */
    static Loaded load(ConnectionGate connections, JdbcDialect dialect) {
        Connection connection;
        try {
            connection = connections.acquire();
        } catch (SQLException e) {
            throw new StoreException("cannot connect to the " + dialect.driverName() + " database: " + e.getMessage(), e);
        }
        boolean healthy = false;
        try {
            installSchema(connection, dialect);
            connection.setAutoCommit(false);
            try {
                Loaded loaded = read(connection);
                connection.commit();
                healthy = true;
                return loaded;
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the " + dialect.driverName() + " store: " + e.getMessage(), e);
        } finally {
            connections.release(connection, healthy);
        }
    }

    private static Loaded read(Connection connection) throws SQLException {
        long nextChannelId;
        long nextSubscriptionId;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(SqlStatements.SELECT_STORE)) {
            if (!row.next()) {
                throw new CorruptStoreException("natsee_store has no row");
            }
            int version = row.getInt(1);
            if (version != SqlStatements.SCHEMA_VERSION) {
                throw new CorruptStoreException("unknown store schema version " + version + " (this server reads "
                        + SqlStatements.SCHEMA_VERSION + ")");
            }
            nextChannelId = row.getLong(2);
            nextSubscriptionId = row.getLong(3);
        }
        ServerInfoRecord serverInfo = null;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(SqlStatements.SELECT_SERVER_INFO)) {
            if (row.next()) {
                serverInfo = new ServerInfoRecord(row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                        row.getString(9));
            }
        }
        Map<String, ClientRecord> clients = new LinkedHashMap<>();
        Map<String, Long> clientOrder = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(SqlStatements.SELECT_CLIENTS)) {
            while (rows.next()) {
                ClientRecord client = new ClientRecord(rows.getString(1), rows.getString(3), rows.getBytes(4),
                        rows.getInt(5), rows.getInt(6), rows.getInt(7));
                clients.put(client.id(), client);
                clientOrder.put(client.id(), rows.getLong(2));
            }
        }
        List<long[]> channelRows = new ArrayList<>();
        List<String> channelNames = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(SqlStatements.SELECT_CHANNELS)) {
            while (rows.next()) {
                channelRows.add(new long[] {rows.getLong(1), rows.getLong(3)});
                channelNames.add(rows.getString(2));
            }
        }
        List<LoadedChannel> channels = new ArrayList<>();
        for (int i = 0; i < channelRows.size(); i++) {
            channels.add(readChannel(connection, channelRows.get(i)[0], channelNames.get(i), channelRows.get(i)[1]));
            nextChannelId = Math.max(nextChannelId, channelRows.get(i)[0] + 1);
        }
        Map<Long, List<Long>> pending = new HashMap<>();
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = statement.executeQuery(SqlStatements.SELECT_ALL_PENDING)) {
                while (rows.next()) {
                    pending.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(rows.getLong(2));
                }
            }
        }
        List<LoadedSubscription> subscriptions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(SqlStatements.SELECT_SUBSCRIPTIONS)) {
            while (rows.next()) {
                SubscriptionRecord record = StoreReader.subscription(rows);
                long[] sequences = pending.getOrDefault(record.id(), List.of()).stream()
                        .mapToLong(Long::longValue).toArray();
                subscriptions.add(new LoadedSubscription(rows.getLong(2), record, sequences));
                nextSubscriptionId = Math.max(nextSubscriptionId, record.id() + 1);
            }
        }
        return new Loaded(nextChannelId, nextSubscriptionId, serverInfo, clients, clientOrder, channels, subscriptions);
    }

    private static LoadedChannel readChannel(Connection connection, long id, String name, long firstColumn)
            throws SQLException {
        MessageIndex index = new MessageIndex();
        try (PreparedStatement select = connection.prepareStatement(SqlStatements.SELECT_MESSAGE_INDEX)) {
            select.setFetchSize(FETCH_SIZE);
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                long expected = -1;
                while (rows.next()) {
                    long sequence = rows.getLong(1);
                    if (expected >= 0 && sequence != expected) {
                        throw new CorruptStoreException("channel " + name + ": message " + expected
                                + " is missing before " + sequence);
                    }
                    index.add(sequence, rows.getLong(2), rows.getInt(3));
                    expected = sequence + 1;
                }
            }
        }
        if (index.count() > 0) {
            return new LoadedChannel(id, name, index, index.firstSequence(), index.firstSequence() + index.count() - 1);
        }
        // No row: never stored (first_seq still 1), or every message dropped (first_seq is last + 1).
        return firstColumn <= 1 ? new LoadedChannel(id, name, index, 0, 0)
                : new LoadedChannel(id, name, index, firstColumn, firstColumn - 1);
    }
}
