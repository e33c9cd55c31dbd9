package io.natsee.broker.blackbox;

import io.natsee.broker.support.ConfiguredServer;

/** {@link TlsVerifyAndMapContract} against the reference nats-server (skipped when it is not installed). */
class TlsVerifyAndMapReferenceTest extends TlsVerifyAndMapContract {

    @Override
    protected ConfiguredServer.Kind kind() {
        return ConfiguredServer.Kind.REFERENCE;
    }
}
