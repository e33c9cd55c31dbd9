package io.natsee.streaming.store.jdbc;

/** Every SQL statement of the JDBC store (the schema is in the {@code .sql} resources; dialect differences in {@link JdbcDialect}). */
final class SqlStatements {

    private SqlStatements() {
    }

    /** The schema version this code writes and reads. */
    static final int SCHEMA_VERSION = 1;

    static final String SELECT_STORE = "SELECT schema_version, next_channel_id, next_subscription_id FROM natsee_store WHERE id = 1";
    static final String INSERT_STORE = "INSERT INTO natsee_store (id, schema_version, next_channel_id, next_subscription_id) VALUES (1, ?, 1, 1)";
    static final String UPDATE_COUNTERS = "UPDATE natsee_store SET next_channel_id = ?, next_subscription_id = ? WHERE id = 1";

    static final String SELECT_SERVER_INFO = "SELECT cluster_id, discover_subject, publish_prefix, subscribe_subject,"
            + " unsubscribe_subject, close_subject, sub_close_subject, acks_subject, node_id FROM natsee_server_info WHERE id = 1";
    static final String DELETE_SERVER_INFO = "DELETE FROM natsee_server_info";
    static final String INSERT_SERVER_INFO = "INSERT INTO natsee_server_info (id, cluster_id, discover_subject, publish_prefix,"
            + " subscribe_subject, unsubscribe_subject, close_subject, sub_close_subject, acks_subject, node_id)"
            + " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String SELECT_CLIENTS = "SELECT id, ord, hb_inbox, conn_id, protocol, ping_interval, ping_max_out"
            + " FROM natsee_clients ORDER BY ord";
    static final String DELETE_CLIENT = "DELETE FROM natsee_clients WHERE id = ?";
    static final String INSERT_CLIENT = "INSERT INTO natsee_clients (id, ord, hb_inbox, conn_id, protocol, ping_interval,"
            + " ping_max_out) VALUES (?, ?, ?, ?, ?, ?, ?)";

    static final String SELECT_CHANNELS = "SELECT id, name, first_seq FROM natsee_channels ORDER BY id";
    static final String INSERT_CHANNEL = "INSERT INTO natsee_channels (id, name, first_seq) VALUES (?, ?, 1)";
    static final String UPDATE_CHANNEL_FIRST = "UPDATE natsee_channels SET first_seq = ? WHERE id = ? AND first_seq < ?";
    static final String DELETE_CHANNEL = "DELETE FROM natsee_channels WHERE id = ?";

    static final String SELECT_MESSAGE_INDEX = "SELECT seq, ts, msg_size FROM natsee_messages WHERE channel_id = ? ORDER BY seq";
    static final String SELECT_MESSAGE = "SELECT ts, reply, data FROM natsee_messages WHERE channel_id = ? AND seq = ?";
    static final String INSERT_MESSAGES_PREFIX = "INSERT INTO natsee_messages (channel_id, seq, ts, msg_size, reply, data) VALUES ";
    static final String INSERT_MESSAGES_ROW = "(?, ?, ?, ?, ?, ?)";
    static final int INSERT_MESSAGES_PARAMETERS = 6;
    static final String DELETE_MESSAGES_BEFORE = "DELETE FROM natsee_messages WHERE channel_id = ? AND seq < ?";
    static final String DELETE_CHANNEL_MESSAGES = "DELETE FROM natsee_messages WHERE channel_id = ?";

    static final String SUBSCRIPTION_COLUMNS = "id, channel_id, client_id, queue_group, inbox, ack_inbox, max_in_flight,"
            + " ack_wait, durable_name, last_sent, durable, closed, attributes";
    static final String SELECT_SUBSCRIPTIONS = "SELECT " + SUBSCRIPTION_COLUMNS + " FROM natsee_subscriptions ORDER BY id";
    static final String SELECT_SUBSCRIPTION = "SELECT " + SUBSCRIPTION_COLUMNS + " FROM natsee_subscriptions WHERE id = ?";
    static final String INSERT_SUBSCRIPTION = "INSERT INTO natsee_subscriptions (" + SUBSCRIPTION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE_SUBSCRIPTION = "UPDATE natsee_subscriptions SET channel_id = ?, client_id = ?, queue_group = ?,"
            + " inbox = ?, ack_inbox = ?, max_in_flight = ?, ack_wait = ?, durable_name = ?, last_sent = ?, durable = ?,"
            + " closed = ?, attributes = ? WHERE id = ?";
    static final String RAISE_LAST_SENT = "UPDATE natsee_subscriptions SET last_sent = ? WHERE id = ? AND last_sent < ?";
    static final String DELETE_SUBSCRIPTION = "DELETE FROM natsee_subscriptions WHERE id = ?";
    static final String DELETE_CHANNEL_SUBSCRIPTIONS = "DELETE FROM natsee_subscriptions WHERE channel_id = ?";

    static final String SELECT_ALL_PENDING = "SELECT sub_id, seq FROM natsee_pending ORDER BY sub_id, seq";
    static final String SELECT_PENDING = "SELECT seq FROM natsee_pending WHERE sub_id = ? ORDER BY seq";
    static final String DELETE_PENDING = "DELETE FROM natsee_pending WHERE sub_id = ? AND seq = ?";
    static final String DELETE_SUBSCRIPTION_PENDING = "DELETE FROM natsee_pending WHERE sub_id = ?";
    static final String DELETE_CHANNEL_PENDING = "DELETE FROM natsee_pending WHERE sub_id IN"
            + " (SELECT id FROM natsee_subscriptions WHERE channel_id = ?)";

    static final String SELECT_LOCK = "SELECT owner, tick, token FROM natsee_store_lock WHERE name = ?";
    static final String INSERT_LOCK = "INSERT INTO natsee_store_lock (name, owner, tick, token) VALUES (?, ?, 1, 1)";
    static final String TAKE_LOCK = "UPDATE natsee_store_lock SET owner = ?, tick = tick + 1, token = token + 1"
            + " WHERE name = ? AND tick = ? AND token = ?";
    static final String TICK_LOCK = "UPDATE natsee_store_lock SET tick = tick + 1 WHERE name = ? AND owner = ? AND token = ?";
    static final String RELEASE_LOCK = "UPDATE natsee_store_lock SET owner = '' WHERE name = ? AND owner = ? AND token = ?";
    /** The fencing check of every write transaction: it also locks the row until the commit, so a takeover waits for it. */
    static final String CHECK_FENCE = "UPDATE natsee_store_lock SET token = token WHERE name = ? AND token = ?";

    /** The multi-row message insert for {@code rows} rows. */
    static String insertMessages(int rows) {
        StringBuilder sql = new StringBuilder(INSERT_MESSAGES_PREFIX.length() + rows * 20).append(INSERT_MESSAGES_PREFIX);
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(INSERT_MESSAGES_ROW);
        }
        return sql.toString();
    }
}
