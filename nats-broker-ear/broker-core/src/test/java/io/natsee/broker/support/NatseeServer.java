package io.natsee.broker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.tls.TlsOptions;

/**
 * Our in-process {@link Broker} as a {@link TestServer}, bound to 127.0.0.1. Started by
 * {@link TestServer.Kind#NATSEE}. The subject match cache is on and one event loop serves
 * every connection, as in production on small machines; the system properties
 * {@code natsee.test.eventLoops} and {@code natsee.test.matchCache} change both, so that the
 * build runs the black-box suite a second time with several loops (the locking delivery path)
 * and without the cache.
 */
public final class NatseeServer implements TestServer {

    private static final String HOST = "127.0.0.1";

    private final Broker broker;
    private final Options options;

    private NatseeServer(Broker broker, Options options) {
        this.broker = broker;
        this.options = options;
    }

    /** Starts a broker with the options; returns once its client port accepts. */
    public static NatseeServer start(Options options) {
        BrokerOptions.Builder builder = BrokerOptions.builder()
                .host(HOST)
                .port(options.port() == 0 ? -1 : options.port())
                .matchCache(Boolean.parseBoolean(System.getProperty("natsee.test.matchCache", "true")))
                .eventLoops(Integer.getInteger("natsee.test.eventLoops", 1));
        if (options.maxPayload() != null) {
            builder.maxPayload(options.maxPayload());
        }
        if (options.maxControlLine() != null) {
            builder.maxControlLine(options.maxControlLine());
        }
        if (options.maxPending() != null) {
            builder.maxPending(options.maxPending());
        }
        if (options.maxConnections() != null) {
            builder.maxConnections(options.maxConnections());
        }
        if (options.maxSubscriptions() != null) {
            builder.maxSubscriptions(options.maxSubscriptions());
        }
        Duration pingInterval = options.pingInterval();
        if (pingInterval != null) {
            builder.pingInterval(pingInterval);
        }
        if (options.pingMax() != null) {
            builder.pingMax(options.pingMax());
        }
        if (options.writeDeadline() != null) {
            builder.writeDeadline(options.writeDeadline());
        }
        if (options.tls() != null) {
            Tls tls = options.tls();
            builder.tls(new TlsOptions(tls.certFile(), tls.keyFile(), tls.caFile(), tls.verify(), false,
                    tls.timeout(), tls.cipherSuites()));
        }
        Broker broker = new Broker(builder.build());
        try {
            broker.start();
        } catch (IOException e) {
            broker.close();
            throw new UncheckedIOException("cannot start the broker with " + options, e);
        }
        return new NatseeServer(broker, options);
    }

    /** The broker, for white-box checks next to the black-box ones. */
    public Broker broker() {
        return broker;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return broker.port();
    }

    @Override
    public Options options() {
        return options;
    }

    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return "natsee@" + HOST + ":" + broker.port() + " (" + broker.serverId() + ")";
    }
}
