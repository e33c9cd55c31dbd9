package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubscriptionRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The reads a running store makes on demand: a message, a subscription's record, its pending sequences. */
final class StoreReader {

    private final ConnectionGate connections;

    StoreReader(ConnectionGate connections) {
        this.connections = connections;
    }

    /** A stored message, or null if there is no such row. */
    StoredMessage message(long channelId, String channel, long sequence) {
        return read("read message " + sequence + " of channel " + channel, connection -> {
            try (PreparedStatement select = connection.prepareStatement(SqlStatements.SELECT_MESSAGE)) {
                select.setLong(1, channelId);
                select.setLong(2, sequence);
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? new StoredMessage(sequence, channel, row.getString(2), row.getBytes(3), row.getLong(1))
                            : null;
                }
            }
        });
    }

    /** A subscription's record, or null. */
    SubscriptionRecord subscription(long subscriptionId) {
        return read("read subscription " + subscriptionId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(SqlStatements.SELECT_SUBSCRIPTION)) {
                select.setLong(1, subscriptionId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? subscription(row) : null;
                }
            }
        });
    }

    /** A subscription's pending sequences, ascending. */
    long[] pending(long subscriptionId) {
        return read("read the pending sequences of subscription " + subscriptionId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(SqlStatements.SELECT_PENDING)) {
                select.setLong(1, subscriptionId);
                try (ResultSet rows = select.executeQuery()) {
                    List<Long> sequences = new ArrayList<>();
                    while (rows.next()) {
                        sequences.add(rows.getLong(1));
                    }
                    return sequences.stream().mapToLong(Long::longValue).toArray();
                }
            }
        });
    }

    /** The record of a row of {@link SqlStatements#SUBSCRIPTION_COLUMNS}. */
    static SubscriptionRecord subscription(ResultSet row) throws SQLException {
        return new SubscriptionRecord(row.getLong(1), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getInt(7), row.getInt(8), row.getString(9), row.getLong(10),
                row.getBoolean(11), row.getBoolean(12), AttributeCodec.decode(row.getString(13)));
    }

    /** A query on a connection of the gate. */
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs a query; a failure becomes a {@link StoreException} saying what was read. */
    <T> T read(String what, Query<T> query) {
        Connection connection;
        try {
            connection = connections.acquire();
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
        }
        boolean healthy = false;
        try {
            T result = query.run(connection);
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
        } finally {
            connections.release(connection, healthy);
        }
    }
}
