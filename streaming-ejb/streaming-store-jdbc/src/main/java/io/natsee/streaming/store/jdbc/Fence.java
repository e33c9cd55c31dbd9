package io.natsee.streaming.store.jdbc;

/**
 * The fencing token a store writes under: every write transaction first checks that the lock row
 * {@code lockName} still carries {@code token}, and holds that row locked until it commits, so a
 * store whose lock was taken over cannot write any more (see {@link JdbcFtLock}).
 *
 * @param lockName the lock row's name
 * @param token the token issued when the lock was acquired
 */
public record Fence(String lockName, long token) {
}
