package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link ProtocolFramingContract} against our broker. */
class ProtocolFramingNatseeTest extends ProtocolFramingContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.NATSEE;
    }
}
