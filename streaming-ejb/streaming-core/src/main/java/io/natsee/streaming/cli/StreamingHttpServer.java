package io.natsee.streaming.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.natsee.broker.monitor.MonitorJson;
import io.natsee.streaming.server.ChannelDeletion;
import io.natsee.streaming.server.StreamingMonitor;
import io.natsee.streaming.server.StreamingServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The monitoring port of the streaming launcher: nats-streaming-server's {@code /streaming/*} endpoints, and the
 * side-car broker's {@code /varz} and {@code /healthz}, on the JDK's HTTP server; with an admin token, also the
 * operator's {@link ChannelDeletion} action. Public for tests that run a streaming server in their own JVM.
 */
public final class StreamingHttpServer implements AutoCloseable {
    private static final String INDEX = """
            <html><body><h1>NATS Streaming</h1>
            <a href="/streaming/serverz">serverz</a><br/>
            <a href="/streaming/storez">storez</a><br/>
            <a href="/streaming/clientsz">clientsz</a><br/>
            <a href="/streaming/channelsz">channelsz</a><br/>
            </body></html>
            """;
    private final StreamingServer server;
    private final MonitorJson brokerJson = new MonitorJson();
    private final ChannelDeletion deletion;
    private HttpServer http;

    /** @param adminToken the delete-channel action's token, or null to leave the action out */
    public StreamingHttpServer(StreamingServer server, String adminToken) {
        this.server = server;
        this.deletion = adminToken == null ? null : new ChannelDeletion(server, adminToken);
    }

    /** Binds (port 0: any free port) and serves. */
    public void start(String host, int port) throws IOException {
        http = HttpServer.create(new InetSocketAddress(host, port), 64);
        http.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streaming-monitor");
            thread.setDaemon(true);
            return thread;
        }));
        http.createContext("/", this::handle);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            StreamingMonitor monitor = server.monitor();
            boolean subs = "1".equals(query.get("subs"));
            int offset = number(query.get("offset"), 0);
            int limit = number(query.get("limit"), 1024);
            switch (path) {
                case "/streaming", "/streaming/" -> send(exchange, 200, "text/html", INDEX.getBytes(StandardCharsets.UTF_8));
                case "/streaming/serverz" -> sendJson(exchange, monitor.serverz());
                case "/streaming/storez" -> sendJson(exchange, monitor.storez());
                case "/streaming/isFTActive" -> send(exchange, "FT_ACTIVE".equals(server.stateName()) ? 200 : 204,
                        "text/plain", new byte[0]);
                case "/streaming/channelsz" -> {
                    String channel = query.get("channel");
                    Object result = monitor.channelsz(channel, subs, offset, limit);
                    if (result == null) {
                        send(exchange, 404, "text/plain",
                                ("Channel " + channel + " not found").getBytes(StandardCharsets.UTF_8));
                    } else {
                        sendJson(exchange, result);
                    }
                }
                case "/streaming/clientsz" -> {
                    String client = query.get("client");
                    Object result = monitor.clientsz(client, subs, offset, limit);
                    if (result == null) {
                        send(exchange, 404, "text/plain",
                                ("Client " + client + " not found").getBytes(StandardCharsets.UTF_8));
                    } else {
                        sendJson(exchange, result);
                    }
                }
                case ChannelDeletion.PATH -> {
                    if (deletion == null) {
                        send(exchange, 404, "text/plain", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
                    } else {
                        ChannelDeletion.Answer answer = deletion.handle(exchange.getRequestMethod(),
                                exchange.getRequestHeaders().getFirst("Authorization"), query.get("channel"));
                        if (answer.status() == 405) {
                            exchange.getResponseHeaders().set("Allow", "POST");
                        }
                        send(exchange, answer.status(), answer.contentType(), answer.bytes());
                    }
                }
                case "/varz" -> brokerOr404(exchange, true);
                case "/healthz" -> brokerOr404(exchange, false);
                default -> send(exchange, 404, "text/plain", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void brokerOr404(HttpExchange exchange, boolean varz) throws IOException {
        if (server.broker() == null) {
            send(exchange, 404, "text/plain", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Object value = varz ? server.broker().monitor().varz() : server.broker().monitor().healthz();
        send(exchange, 200, "application/json", brokerJson.pretty(value));
    }

    private void sendJson(HttpExchange exchange, Object value) throws IOException {
        send(exchange, 200, "application/json", brokerJson.pretty(value));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            values.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    private static int number(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
    }
}
