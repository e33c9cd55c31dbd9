-- NATS EE streaming store schema for H2 2.x (embedded or server mode). The store runs this script
-- on first start
-- (every statement is IF NOT EXISTS); a DBA may run it beforehand instead:
--   java -cp h2.jar org.h2.tools.RunScript -url jdbc:h2:file:PATH -script h2.sql
-- Sequences, ids and timestamps are BIGINT; ts is Unix nanoseconds.

-- One row (id = 1): the schema version and the id counters, so ids are never reused.
CREATE TABLE IF NOT EXISTS natsee_store (
    id INTEGER PRIMARY KEY,
    schema_version INTEGER NOT NULL,
    next_channel_id BIGINT NOT NULL,
    next_subscription_id BIGINT NOT NULL
);

-- One row (id = 1) once the server called Store.init.
CREATE TABLE IF NOT EXISTS natsee_server_info (
    id INTEGER PRIMARY KEY,
    cluster_id VARCHAR(1024) NOT NULL,
    discover_subject VARCHAR(1024) NOT NULL,
    publish_prefix VARCHAR(1024) NOT NULL,
    subscribe_subject VARCHAR(1024) NOT NULL,
    unsubscribe_subject VARCHAR(1024) NOT NULL,
    close_subject VARCHAR(1024) NOT NULL,
    sub_close_subject VARCHAR(1024) NOT NULL,
    acks_subject VARCHAR(1024) NOT NULL,
    node_id VARCHAR(1024) NOT NULL
);

-- ord keeps the order in which clients were first added.
CREATE TABLE IF NOT EXISTS natsee_clients (
    id VARCHAR(1024) PRIMARY KEY,
    ord BIGINT NOT NULL,
    hb_inbox VARCHAR(1024) NOT NULL,
    conn_id VARBINARY(1000000000) NOT NULL,
    protocol INTEGER NOT NULL,
    ping_interval INTEGER NOT NULL,
    ping_max_out INTEGER NOT NULL
);

-- first_seq: the sequence of the oldest message kept after limit deletions (1 while none was deleted).
CREATE TABLE IF NOT EXISTS natsee_channels (
    id BIGINT PRIMARY KEY,
    name VARCHAR(1024) NOT NULL,
    first_seq BIGINT NOT NULL
);

-- msg_size: the message's MsgProto size, what max_bytes counts.
CREATE TABLE IF NOT EXISTS natsee_messages (
    channel_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    ts BIGINT NOT NULL,
    msg_size INTEGER NOT NULL,
    reply VARCHAR(1024) NOT NULL,
    data VARBINARY(1000000000) NOT NULL,
    PRIMARY KEY (channel_id, seq)
);

CREATE TABLE IF NOT EXISTS natsee_subscriptions (
    id BIGINT PRIMARY KEY,
    channel_id BIGINT NOT NULL,
    client_id VARCHAR(1024) NOT NULL,
    queue_group VARCHAR(1024) NOT NULL,
    inbox VARCHAR(1024) NOT NULL,
    ack_inbox VARCHAR(1024) NOT NULL,
    max_in_flight INTEGER NOT NULL,
    ack_wait INTEGER NOT NULL,
    durable_name VARCHAR(1024) NOT NULL,
    last_sent BIGINT NOT NULL,
    durable BOOLEAN NOT NULL,
    closed BOOLEAN NOT NULL,
    attributes VARCHAR(8192) NOT NULL
);
CREATE INDEX IF NOT EXISTS natsee_subscriptions_channel ON natsee_subscriptions (channel_id);

CREATE TABLE IF NOT EXISTS natsee_pending (
    sub_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (sub_id, seq)
);

-- The fault-tolerance lock: one row per lock name; tick moves while the owner is alive; token is
-- the fencing token, incremented on every takeover and checked by every write transaction.
CREATE TABLE IF NOT EXISTS natsee_store_lock (
    name VARCHAR(256) PRIMARY KEY,
    owner VARCHAR(256) NOT NULL,
    tick BIGINT NOT NULL,
    token BIGINT NOT NULL
);
