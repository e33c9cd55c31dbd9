package io.natsee.broker.support;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * Base of the black-box tests that run once per {@link TestServer.Kind}: a concrete subclass names
 * the kind, and everything a test opens through this class is closed after it. Every test is
 * bounded by a 30 second timeout.
 */
@Timeout(30)
public abstract class ServerTestBase {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** The server implementation this test class runs against. */
    protected abstract TestServer.Kind kind();

    /** Starts a server with default limits, closed after the test. */
    protected TestServer startServer() {
        return startServer(TestServer.Options.defaults());
    }

    /** Starts a server with the given limits, closed after the test. */
    protected TestServer startServer(TestServer.Options options) {
        return track(kind().start(options));
    }

    /** Closes the resource after the test, in reverse order of registration. */
    protected <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    /** A connected raw client (INFO read, nothing sent), closed after the test. */
    protected ProtocolClient open(TestServer server) {
        return track(ProtocolClient.open(server));
    }

    /** A raw client after {@code CONNECT <json>} and a PING/PONG round trip. */
    protected ProtocolClient open(TestServer server, String connectJson) {
        return track(ProtocolClient.open(server, connectJson));
    }

    /** A raw client with verbose off (pedantic at its default, true). */
    protected ProtocolClient quiet(TestServer server) {
        return track(ProtocolClient.quiet(server));
    }

    /** A raw client with verbose off and headers on. */
    protected ProtocolClient quietWithHeaders(TestServer server) {
        return track(ProtocolClient.quietWithHeaders(server));
    }

    @AfterEach
    void closeResources() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
