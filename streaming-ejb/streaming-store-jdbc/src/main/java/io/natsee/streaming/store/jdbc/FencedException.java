package io.natsee.streaming.store.jdbc;

import java.sql.SQLException;

/** A write transaction found that the store's fencing token is no longer the lock's: another server owns the store. */
final class FencedException extends SQLException {

    private static final long serialVersionUID = 1L;

    FencedException(Fence fence) {
        super("store lock \"" + fence.lockName() + "\" was taken over (fencing token " + fence.token()
                + " is no longer valid): this server must not write any more");
    }
}
