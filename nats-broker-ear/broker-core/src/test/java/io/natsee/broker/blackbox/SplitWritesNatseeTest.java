package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link SplitWritesContract} against our broker. */
class SplitWritesNatseeTest extends SplitWritesContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.NATSEE;
    }
}
