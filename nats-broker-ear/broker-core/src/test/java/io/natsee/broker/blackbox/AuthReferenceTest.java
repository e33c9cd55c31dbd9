package io.natsee.broker.blackbox;

import io.natsee.broker.support.ConfiguredServer;

/** {@link AuthContract} against the reference nats-server (skipped when it is not installed). */
class AuthReferenceTest extends AuthContract {

    @Override
    protected ConfiguredServer.Kind kind() {
        return ConfiguredServer.Kind.REFERENCE;
    }
}
