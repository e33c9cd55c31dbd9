package io.natsee.broker.interop;

import io.natsee.broker.support.TestServer;

/** {@link JnatsInteropContract} against our broker. */
class JnatsInteropTest extends JnatsInteropContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.NATSEE;
    }
}
