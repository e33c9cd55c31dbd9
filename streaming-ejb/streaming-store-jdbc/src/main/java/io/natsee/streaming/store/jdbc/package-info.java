/**
 * The streaming store over JDBC: PostgreSQL (production) and H2 (embedded), with group commit,
 * bulk inserts, a bounded subscription cache and a fenced fault-tolerance lock row.
 */
package io.natsee.streaming.store.jdbc;
