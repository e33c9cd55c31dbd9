package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link PressureContract} against the reference nats-server. */
class PressureReferenceTest extends PressureContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.REFERENCE;
    }
}
