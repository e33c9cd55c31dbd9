package io.natsee.admin.monitor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link MonitorClient} over HTTP: reads the JSON monitoring endpoints of each server with the
 * JDK's HTTP client and maps them with Jackson. Thread-safe.
 */
public final class HttpMonitorClient implements MonitorClient {

    /** How long one request may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    private static final int PAGE = 1024;

    private final List<ServerEndpoint> servers;
    private final URI streaming;
    private final String streamingToken;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * @param servers the servers to watch, not empty
     * @param streaming the streaming server's monitoring base URL ({@code /streaming/*} below it)
     * @param timeout how long one request may take
     */
    public HttpMonitorClient(List<ServerEndpoint> servers, URI streaming, Duration timeout) {
        this(servers, streaming, null, timeout);
    }

    /**
     * @param servers the servers to watch, not empty
     * @param streaming the streaming server's monitoring base URL ({@code /streaming/*} below it)
     * @param streamingToken the bearer token of the streaming server's delete-channel action, or {@code null}
     * @param timeout how long one request may take
     */
    public HttpMonitorClient(List<ServerEndpoint> servers, URI streaming, String streamingToken, Duration timeout) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to watch");
        }
        this.servers = List.copyOf(servers);
        this.streaming = Objects.requireNonNull(streaming, "streaming");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.streamingToken = streamingToken == null || streamingToken.isBlank() ? null : streamingToken;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public List<ServerEndpoint> servers() {
        return servers;
    }

    @Override
    public ServerVarz varz(ServerEndpoint server) throws MonitorException {
        return read(server.resolve("/varz"), ServerVarz.class);
    }

    @Override
    public Map<String, Object> varzDocument(ServerEndpoint server) throws MonitorException {
        byte[] body = get(server.resolve("/varz"), false).body();
        try {
            return json.readValue(body, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new MonitorException(server.resolve("/varz") + " is not monitoring JSON: " + e.getMessage(), 200, e);
        }
    }

    @Override
    public ConnectionPage connections(ServerEndpoint server, ConnectionQuery query) throws MonitorException {
        return read(server.resolve("/connz?" + query.toQueryString()), ConnectionPage.class);
    }

    @Override
    public SubscriptionPage subscriptions(ServerEndpoint server, String testSubject, int offset, int limit) throws MonitorException {
        StringBuilder path = new StringBuilder("/subsz?subs=1&offset=").append(Math.max(0, offset))
                .append("&limit=").append(limit <= 0 ? PAGE : limit);
        if (testSubject != null && !testSubject.isBlank()) {
            path.append("&test=").append(URLEncoder.encode(testSubject.trim(), StandardCharsets.UTF_8));
        }
        return read(server.resolve(path.toString()), SubscriptionPage.class);
    }

    @Override
    public Optional<RoutePage> routes(ServerEndpoint server) throws MonitorException {
        HttpResponse<byte[]> answer = get(server.resolve("/routez"), true);
        if (answer.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(map(server.resolve("/routez"), answer.body(), RoutePage.class));
    }

    @Override
    public boolean closeConnection(ServerEndpoint server, long cid) throws MonitorException {
        URI uri = server.resolve("/connz/close?cid=" + cid);
        if (!server.canClose()) {
            throw new MonitorException("no close-connection token is configured for " + server.name(), 401, null);
        }
        HttpResponse<String> answer = post(uri, server.token());
        return switch (answer.statusCode()) {
            case 200 -> true;
            case 404 -> {
                if (answer.body().startsWith("no open connection")) {
                    yield false;
                }
                throw new MonitorException(server.name() + " does not offer closing connections", 404, null);
            }
            default -> throw new MonitorException(uri + " answered " + answer.statusCode() + ": " + answer.body().trim(),
                    answer.statusCode(), null);
        };
    }

    @Override
    public int deleteChannel(String channel) throws MonitorException {
        URI uri = URI.create(streaming + "/streaming/channelsz/delete?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
        if (streamingToken == null) {
            throw new MonitorException("no delete-channel token is configured for the streaming server", 401, null);
        }
        HttpResponse<String> answer = post(uri, streamingToken);
        return switch (answer.statusCode()) {
            case 200 -> {
                try {
                    yield json.readTree(answer.body()).path("subscriptions").asInt();
                } catch (IOException e) {
                    throw new MonitorException(uri + " is not monitoring JSON: " + e.getMessage(), 200, e);
                }
            }
            case 404 -> {
                if (answer.body().startsWith("Channel ")) {
                    yield -1;
                }
                throw new MonitorException("the streaming server does not offer deleting channels", 404, null);
            }
            default -> throw new MonitorException(uri + " answered " + answer.statusCode() + ": " + answer.body().trim(),
                    answer.statusCode(), null);
        };
    }

    private HttpResponse<String> post(URI uri, String token) throws MonitorException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MonitorException(uri + " unreachable: " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MonitorException(uri + ": interrupted", 0, e);
        }
    }

    @Override
    public Optional<StreamingServerInfo> streamingServer() throws MonitorException {
        URI uri = URI.create(streaming + "/streaming/serverz");
        HttpResponse<byte[]> answer = get(uri, true);
        if (answer.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(map(uri, answer.body(), StreamingServerInfo.class));
    }

    @Override
    public List<ChannelInfo> channels() throws MonitorException {
        List<ChannelInfo> channels = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            URI uri = URI.create(streaming + "/streaming/channelsz?subs=1&offset=" + offset + "&limit=" + PAGE);
            JsonNode page = tree(uri);
            for (JsonNode channel : page.path("channels")) {
                channels.add(convert(uri, channel, ChannelInfo.class));
            }
            if (page.path("count").asInt() < PAGE || channels.size() >= page.path("total").asInt()) {
                return channels;
            }
        }
    }

    @Override
    public List<StreamingClient> streamingClients() throws MonitorException {
        List<StreamingClient> clients = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            URI uri = URI.create(streaming + "/streaming/clientsz?subs=1&offset=" + offset + "&limit=" + PAGE);
            JsonNode page = tree(uri);
            for (JsonNode client : page.path("clients")) {
                clients.add(convert(uri, client, StreamingClient.class));
            }
            if (page.path("count").asInt() < PAGE || clients.size() >= page.path("total").asInt()) {
                return clients;
            }
        }
    }

    private <T> T read(URI uri, Class<T> type) throws MonitorException {
        return map(uri, get(uri, false).body(), type);
    }

    private JsonNode tree(URI uri) throws MonitorException {
        byte[] body = get(uri, false).body();
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new MonitorException(uri + " is not monitoring JSON: " + e.getMessage(), 200, e);
        }
    }

    private <T> T map(URI uri, byte[] body, Class<T> type) throws MonitorException {
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new MonitorException(uri + " answered null", 200, null);
            }
            return value;
        } catch (IOException e) {
            throw new MonitorException(uri + " is not monitoring JSON: " + e.getMessage(), 200, e);
        }
    }

    private <T> T convert(URI uri, JsonNode node, Class<T> type) throws MonitorException {
        try {
            return json.treeToValue(node, type);
        } catch (IOException e) {
            throw new MonitorException(uri + " is not monitoring JSON: " + e.getMessage(), 200, e);
        }
    }

    /** GETs the URI; any status but 200 (and 404 when {@code notFoundIsAnswer}) is a failure. */
    private HttpResponse<byte[]> get(URI uri, boolean notFoundIsAnswer) throws MonitorException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MonitorException(uri + " unreachable: " + e.getMessage(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MonitorException(uri + ": interrupted", 0, e);
        }
        int status = answer.statusCode();
        if (status == 200 || (status == 404 && notFoundIsAnswer)) {
            return answer;
        }
        String text = new String(answer.body(), StandardCharsets.UTF_8).trim();
        throw new MonitorException(uri + " answered " + status + (text.isEmpty() ? "" : ": " + abbreviate(text)), status, null);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
