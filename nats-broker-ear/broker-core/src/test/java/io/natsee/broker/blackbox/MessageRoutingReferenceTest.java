package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link MessageRoutingContract} against the reference nats-server. */
class MessageRoutingReferenceTest extends MessageRoutingContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.REFERENCE;
    }
}
