package io.natsee.streaming.store.jdbc;

/** The same on H2 with {@code no_caching}: every change committed when made, nothing cached. */
class H2NoCachingStoreTest extends H2StoreTest {

    @Override
    protected JdbcStoreOptions configure(JdbcStoreOptions options) {
        return options.withNoCaching(true);
    }
}
