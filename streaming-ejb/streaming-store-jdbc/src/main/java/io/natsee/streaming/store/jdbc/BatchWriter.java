package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubscriptionRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes closed {@link WriteBatch}es in one transaction, in the order their class comment gives,
 * with statements of one kind sent as JDBC batches and messages as multi-row inserts of at most the
 * bulk insert limit. Checks the {@link Fence} first when there is one.
 */
final class BatchWriter {

    /** PostgreSQL accepts at most 65535 parameters in one statement. */
    private static final int MAX_PARAMETERS = 65_535;

    private final JdbcDialect dialect;
    private final int rowsPerInsert;
    private final Fence fence;

    BatchWriter(JdbcDialect dialect, int bulkInsertLimit, Fence fence) {
        this.dialect = dialect;
        this.rowsPerInsert = Math.min(bulkInsertLimit, MAX_PARAMETERS / SqlStatements.INSERT_MESSAGES_PARAMETERS);
        this.fence = fence;
    }

    /** Writes and commits the batches; rolls back and rethrows on failure. */
    void write(Connection connection, List<WriteBatch> batches) throws SQLException {
        connection.setAutoCommit(false);
        try {
            checkFence(connection);
            try (Statements statements = new Statements(connection)) {
                for (WriteBatch batch : batches) {
                    write(statements, batch);
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Checks the fence (when there is one) inside the caller's transaction. */
    void checkFence(Connection connection) throws SQLException {
        if (fence == null) {
            return;
        }
        try (PreparedStatement check = connection.prepareStatement(SqlStatements.CHECK_FENCE)) {
            check.setString(1, fence.lockName());
            check.setLong(2, fence.token());
            if (check.executeUpdate() != 1) {
                throw new FencedException(fence);
            }
        }
    }

    private void write(Statements statements, WriteBatch batch) throws SQLException {
        for (WriteBatch.Change change : batch.changes) {
            writeChange(statements, change);
        }
        writeMessages(statements, batch.messages);
        for (Map.Entry<Long, Long> trim : batch.trims.entrySet()) {
            PreparedStatement delete = statements.get(SqlStatements.DELETE_MESSAGES_BEFORE);
            delete.setLong(1, trim.getKey());
            delete.setLong(2, trim.getValue());
            delete.addBatch();
            PreparedStatement first = statements.get(SqlStatements.UPDATE_CHANNEL_FIRST);
            first.setLong(1, trim.getValue());
            first.setLong(2, trim.getKey());
            first.setLong(3, trim.getValue());
            first.addBatch();
        }
        statements.flush();
        for (Map.Entry<Long, Map<Long, Boolean>> ofSubscription : batch.pending.entrySet()) {
            for (Map.Entry<Long, Boolean> change : ofSubscription.getValue().entrySet()) {
                PreparedStatement statement = statements.get(change.getValue()
                        ? dialect.insertPending() : SqlStatements.DELETE_PENDING);
                statement.setLong(1, ofSubscription.getKey());
                statement.setLong(2, change.getKey());
                statement.addBatch();
            }
        }
        statements.flush();
        for (Map.Entry<Long, Long> raise : batch.lastSent.entrySet()) {
            PreparedStatement statement = statements.get(SqlStatements.RAISE_LAST_SENT);
            statement.setLong(1, raise.getValue());
            statement.setLong(2, raise.getKey());
            statement.setLong(3, raise.getValue());
            statement.addBatch();
        }
        statements.flush();
        for (long channelId : batch.channelDeletes) {
            for (String sql : new String[] {SqlStatements.DELETE_CHANNEL_PENDING,
                    SqlStatements.DELETE_CHANNEL_SUBSCRIPTIONS, SqlStatements.DELETE_CHANNEL_MESSAGES,
                    SqlStatements.DELETE_CHANNEL}) {
                PreparedStatement statement = statements.single(sql);
                statement.setLong(1, channelId);
                statement.executeUpdate();
            }
        }
        if (batch.nextChannelId >= 0) {
            PreparedStatement counters = statements.single(SqlStatements.UPDATE_COUNTERS);
            counters.setLong(1, batch.nextChannelId);
            counters.setLong(2, batch.nextSubscriptionId);
            counters.executeUpdate();
        }
    }

    private void writeChange(Statements statements, WriteBatch.Change change) throws SQLException {
        if (change instanceof WriteBatch.ServerInfoPut put) {
            statements.get(SqlStatements.DELETE_SERVER_INFO).addBatch();
            PreparedStatement insert = statements.get(SqlStatements.INSERT_SERVER_INFO);
            ServerInfoRecord info = put.info();
            insert.setString(1, info.clusterId());
            insert.setString(2, info.discoverSubject());
            insert.setString(3, info.publishPrefix());
            insert.setString(4, info.subscribeSubject());
            insert.setString(5, info.unsubscribeSubject());
            insert.setString(6, info.closeSubject());
            insert.setString(7, info.subCloseSubject());
            insert.setString(8, info.acksSubject());
            insert.setString(9, info.nodeId());
            insert.addBatch();
        } else if (change instanceof WriteBatch.ClientPut put) {
            PreparedStatement delete = statements.get(SqlStatements.DELETE_CLIENT);
            delete.setString(1, put.client().id());
            delete.addBatch();
            PreparedStatement insert = statements.get(SqlStatements.INSERT_CLIENT);
            ClientRecord client = put.client();
            insert.setString(1, client.id());
            insert.setLong(2, put.ord());
            insert.setString(3, client.heartbeatInbox());
            insert.setBytes(4, client.connectionId());
            insert.setInt(5, client.protocol());
            insert.setInt(6, client.pingIntervalSeconds());
            insert.setInt(7, client.pingMaxOut());
            insert.addBatch();
        } else if (change instanceof WriteBatch.ClientDelete delete) {
            PreparedStatement statement = statements.get(SqlStatements.DELETE_CLIENT);
            statement.setString(1, delete.clientId());
            statement.addBatch();
        } else if (change instanceof WriteBatch.ChannelCreate create) {
            PreparedStatement statement = statements.get(SqlStatements.INSERT_CHANNEL);
            statement.setLong(1, create.channelId());
            statement.setString(2, create.name());
            statement.addBatch();
        } else if (change instanceof WriteBatch.SubscriptionPut put) {
            writeSubscription(statements, put);
        } else if (change instanceof WriteBatch.SubscriptionDelete delete) {
            PreparedStatement pending = statements.get(SqlStatements.DELETE_SUBSCRIPTION_PENDING);
            pending.setLong(1, delete.subscriptionId());
            pending.addBatch();
            PreparedStatement row = statements.get(SqlStatements.DELETE_SUBSCRIPTION);
            row.setLong(1, delete.subscriptionId());
            row.addBatch();
        }
    }

    private static void writeSubscription(Statements statements, WriteBatch.SubscriptionPut put) throws SQLException {
        SubscriptionRecord record = put.record();
        PreparedStatement statement = statements.get(put.insert()
                ? SqlStatements.INSERT_SUBSCRIPTION : SqlStatements.UPDATE_SUBSCRIPTION);
        int i = 1;
        if (put.insert()) {
            statement.setLong(i++, record.id());
        }
        statement.setLong(i++, put.channelId());
        statement.setString(i++, record.clientId());
        statement.setString(i++, record.queueGroup());
        statement.setString(i++, record.inbox());
        statement.setString(i++, record.ackInbox());
        statement.setInt(i++, record.maxInFlight());
        statement.setInt(i++, record.ackWaitSeconds());
        statement.setString(i++, record.durableName());
        statement.setLong(i++, record.lastSent());
        statement.setBoolean(i++, record.durable());
        statement.setBoolean(i++, record.closed());
        statement.setString(i++, AttributeCodec.encode(record.attributes()));
        if (!put.insert()) {
            statement.setLong(i, record.id());
        }
        statement.addBatch();
    }

    private void writeMessages(Statements statements, List<WriteBatch.MessageRow> rows) throws SQLException {
        statements.flush();
        int offset = 0;
        while (offset < rows.size()) {
            int count = Math.min(rowsPerInsert, rows.size() - offset);
            PreparedStatement insert = statements.single(SqlStatements.insertMessages(count));
            int parameter = 1;
            for (int i = offset; i < offset + count; i++) {
                WriteBatch.MessageRow row = rows.get(i);
                StoredMessage message = row.message();
                insert.setLong(parameter++, row.channelId());
                insert.setLong(parameter++, message.sequence());
                insert.setLong(parameter++, message.timestamp());
                insert.setInt(parameter++, row.size());
                insert.setString(parameter++, message.reply());
                insert.setBytes(parameter++, message.data());
            }
            insert.executeUpdate();
            offset += count;
        }
    }

    /**
     * The prepared statements of one transaction, by SQL text; consecutive uses of one statement
     * accumulate in its JDBC batch, which is executed as soon as another statement is needed, so
     * the statements run in the order they were asked for.
     */
    private static final class Statements implements AutoCloseable {

        private final Connection connection;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();
        private PreparedStatement batching;

        Statements(Connection connection) {
            this.connection = connection;
        }

        /** The statement, to add to its batch. */
        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement statement = prepare(sql);
            if (batching != null && batching != statement) {
                flush();
            }
            batching = statement;
            return statement;
        }

        /** The statement, to execute at once (the batch in progress is executed first). */
        PreparedStatement single(String sql) throws SQLException {
            flush();
            return prepare(sql);
        }

        private PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = prepared.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                prepared.put(sql, statement);
            }
            return statement;
        }

        /** Executes the batch in progress, if any. */
        void flush() throws SQLException {
            if (batching != null) {
                PreparedStatement statement = batching;
                batching = null;
                statement.executeBatch();
            }
        }

        @Override
        public void close() throws SQLException {
            SQLException failure = null;
            try {
                flush();
            } catch (SQLException e) {
                failure = e;
            }
            for (PreparedStatement statement : prepared.values()) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
