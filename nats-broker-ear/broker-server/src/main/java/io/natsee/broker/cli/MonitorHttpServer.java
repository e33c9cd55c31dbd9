package io.natsee.broker.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.natsee.broker.monitor.Healthz;
import io.natsee.broker.monitor.MonitorJson;
import io.natsee.broker.monitor.MonitorService;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The standalone server's monitoring endpoints on the JDK's HTTP server, answering as
 * nats-server's monitoring port does: {@code /varz} (indented JSON), {@code /healthz} (compact
 * JSON, 503 when unhealthy), {@code /} (an HTML index), any other path 404 with Go's
 * {@code 404 page not found}. Any method is answered; {@code ?callback=f} wraps the JSON as JSONP.
 * Every answered endpoint is counted in {@code http_req_stats}.
 */
public final class MonitorHttpServer implements AutoCloseable {

    /** The path of the general server information. */
    public static final String VARZ = "/varz";
    /** The path of the health probe. */
    public static final String HEALTHZ = "/healthz";
    /** The path of the index page. */
    public static final String ROOT = "/";

    private static final String JSON = "application/json";
    private static final String JAVASCRIPT = "application/javascript";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final MonitorService monitor;
    private final MonitorJson json = new MonitorJson();
    private final String host;
    private final int port;
    private final ThreadFactory threadFactory;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * An endpoint server for the given data, to bind to host and port (-1 or 0: any free port)
     * when started, serving requests on one thread from the factory.
     */
    public MonitorHttpServer(MonitorService monitor, String host, int port, ThreadFactory threadFactory) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the port cannot be bound
     */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer created = HttpServer.create(new InetSocketAddress(host, Math.max(port, 0)), 0);
        created.createContext(ROOT, this::handle);
        executor = Executors.newSingleThreadExecutor(threadFactory);
        created.setExecutor(executor);
        created.start();
        server = created;
    }

    /** The bound address; only after {@link #start}. */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress();
    }

    /** Stops serving at once and releases the port. Can run more than once. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            switch (path) {
                case VARZ -> {
                    monitor.countHttpRequest(VARZ);
                    sendJson(exchange, 200, json.pretty(monitor.varz()));
                }
                case HEALTHZ -> {
                    monitor.countHttpRequest(HEALTHZ);
                    Healthz health = monitor.healthz();
                    sendJson(exchange, health.healthy() ? 200 : 503, json.compact(health));
                }
                case ROOT -> {
                    monitor.countHttpRequest(ROOT);
                    send(exchange, 200, HTML, index().getBytes(StandardCharsets.UTF_8));
                }
                default -> {
                    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                    send(exchange, 404, TEXT, "404 page not found\n".getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (RuntimeException e) {
            // The JDK server would drop the connection silently; say what failed instead.
            System.getLogger(MonitorHttpServer.class.getName())
                    .log(System.Logger.Level.ERROR, "Error answering monitoring request {0}", exchange.getRequestURI(), e);
            throw e;
        }
    }

    private void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
        String callback = queryParameter(exchange.getRequestURI().getRawQuery(), "callback");
        if (callback != null && !callback.isEmpty()) {
            byte[] prefix = (callback + "(").getBytes(StandardCharsets.UTF_8);
            byte[] wrapped = new byte[prefix.length + body.length + 1];
            System.arraycopy(prefix, 0, wrapped, 0, prefix.length);
            System.arraycopy(body, 0, wrapped, prefix.length, body.length);
            wrapped[wrapped.length - 1] = ')';
            send(exchange, status, JAVASCRIPT, wrapped);
        } else {
            send(exchange, status, JSON, body);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The first value of a query parameter, decoded; {@code null} when absent. */
    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String index() {
        return """
                <html lang="en">
                  <head><title>NATS EE monitoring</title></head>
                  <body>
                    <h3>natsee-server %s</h3>
                    <a href=.%s>General</a><br/>
                    <a href=.%s>Health Probe</a><br/>
                    <a href=https://docs.nats.io/running-a-nats-service/nats_admin/monitoring>Help</a>
                  </body>
                </html>
                """.formatted(Version.server(), VARZ, HEALTHZ);
    }
}
