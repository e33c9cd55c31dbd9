package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link TlsContract} against the reference nats-server. */
class TlsReferenceTest extends TlsContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.REFERENCE;
    }
}
