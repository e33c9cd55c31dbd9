package io.natsee.broker.blackbox;

import io.natsee.broker.support.ConfiguredServer;

/** {@link AuthConnectionTypesContract} against the reference nats-server (skipped when it is not installed). */
class AuthConnectionTypesReferenceTest extends AuthConnectionTypesContract {

    @Override
    protected ConfiguredServer.Kind kind() {
        return ConfiguredServer.Kind.REFERENCE;
    }
}
