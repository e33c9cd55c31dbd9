package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link PressureContract} against our broker. */
class PressureNatseeTest extends PressureContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.NATSEE;
    }
}
