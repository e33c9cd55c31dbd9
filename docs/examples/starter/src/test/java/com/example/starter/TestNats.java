package com.example.starter;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The NATS server of the test: the project's broker in the test JVM, on the loopback port Maven
 * reserved and wrote into the adapter's configuration (src/test/payara/postboot.asadmin). Any
 * NATS server on that port would do.
 */
final class TestNats {

    static final int PORT = Integer.getInteger("it.nats.port", 4222);
    private static Broker broker;

    private TestNats() {
    }

    /** Starts the server once; it stops when the test JVM exits, after the container's process. */
    static synchronized void start() {
        if (broker != null) {
            return;
        }
        Broker started = new Broker(BrokerOptions.builder().host("127.0.0.1").port(PORT).build());
        try {
            started.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = started;
        Runtime.getRuntime().addShutdownHook(new Thread(TestNats::stopEverything, "test-nats-stop"));
    }

    static String url() {
        return "nats://127.0.0.1:" + PORT;
    }

    /** Waits for (and after 60 s kills) Payara Micro, so that no process outlives the build, then stops the server. */
    private static void stopEverything() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
        synchronized (TestNats.class) {
            broker.close();
        }
    }
}
