package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link ProtocolFramingContract} against the reference nats-server. */
class ProtocolFramingReferenceTest extends ProtocolFramingContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.REFERENCE;
    }
}
