package io.natsee.broker.support;

import java.time.Duration;
import java.util.Objects;

/**
 * A running server under test, reached on {@link #host()}:{@link #port()}. Created by
 * {@link Kind#start(Options)}; the same black-box test runs against the reference nats-server and
 * against our broker.
 */
public interface TestServer extends AutoCloseable {

    /** The interface the client port is bound to (always 127.0.0.1). */
    String host();

    /** The bound client port. */
    int port();

    /** The options the server was started with. */
    Options options();

    /** Stops the server and releases its port; may run twice. */
    @Override
    void close();

    /** A {@code nats://host:port} URL for clients such as jnats. */
    default String url() {
        return "nats://" + host() + ":" + port();
    }

    /** The implementations a test can run against. */
    enum Kind {
        /** The real {@code nats-server} binary; tests are skipped when it is not installed. */
        REFERENCE,
        /** Our in-process {@code io.natsee.broker.Broker}. */
        NATSEE;

        /** Starts a server of this kind; the caller closes it. */
        public TestServer start(Options options) {
            return switch (this) {
                case REFERENCE -> ReferenceServer.start(options);
                case NATSEE -> NatseeServer.start(options);
            };
        }
    }

    /**
     * The limits a test asks for; anything left null keeps the server's default (nats-server
     * 2.9.10's). Immutable; each {@code withX} returns a changed copy.
     *
     * @param port             0 for any free port, otherwise that port (to restart on the same one)
     * @param maxPayload       bytes
     * @param maxControlLine   bytes
     * @param maxPending       bytes
     * @param pingInterval     at millisecond precision
     * @param writeDeadline    at millisecond precision
     * @param tls              TLS on the client port; {@code null} for plain TCP
     */
    record Options(int port, Long maxPayload, Long maxControlLine, Long maxPending, Integer maxConnections,
                   Integer maxSubscriptions, Duration pingInterval, Integer pingMax, Duration writeDeadline,
                   Tls tls) {

        /** Every limit at its default, any free port. */
        public static Options defaults() {
            return new Options(0, null, null, null, null, null, null, null, null, null);
        }

        public Options withPort(int port) {
            return new Options(port, maxPayload, maxControlLine, maxPending, maxConnections, maxSubscriptions,
                    pingInterval, pingMax, writeDeadline, tls);
        }

        public Options withMaxPayload(long value) {
            return new Options(port, value, maxControlLine, maxPending, maxConnections, maxSubscriptions,
                    pingInterval, pingMax, writeDeadline, tls);
        }

        public Options withMaxControlLine(long value) {
            return new Options(port, maxPayload, value, maxPending, maxConnections, maxSubscriptions,
                    pingInterval, pingMax, writeDeadline, tls);
        }

        public Options withMaxPending(long value) {
            return new Options(port, maxPayload, maxControlLine, value, maxConnections, maxSubscriptions,
                    pingInterval, pingMax, writeDeadline, tls);
        }

        public Options withMaxConnections(int value) {
            return new Options(port, maxPayload, maxControlLine, maxPending, value, maxSubscriptions,
                    pingInterval, pingMax, writeDeadline, tls);
        }

        public Options withMaxSubscriptions(int value) {
            return new Options(port, maxPayload, maxControlLine, maxPending, maxConnections, value,
                    pingInterval, pingMax, writeDeadline, tls);
        }

        public Options withPingInterval(Duration value) {
            return new Options(port, maxPayload, maxControlLine, maxPending, maxConnections, maxSubscriptions,
                    Objects.requireNonNull(value), pingMax, writeDeadline, tls);
        }

        public Options withPingMax(int value) {
            return new Options(port, maxPayload, maxControlLine, maxPending, maxConnections, maxSubscriptions,
                    pingInterval, value, writeDeadline, tls);
        }

        public Options withWriteDeadline(Duration value) {
            return new Options(port, maxPayload, maxControlLine, maxPending, maxConnections, maxSubscriptions,
                    pingInterval, pingMax, Objects.requireNonNull(value), tls);
        }

        public Options withTls(Tls value) {
            return new Options(port, maxPayload, maxControlLine, maxPending, maxConnections, maxSubscriptions,
                    pingInterval, pingMax, writeDeadline, Objects.requireNonNull(value));
        }
    }

    /**
     * The {@code tls {}} block, as nats-server reads it.
     *
     * @param certFile     the server's certificate chain, PEM
     * @param keyFile      the server's private key, PEM
     * @param caFile       CAs for client certificates; {@code null} for none
     * @param verify       whether clients must present a trusted certificate
     * @param timeout      the handshake timeout (millisecond precision); {@code null} for the default, 2 s
     * @param cipherSuites cipher suite names as nats-server takes them; empty for the defaults
     */
    record Tls(java.nio.file.Path certFile, java.nio.file.Path keyFile, java.nio.file.Path caFile, boolean verify,
               Duration timeout, java.util.List<String> cipherSuites) {

        public Tls {
            cipherSuites = cipherSuites == null ? java.util.List.of() : java.util.List.copyOf(cipherSuites);
        }

        /** Server certificate and key, no client certificates asked for, default timeout. */
        public static Tls of(java.nio.file.Path certFile, java.nio.file.Path keyFile) {
            return new Tls(certFile, keyFile, null, false, null, null);
        }

        public Tls withVerify(java.nio.file.Path caFile) {
            return new Tls(certFile, keyFile, caFile, true, timeout, cipherSuites);
        }

        public Tls withTimeout(Duration value) {
            return new Tls(certFile, keyFile, caFile, verify, value, cipherSuites);
        }

        public Tls withCipherSuites(java.util.List<String> value) {
            return new Tls(certFile, keyFile, caFile, verify, timeout, value);
        }
    }
}
