package io.natsee.broker.blackbox;

import io.natsee.broker.support.ConfiguredServer;

/** {@link TlsVerifyAndMapContract} against our broker. */
class TlsVerifyAndMapNatseeTest extends TlsVerifyAndMapContract {

    @Override
    protected ConfiguredServer.Kind kind() {
        return ConfiguredServer.Kind.NATSEE;
    }
}
