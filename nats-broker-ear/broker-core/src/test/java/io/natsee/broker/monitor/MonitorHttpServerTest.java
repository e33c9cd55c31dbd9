package io.natsee.broker.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MonitorHttpServerTest {

    /** The members of nats-server 2.9.10's /varz for one node without cluster, in its order. */
    static final List<String> REFERENCE_VARZ_FIELDS = List.of(
            "server_id", "server_name", "version", "proto", "go", "host", "port", "max_connections",
            "ping_interval", "ping_max", "http_host", "http_port", "http_base_path", "https_port",
            "auth_timeout", "max_control_line", "max_payload", "max_pending", "cluster", "gateway",
            "leaf", "mqtt", "websocket", "jetstream", "tls_timeout", "write_deadline", "start", "now",
            "uptime", "mem", "cores", "gomaxprocs", "cpu", "connections", "total_connections", "routes",
            "remotes", "leafnodes", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "slow_consumers",
            "subscriptions", "http_req_stats", "config_load_time", "system_account");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Broker broker;
    private MonitorHttpServer http;
    private String base;

    @BeforeEach
    void start() throws IOException {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).httpPort(-1).build());
        broker.start();
        http = new MonitorHttpServer(broker.monitor(), "127.0.0.1", -1, Executors.defaultThreadFactory(), "natsee-server test");
        http.start();
        base = "http://127.0.0.1:" + http.address().getPort();
    }

    @AfterEach
    void stop() {
        http.close();
        broker.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> fieldNames(String json) throws IOException {
        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(json).fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void varzServesIndentedJsonWithTheReferenceFields() throws Exception {
        HttpResponse<String> response = get("/varz");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.headers().firstValue("Date").isPresent());
        assertEquals(REFERENCE_VARZ_FIELDS, fieldNames(response.body()));
        assertTrue(response.body().startsWith("{\n  \"server_id\": \""), response.body());

        JsonNode varz = new ObjectMapper().readTree(response.body());
        assertEquals(broker.serverId(), varz.get("server_id").asText());
        assertEquals(broker.port(), varz.get("port").asInt());
        assertEquals("127.0.0.1", varz.get("http_host").asText());
        assertEquals(-1, varz.get("http_port").asInt(), "the configured value, as nats-server shows it");
        assertEquals(120_000_000_000L, varz.get("ping_interval").asLong());
        assertEquals(10_000_000_000L, varz.get("write_deadline").asLong());
        assertTrue(varz.get("start").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?Z"), varz.get("start").asText());
        assertTrue(varz.get("uptime").asText().matches("(\\d+[ydhm])*\\d+s"), varz.get("uptime").asText());
        assertTrue(varz.get("mem").asLong() > 0);
        assertEquals(1, varz.get("http_req_stats").get("/varz").asLong(), "counted before answering");
    }

    @Test
    void varzHasTheSameFieldsAsARealNatsServer() throws Exception {
        String reference = referenceVarz();
        assumeTrue(reference != null, "nats-server is not installed");
        assertEquals(fieldNames(reference), fieldNames(get("/varz").body()));
    }

    @Test
    void requestsAreCountedPerEndpoint() throws Exception {
        get("/varz");
        get("/healthz");
        get("/");
        get("/nope");
        JsonNode stats = new ObjectMapper().readTree(get("/varz").body()).get("http_req_stats");
        assertEquals(List.of("/", "/healthz", "/varz"), iterate(stats));
        assertEquals(2, stats.get("/varz").asLong());
        assertEquals(1, stats.get("/healthz").asLong());
        assertEquals(1, stats.get("/").asLong());
    }

    private static List<String> iterate(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void healthzIsCompactJson() throws Exception {
        HttpResponse<String> response = get("/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"status\":\"ok\"}", response.body());
    }

    @Test
    void rootIsAnHtmlIndex() throws Exception {
        HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode());
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("href=./varz"), response.body());
        assertTrue(response.body().contains("href=./healthz"), response.body());
    }

    @Test
    void unknownPathsAreNotFoundAsGoSaysIt() throws Exception {
        for (String path : List.of("/nope", "/varz/", "/connz/x", "/healthz/")) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("404 page not found\n", response.body());
            assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
        }
    }

    @Test
    void callbackWrapsTheJsonAsJsonp() throws Exception {
        HttpResponse<String> response = get("/healthz?callback=cb");
        assertEquals("application/javascript", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("cb({\"status\":\"ok\"})", response.body());
        response = get("/varz?x=1&callback=handle");
        assertTrue(response.body().startsWith("handle({\n  \"server_id\""), response.body());
        assertTrue(response.body().endsWith("\n})"), response.body());
    }

    @Test
    void anyMethodIsAnswered() throws Exception {
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "/varz"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertEquals(200, post.statusCode());
        HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void queryParametersAreDecoded() {
        assertEquals("a b", MonitorHttpServer.queryParameter("x=1&callback=a%20b", "callback"));
        assertEquals("", MonitorHttpServer.queryParameter("callback", "callback"));
        assertEquals(null, MonitorHttpServer.queryParameter("x=1", "callback"));
        assertEquals(null, MonitorHttpServer.queryParameter(null, "callback"));
    }

    @Test
    void closeReleasesThePort() throws Exception {
        http.close();
        http.close();
        assertThrows(ConnectException.class, () -> get("/varz"));
    }

    /** /varz of a real nats-server 2.9.10 bound to loopback, or {@code null} when none is installed. */
    private String referenceVarz() throws Exception {
        String executable = null;
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, "nats-server");
            if (candidate.canExecute()) {
                executable = candidate.getPath();
                break;
            }
        }
        if (executable == null) {
            return null;
        }
        Process process = new ProcessBuilder(executable, "-a", "127.0.0.1", "-p", "-1", "-m", "-1")
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Pattern monitor = Pattern.compile("Starting http monitor on 127\\.0\\.0\\.1:(\\d+)");
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher matcher = monitor.matcher(line);
                if (matcher.find()) {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + matcher.group(1) + "/varz")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return response.body();
                }
            }
            return null;
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
