package io.natsee.ra.support;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The project's own NATS server, in-process on a loopback port, restartable on the same port.
 */
public final class TestBroker implements AutoCloseable {

    private final int port;
    private Broker broker;

    private TestBroker(int port) {
        this.port = port;
    }

    /** Starts a broker on a free loopback port. */
    public static TestBroker start() {
        TestBroker testBroker = new TestBroker(freePort());
        testBroker.restart();
        return testBroker;
    }

    /** Returns a broker that will listen on a free port once {@link #restart()} is called. */
    public static TestBroker notStarted() {
        return new TestBroker(freePort());
    }

    /** Returns a free loopback port. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (again) on the same port. */
    public synchronized void restart() {
        if (broker != null) {
            return;
        }
        Broker started = new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).build());
        try {
            started.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = started;
    }

    /** Stops the server; clients see their connection drop. */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
