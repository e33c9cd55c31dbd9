package io.natsee.broker.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.ReferenceServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** A server with a client port and a monitoring port, ours or the reference nats-server, for monitoring tests. */
interface MonitorTargets extends AutoCloseable {

    String HOST = "127.0.0.1";
    HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ObjectMapper JSON = new ObjectMapper();

    /** The client port. */
    int port();

    /** The monitoring base URL. */
    String base();

    @Override
    void close();

    /** GETs a monitoring path. */
    default HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** GETs a monitoring path that must answer 200 with JSON. */
    default JsonNode json(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError(this + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(pathAndQuery + " is not JSON: " + response.body(), e);
        }
    }

    /** Our broker with its monitoring port, both on free ports of 127.0.0.1. */
    static MonitorTargets ours(BrokerOptions.Builder options) {
        Broker broker = new Broker(options.host(HOST).port(-1).build());
        try {
            broker.start();
            MonitorHttpServer http = new MonitorHttpServer(broker.monitor(), HOST, -1,
                    Executors.defaultThreadFactory(), "natsee-server test");
            http.start();
            String base = "http://" + HOST + ":" + http.address().getPort();
            return new MonitorTargets() {
                @Override
                public int port() {
                    return broker.port();
                }

                @Override
                public String base() {
                    return base;
                }

                @Override
                public void close() {
                    http.close();
                    broker.close();
                }

                @Override
                public String toString() {
                    return "natsee";
                }
            };
        } catch (IOException e) {
            broker.close();
            throw new UncheckedIOException(e);
        }
    }

    /** The reference nats-server with {@code -a 127.0.0.1 -p <free> -m <free>}; skips the test when it is not installed. */
    static MonitorTargets reference(String... extraArguments) {
        Optional<Path> binary = ReferenceServer.binary();
        Assumptions.assumeTrue(binary.isPresent(), "nats-server is not installed");
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            int httpPort = freePort();
            Path log;
            Process process;
            try {
                log = Files.createTempFile("nats-reference-", ".log");
                java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(binary.get().toString(),
                        "-a", HOST, "-p", Integer.toString(port), "-m", Integer.toString(httpPort)));
                command.addAll(java.util.List.of(extraArguments));
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                // Not probing the client port: a probe would show in the closed connections.
                Await.until(Duration.ofSeconds(10), "nats-server to be ready",
                        () -> !process.isAlive() || logSays(log, "Server is ready"));
                if (process.isAlive()) {
                    String base = "http://" + HOST + ":" + httpPort;
                    return new MonitorTargets() {
                        @Override
                        public int port() {
                            return port;
                        }

                        @Override
                        public String base() {
                            return base;
                        }

                        @Override
                        public void close() {
                            process.destroyForcibly();
                            try {
                                process.waitFor(10, TimeUnit.SECONDS);
                                Files.deleteIfExists(log);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (IOException ignored) {
                                // a leftover log in the temporary directory is harmless
                            }
                        }

                        @Override
                        public String toString() {
                            return "nats-server";
                        }
                    };
                }
                last = new AssertionError("nats-server exited: " + Files.readString(log));
            } catch (IOException | AssertionError e) {
                process.destroyForcibly();
                last = e instanceof AssertionError a ? a : new AssertionError(e);
            }
        }
        throw last;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean logSays(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
