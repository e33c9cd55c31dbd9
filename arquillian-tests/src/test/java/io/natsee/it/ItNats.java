package io.natsee.it;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The NATS server the integration tests share: the project's own broker in the test JVM, on the
 * loopback port Maven reserved and wrote into the container's resource adapter configuration.
 */
public final class ItNats {

    private static final int PORT = Integer.getInteger("it.nats.port", 4222);
    private static Broker broker;

    static {
        start();
        Runtime.getRuntime().addShutdownHook(new Thread(ItNats::stopEverything, "it-nats-stop"));
    }

    private ItNats() {
    }

    /** Starts the server if it is not running. */
    public static synchronized void start() {
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
    }

    /** Stops the server; the container's connections drop and start reconnecting. */
    public static synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /**
     * Runs when the test JVM exits: the Payara Micro container only signals its process on
     * undeploy, so wait for every child process here (and kill what is left) before the server stops.
     */
    private static void stopEverything() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                System.err.println("process " + child.pid() + " did not stop in time (" + e + "); killing it");
                child.destroyForcibly();
            }
        }
        stop();
    }

    public static String url() {
        return "nats://127.0.0.1:" + PORT;
    }

    /** Opens a plain jnats client that reconnects quickly. */
    public static Connection connect() throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(url()).maxReconnects(-1).reconnectWait(Duration.ofMillis(100)).build());
    }
}
