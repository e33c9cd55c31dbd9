package io.natsee.broker.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * nats-server's monitoring port on the JDK's HTTP server, for the standalone server and the
 * application server alike: {@code /varz}, {@code /connz}, {@code /subsz} (also
 * {@code /subscriptionsz}), {@code /accountz} (indented JSON), {@code /healthz} (compact JSON,
 * 503 when unhealthy), {@code /metrics} (Prometheus text), {@code /} (an HTML index); any other
 * path 404 with Go's {@code 404 page not found}; a bad query parameter 400 with nats-server's
 * text. Any method is answered; {@code ?callback=f} wraps the JSON as JSONP. Every answered
 * endpoint is counted in {@code http_req_stats}.
 */
public final class MonitorHttpServer implements AutoCloseable {

    /** The path of the general server information. */
    public static final String VARZ = "/varz";
    /** The path of the connections. */
    public static final String CONNZ = "/connz";
    /** The path of the subscriptions. */
    public static final String SUBSZ = "/subsz";
    /** nats-server's second name for {@link #SUBSZ}. */
    public static final String SUBSCRIPTIONSZ = "/subscriptionsz";
    /** The path of the accounts. */
    public static final String ACCOUNTZ = "/accountz";
    /** nats-server's routes endpoint. */
    public static final String ROUTEZ = "/routez";
    /** The path of the health probe. */
    public static final String HEALTHZ = "/healthz";
    /** The path of the Prometheus metrics (ours; nats-server needs a separate exporter). */
    public static final String METRICS = "/metrics";
    /** The path of the index page. */
    public static final String ROOT = "/";
    /**
     * The path of the close-connection action (ours; {@code POST /connz/close?cid=N} with
     * {@code Authorization: Bearer <token>}); served only after {@link #allowClosingConnections}.
     */
    public static final String CONNZ_CLOSE = "/connz/close";

    private static final String JSON = "application/json";
    private static final String JAVASCRIPT = "application/javascript";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final MonitorService monitor;
    private final MonitorJson json = new MonitorJson();
    private final PrometheusMetrics metrics;
    private final String host;
    private final int port;
    private final ThreadFactory threadFactory;
    private final String title;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private HttpServer server;
    private ExecutorService executor;

    /** One monitoring path's answer. */
    @FunctionalInterface
    private interface Endpoint {
        Answer answer(HttpExchange exchange) throws MonitorRequestException;
    }

    /** A status, a content type and a body. */
    private record Answer(int status, String contentType, byte[] body, boolean jsonp) {
    }

    /**
     * An endpoint server for the given data, to bind to host and port (-1 or 0: any free port)
     * when started, serving requests on one thread from the factory.
     *
     * @param title the server and version the index page names, such as {@code natsee-server 0.1.0}
     */
    public MonitorHttpServer(MonitorService monitor, String host, int port, ThreadFactory threadFactory, String title) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.metrics = new PrometheusMetrics(monitor);
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
        this.title = Objects.requireNonNull(title, "title");
        endpoints.put(VARZ, exchange -> pretty(monitor.varz()));
        endpoints.put(CONNZ, exchange -> pretty(monitor.connz(ConnzQuery.parse(parameters(exchange)))));
        Endpoint subsz = exchange -> pretty(monitor.subsz(SubszQuery.parse(parameters(exchange))).body());
        endpoints.put(SUBSZ, subsz);
        endpoints.put(SUBSCRIPTIONSZ, subsz);
        endpoints.put(ACCOUNTZ, exchange -> pretty(monitor.accountz()));
        endpoints.put(ROUTEZ, exchange -> pretty(monitor.routez(parameters(exchange))));
        endpoints.put(HEALTHZ, exchange -> {
            Healthz health = monitor.healthz();
            return new Answer(health.healthy() ? 200 : 503, JSON, json.compact(health), true);
        });
        endpoints.put(METRICS, exchange -> new Answer(200, PrometheusMetrics.CONTENT_TYPE,
                metrics.text().getBytes(StandardCharsets.UTF_8), false));
        endpoints.put(ROOT, exchange -> new Answer(200, HTML, index().getBytes(StandardCharsets.UTF_8), false));
    }

    /**
     * Serves {@link #CONNZ_CLOSE}: a {@code POST} carrying {@code Authorization: Bearer <token>}
     * closes the connection {@code cid} through {@code closer} (200 {@code {"closed":cid}}; 404
     * when no such connection is open; 400 without a cid; 401 for a missing or wrong token; 405
     * for another method). Without this call the path is unknown (404), as on nats-server.
     * Call before {@link #start}.
     *
     * @param closer closes the open connection with the given id, false when there is none
     * @param token the secret an operator's client must send; not blank
     */
    public synchronized void allowClosingConnections(java.util.function.LongPredicate closer, String token) {
        Objects.requireNonNull(closer, "closer");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the close-connection token must not be blank");
        }
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        endpoints.put(CONNZ_CLOSE, exchange -> {
            if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                return new Answer(405, TEXT, "method not allowed\n".getBytes(StandardCharsets.UTF_8), false);
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null
                    || !java.security.MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
                return new Answer(401, TEXT, "unauthorized\n".getBytes(StandardCharsets.UTF_8), false);
            }
            String cidText = queryParameter(exchange.getRequestURI().getRawQuery(), "cid");
            long cid;
            try {
                cid = Long.parseLong(cidText == null ? "" : cidText.trim());
            } catch (NumberFormatException e) {
                throw new MonitorRequestException("cid must be a connection id: " + cidText);
            }
            if (!closer.test(cid)) {
                return new Answer(404, TEXT, ("no open connection with cid " + cid + "\n").getBytes(StandardCharsets.UTF_8), false);
            }
            return new Answer(200, JSON, ("{\"closed\":" + cid + "}").getBytes(StandardCharsets.UTF_8), false);
        });
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
            Endpoint endpoint = endpoints.get(path);
            if (endpoint == null) {
                exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                send(exchange, new Answer(404, TEXT, "404 page not found\n".getBytes(StandardCharsets.UTF_8), false));
                return;
            }
            monitor.countHttpRequest(path);
            Answer answer;
            try {
                answer = endpoint.answer(exchange);
            } catch (MonitorRequestException e) {
                answer = new Answer(400, TEXT, e.getMessage().getBytes(StandardCharsets.UTF_8), false);
            }
            send(exchange, answer);
        } catch (RuntimeException e) {
            // The JDK server would drop the connection silently; say what failed instead.
            System.getLogger(MonitorHttpServer.class.getName())
                    .log(System.Logger.Level.ERROR, "Error answering monitoring request {0}", exchange.getRequestURI(), e);
            throw e;
        }
    }

    private Answer pretty(Object value) {
        return new Answer(200, JSON, json.pretty(value), true);
    }

    private static java.util.function.Function<String, String> parameters(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return name -> queryParameter(query, name);
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        byte[] body = answer.body();
        String contentType = answer.contentType();
        String callback = answer.jsonp() ? queryParameter(exchange.getRequestURI().getRawQuery(), "callback") : null;
        if (callback != null && !callback.isEmpty()) {
            byte[] prefix = (callback + "(").getBytes(StandardCharsets.UTF_8);
            byte[] wrapped = new byte[prefix.length + body.length + 1];
            System.arraycopy(prefix, 0, wrapped, 0, prefix.length);
            System.arraycopy(body, 0, wrapped, prefix.length, body.length);
            wrapped[wrapped.length - 1] = ')';
            body = wrapped;
            contentType = JAVASCRIPT;
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(answer.status(), body.length);
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
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException badEscape) {
                // Go's url.ParseQuery skips a pair it cannot decode; so do we.
            }
        }
        return null;
    }

    private String index() {
        return """
                <html lang="en">
                  <head><title>NATS EE monitoring</title></head>
                  <body>
                    <h3>%s</h3>
                    <a href=.%s>General</a><br/>
                    <a href=.%s>Connections</a><br/>
                    <a href=.%s>Accounts</a><br/>
                    <a href=.%s>Subscriptions</a><br/>
                    <a href=.%s>Routes</a><br/>
                    <a href=.%s>Health Probe</a><br/>
                    <a href=.%s>Metrics (Prometheus)</a><br/>
                    <a href=https://docs.nats.io/running-a-nats-service/nats_admin/monitoring>Help</a>
                  </body>
                </html>
                """.formatted(title.replace("<", "&lt;"), VARZ, CONNZ, ACCOUNTZ, SUBSZ, ROUTEZ, HEALTHZ, METRICS);
    }
}
