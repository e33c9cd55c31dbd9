package io.natsee.broker.blackbox;

import io.natsee.broker.support.ConfiguredServer;

/** {@link AuthContract} against our broker. */
class AuthNatseeTest extends AuthContract {

    @Override
    protected ConfiguredServer.Kind kind() {
        return ConfiguredServer.Kind.NATSEE;
    }
}
