package io.natsee.broker.interop;

import io.natsee.broker.support.TestServer;

/** {@link JnatsInteropContract} against the reference nats-server, to prove the tests right. */
class JnatsInteropReferenceTest extends JnatsInteropContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.REFERENCE;
    }
}
