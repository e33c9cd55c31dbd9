package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link MessageRoutingContract} against our broker. */
class MessageRoutingNatseeTest extends MessageRoutingContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.NATSEE;
    }
}
