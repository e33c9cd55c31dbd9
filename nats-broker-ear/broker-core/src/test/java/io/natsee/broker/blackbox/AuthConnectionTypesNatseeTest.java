package io.natsee.broker.blackbox;

import io.natsee.broker.support.ConfiguredServer;

/** {@link AuthConnectionTypesContract} against our broker. */
class AuthConnectionTypesNatseeTest extends AuthConnectionTypesContract {

    @Override
    protected ConfiguredServer.Kind kind() {
        return ConfiguredServer.Kind.NATSEE;
    }
}
