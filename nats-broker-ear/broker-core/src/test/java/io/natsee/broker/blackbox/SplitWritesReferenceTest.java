package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link SplitWritesContract} against the reference nats-server. */
class SplitWritesReferenceTest extends SplitWritesContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.REFERENCE;
    }
}
