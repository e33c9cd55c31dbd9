package io.natsee.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's run command: {@code java -jar natsee-stack.jar} starts, clients and the sample
 * application work, SIGTERM stops everything and leaves no process and no open port.
 */
class StackIT {

    @Test
    void theStackStartsServesAndStopsCleanly() throws Exception {
        int natsPort = StackProcess.freePort();
        int httpPort = StackProcess.freePort();
        int monitorPort = StackProcess.freePort();
        Path jar = StackProcess.jar();
        // The user's own application, deployed with --deploy: a copy of the sample under another name.
        Path userWar = Files.copy(jar.resolveSibling("natsee-stack").resolve("natsee-greeter.war"),
                Files.createTempDirectory("stack-it").resolve("shop.war"), StandardCopyOption.REPLACE_EXISTING);
        // A users file that does not exist yet: the stack creates the first operator and prints it.
        StackProcess started = StackProcess.start(List.of("-p", Integer.toString(natsPort), "--http-port", Integer.toString(httpPort),
                        "-m", Integer.toString(monitorPort), "--deploy", userWar.toString()),
                StackProcess.env("NATSEE_ADMIN_USERS", Files.createTempDirectory("stack-it-admin").resolve("admin-users.txt").toString()));
        Process stack = started.process();
        long stopMillis = -1;
        List<ProcessHandle> server = List.of();
        try {
            String printed = started.banner();
            assertTrue(printed.contains("nats://127.0.0.1:" + natsPort), printed);
            assertTrue(printed.contains("http://127.0.0.1:" + httpPort + "/greeter/api/greetings"), printed);
            assertTrue(printed.contains("http://127.0.0.1:" + httpPort + "/admin/"), printed);
            java.util.regex.Matcher account = java.util.regex.Pattern.compile("first operator +user admin, password (\\S+)").matcher(printed);
            assertTrue(account.find(), printed);
            String dashboard = ConsoleLogin.dashboard(URI.create("http://127.0.0.1:" + httpPort + "/admin/"), "admin", account.group(1));
            assertTrue(dashboard.contains("<h1>Dashboard</h1>"), dashboard);
            server = stack.descendants().toList();
            assertFalse(server.isEmpty(), "Payara Micro runs as the launcher's child");

            try (Connection nc = Nats.connect("nats://127.0.0.1:" + natsPort)) {
                Subscription sub = nc.subscribe("tour.>");
                nc.publish("tour.one", "hi".getBytes(StandardCharsets.UTF_8));
                Message got = sub.nextMessage(Duration.ofSeconds(5));
                assertNotNull(got);
                assertEquals("hi", new String(got.getData(), StandardCharsets.UTF_8));

                // The sample's message-driven bean answers requests (its activation may still be connecting).
                Message reply = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (reply == null && System.nanoTime() < deadline) {
                    try {
                        reply = nc.request("greetings.joe", "joe".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
                    } catch (Exception noRespondersYet) {
                        Thread.sleep(200);
                    }
                }
                assertNotNull(reply, "the sample MDB answered");
                assertEquals("hello, joe", new String(reply.getData(), StandardCharsets.UTF_8));

                Subscription web = nc.subscribe("greetings.web");
                nc.flush(Duration.ofSeconds(2));
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + httpPort + "/greeter/api/greetings";
                HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base))
                        .POST(HttpRequest.BodyPublishers.ofString("from rest")).header("Content-Type", "text/plain").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, posted.statusCode(), posted.body());
                Message fromRest = web.nextMessage(Duration.ofSeconds(5));
                assertNotNull(fromRest, "REST published on greetings.web");
                assertEquals("from rest", new String(fromRest.getData(), StandardCharsets.UTF_8));
                String listed = "";
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!listed.contains("greetings.web: from rest") && System.nanoTime() < deadline) {
                    listed = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).body();
                    Thread.sleep(100);
                }
                assertTrue(listed.contains("greetings.web: from rest"), listed);

                HttpResponse<String> varz = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/broker/varz")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, varz.statusCode());
                assertTrue(varz.body().contains("\"port\": " + natsPort), varz.body());

                monitoringPortAndStreaming(nc, http, monitorPort, httpPort);

                HttpResponse<String> user = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/shop/api/greetings")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, user.statusCode(), "the --deploy WAR answers under its file name: " + user.body());
            }
        } finally {
            long stopping = System.nanoTime();
            stack.destroy();
            boolean exited = stack.waitFor(90, TimeUnit.SECONDS);
            stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            System.out.println("stack stop took " + stopMillis + " ms");
            if (!exited) {
                stack.destroyForcibly();
            }
            for (ProcessHandle child : server) {
                if (!child.onExit().isDone()) {
                    child.onExit().get(30, TimeUnit.SECONDS);
                }
            }
            assertTrue(exited, "the launcher stopped");
        }
        assertEquals(0, stack.exitValue());
        assertTrue(stopMillis < 5_000, "the stack took " + stopMillis + " ms to stop");
        for (ProcessHandle child : server) {
            assertFalse(child.isAlive(), "process " + child.pid() + " left running");
        }
        assertFalse(accepts(natsPort), "NATS port still open");
        assertFalse(accepts(monitorPort), "monitoring port still open");
        assertFalse(accepts(httpPort), "HTTP port still open");
    }

    /**
     * The broker's own monitoring port answers as nats-server's; a client connects to the managed
     * streaming server through the discover subject, is listed in /streaming/clientsz and closes;
     * MicroProfile Health and Metrics report both servers.
     */
    private static void monitoringPortAndStreaming(Connection nc, HttpClient http, int monitorPort, int httpPort) throws Exception {
        String monitor = "http://127.0.0.1:" + monitorPort;
        HttpResponse<String> varz = get(http, monitor + "/varz");
        assertEquals(200, varz.statusCode());
        assertTrue(varz.body().contains("\"http_port\": " + monitorPort + ","), varz.body());
        HttpResponse<String> connz = get(http, monitor + "/connz");
        assertEquals(200, connz.statusCode());
        assertTrue(connz.body().contains("\"name\": \"_NSS-test-cluster-general\""), "the streaming server is a client: " + connz.body());

        String base = "http://127.0.0.1:" + httpPort;
        HttpResponse<String> serverz = get(http, base + "/streaming/serverz");
        assertEquals(200, serverz.statusCode(), serverz.body());
        assertTrue(serverz.body().contains("\"cluster_id\": \"test-cluster\""), serverz.body());
        HttpResponse<String> storez = get(http, base + "/streaming/storez");
        assertTrue(storez.body().matches("(?s).*\"type\": \"(MEMORY|FILE)\".*"), storez.body());

        Message connected = nc.request("_STAN.discover.test-cluster", StreamingProtocol.connectRequest("stack-it", nc.createInbox()),
                Duration.ofSeconds(5));
        java.util.Map<Integer, String> response = StreamingProtocol.fields(connected.getData());
        assertEquals(null, response.get(5), "no error");
        assertTrue(response.getOrDefault(1, "").startsWith("_STAN.pub."), "a publish prefix: " + response);
        String clients = get(http, base + "/streaming/clientsz").body();
        assertTrue(clients.contains("\"id\": \"stack-it\""), clients);
        String metrics = get(http, base + "/metrics").body();
        assertTrue(metrics.matches("(?s).*nats_streaming_clients\\{[^}]*\\} 1(\\.0)?\\n.*"), metrics);
        assertTrue(metrics.contains("nats_broker_connections"), metrics);
        Message closed = nc.request(response.get(4), StreamingProtocol.closeRequest("stack-it"), Duration.ofSeconds(5));
        assertEquals(null, StreamingProtocol.fields(closed.getData()).get(1), "the close had no error");
        assertTrue(get(http, base + "/streaming/clientsz").body().contains("\"count\": 0,"));

        HttpResponse<String> ready = get(http, base + "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("nats-streaming") && ready.body().contains("nats-broker"), ready.body());
        HttpResponse<String> live = get(http, base + "/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.body().contains("nats-streaming") && live.body().contains("nats-broker"), live.body());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
