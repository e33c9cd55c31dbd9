package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandaloneServerTest {

    private static BrokerOptions.Builder loopback() {
        return BrokerOptions.builder().host("127.0.0.1").port(-1);
    }

    @Test
    void pidFileHoldsTheProcessIdWhileRunningAndIsRemovedOnClose(@TempDir Path directory) throws Exception {
        Path pidFile = directory.resolve("natsee.pid");
        try (StandaloneServer server = new StandaloneServer(loopback().pidFile(pidFile).build())) {
            server.start();
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(pidFile));
            try (Socket socket = new Socket("127.0.0.1", server.broker().port())) {
                String info = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertTrue(info.startsWith("INFO {"), info);
            }
            server.close();
            assertFalse(Files.exists(pidFile));
            assertFalse(server.broker().isRunning());
        }
    }

    @Test
    void aPidFileTakenOverByAnotherProcessIsLeftAlone(@TempDir Path directory) throws Exception {
        Path pidFile = directory.resolve("natsee.pid");
        StandaloneServer server = new StandaloneServer(loopback().pidFile(pidFile).build());
        server.start();
        Files.writeString(pidFile, "1");
        server.close();
        assertEquals("1", Files.readString(pidFile));
    }

    @Test
    void monitoringRunsOnlyWithAnHttpPort() throws Exception {
        try (StandaloneServer server = new StandaloneServer(loopback().build())) {
            server.start();
            assertNull(server.monitorAddress());
        }
        try (StandaloneServer server = new StandaloneServer(loopback().httpPort(-1).build())) {
            server.start();
            assertNotNull(server.monitorAddress());
            assertTrue(server.monitorAddress().getPort() > 0);
            assertEquals(InetAddress.getByName("127.0.0.1"), server.monitorAddress().getAddress());
        }
    }

    @Test
    void aBusyClientPortFailsWithNatsServersWordsAndLeavesNothingBehind(@TempDir Path directory) throws Exception {
        Path pidFile = directory.resolve("natsee.pid");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            BrokerOptions options = loopback().port(busy.getLocalPort()).httpPort(-1).pidFile(pidFile).build();
            StandaloneServer server = new StandaloneServer(options);
            IOException error = assertThrows(IOException.class, server::start);
            assertTrue(error.getMessage().startsWith("Error listening on port: 127.0.0.1:" + busy.getLocalPort() + ", \""),
                    error.getMessage());
            assertFalse(Files.exists(pidFile));
            assertNull(server.monitorAddress(), "monitoring stopped again");
            server.close();
        }
    }

    @Test
    void aBusyMonitorPortFails() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StandaloneServer server = new StandaloneServer(loopback().httpPort(busy.getLocalPort()).build());
            IOException error = assertThrows(IOException.class, server::start);
            assertTrue(error.getMessage().startsWith("Can't listen to the monitor port: 127.0.0.1:" + busy.getLocalPort()),
                    error.getMessage());
            assertFalse(server.broker().isRunning());
        }
    }

    @Test
    void startAndShutdownLinesFollowNatsServer() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ServerLog ignored = ServerLog.install(null, false, false, false, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            StandaloneServer server = new StandaloneServer(loopback().httpPort(-1).serverName("lines").build());
            server.start();
            int port = server.broker().port();
            int httpPort = server.monitorAddress().getPort();
            server.close();
            List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines()
                    .map(line -> line.replaceFirst("^\\[\\d+] ", "")).toList();
            assertEquals("[INF] Starting natsee-server", lines.get(0));
            assertTrue(lines.get(1).startsWith("[INF]   Version:  "), lines.get(1));
            assertEquals("[INF]   Name:     lines", lines.get(2));
            assertEquals("[INF]   ID:       " + server.broker().serverId(), lines.get(3));
            assertTrue(lines.contains("[INF] Starting http monitor on 127.0.0.1:" + httpPort), lines.toString());
            assertTrue(lines.contains("[INF] Listening for client connections on 127.0.0.1:" + port), lines.toString());
            int ready = lines.indexOf("[INF] Server is ready");
            assertTrue(ready > lines.indexOf("[INF] Listening for client connections on 127.0.0.1:" + port), lines.toString());
            assertEquals("[INF] Initiating Shutdown...", lines.get(ready + 1), lines.toString());
            assertEquals("[INF] Server Exiting..", lines.get(lines.size() - 1), lines.toString());
        }
    }

    @Test
    void startsOnlyOnce() throws Exception {
        try (StandaloneServer server = new StandaloneServer(loopback().build())) {
            server.start();
            assertThrows(IllegalStateException.class, server::start);
        }
    }
}
