package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link ProtocolErrorsContract} against the reference nats-server. */
class ProtocolErrorsReferenceTest extends ProtocolErrorsContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.REFERENCE;
    }
}
