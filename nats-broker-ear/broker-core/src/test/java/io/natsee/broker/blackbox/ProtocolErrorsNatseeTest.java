package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link ProtocolErrorsContract} against our broker. */
class ProtocolErrorsNatseeTest extends ProtocolErrorsContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.NATSEE;
    }
}
