package io.natsee.broker.blackbox;

import io.natsee.broker.support.TestServer;

/** {@link TlsContract} against our broker. */
class TlsNatseeTest extends TlsContract {

    @Override
    protected TestServer.Kind kind() {
        return TestServer.Kind.NATSEE;
    }
}
