package io.natsee.ear;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.natsee.stack.FaultToleranceScenario;
import io.natsee.stack.PoolDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fault tolerance between two WildFly servers on one PostgreSQL database, as docs/streaming.md
 * tells users to run it: each server has the EAR unchanged (the broker, the streaming server),
 * the PostgreSQL driver deployed and a datasource on the shared database (a {@code -ds.xml}
 * deployment); the brokers are one NATS cluster, the streaming servers one FT group on the SQL
 * store through their own server's datasource. Then the same scenario as the Payara Micro stacks'
 * {@code StackFaultToleranceIT} ({@link FaultToleranceScenario}): {@code kill -9} of the active
 * server's JVM under a publisher with acks, the standby serves within 5 s, every acknowledged
 * message stored once, nothing logged at ERROR, the survivor's clean stop frees the lock row.
 *
 * <p>Each server runs from the unpacked WildFly with a base directory of its own (a copy of the
 * {@code standalone} configuration). {@code -Dnatsee.pg.skip=true} skips the test, as does an
 * {@code ear.it.servers} without {@code wildfly}.
 */
class WildFlyFaultToleranceIT {

    private static final Path EAR = Path.of(System.getProperty("ear.file", "target/natsee.ear"));
    private static final String GROUP = "wildfly-ft";
    private static final String DATASOURCE = "java:jboss/datasources/NatseeStreaming";
    private static final String DRIVER = "postgresql.jar";
    /** A WildFly log line at ERROR (or FATAL): date, time, level. */
    private static final Pattern SEVERE = Pattern.compile("(?m)^\\S+ \\S+ (ERROR|FATAL) .*$");

    /** One WildFly server with the EAR: its ports, its base directory and, once started, its process. */
    private static final class Server implements FaultToleranceScenario.Member {
        final String name;
        final Path base;
        final int offset;
        final int natsPort;
        final int monitorPort;
        final int routePort;
        Process process;

        Server(String name, Path base, int offset) throws IOException {
            this.name = name;
            this.base = base;
            this.offset = offset;
            this.natsPort = EarIT.freePort();
            this.monitorPort = EarIT.freePort();
            this.routePort = EarIT.freePort();
        }

        Path deployments() {
            return base.resolve("deployments");
        }

        Path log() {
            return base.resolve("log/server.log");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String natsUrl() {
            return "nats://127.0.0.1:" + natsPort;
        }

        @Override
        public String http(String path) {
            return "http://127.0.0.1:" + (8080 + offset) + path;
        }

        /** {@code kill -9} of the WildFly JVM (standalone.sh's child) and of anything else the script started. */
        @Override
        public long kill() throws Exception {
            List<ProcessHandle> jvm = process.descendants().toList();
            if (jvm.isEmpty()) {
                throw new IllegalStateException(name + ": standalone.sh " + process.pid() + " has no JVM");
            }
            long at = System.nanoTime();
            jvm.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle child : jvm) {
                try {
                    child.onExit().get(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new IllegalStateException(name + ": process " + child.pid() + " outlived kill -9 by 10 s");
                }
            }
            return at;
        }

        /**
         * SIGTERM to standalone.sh, which stops WildFly gracefully; 0 when it stopped within 90 s and
         * logged that it stopped (WFLYSRV0050), its exit status otherwise (-1: it had to be killed).
         */
        @Override
        public int stop() throws Exception {
            if (process == null) {
                return -1;
            }
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            boolean exited = process.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                try {
                    child.onExit().get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    child.destroyForcibly();
                }
            }
            if (!exited) {
                return -1;
            }
            return Files.exists(log()) && Files.readString(log()).contains("WFLYSRV0050") ? 0 : process.exitValue();
        }

        @Override
        public void assertNothingSevere(String what) throws IOException {
            Matcher severe = SEVERE.matcher(Files.readString(log()));
            List<String> lines = new ArrayList<>();
            while (severe.find() && lines.size() < 5) {
                lines.add(severe.group());
            }
            if (!lines.isEmpty()) {
                throw new AssertionError(what + ": WildFly logged\n" + String.join("\n", lines));
            }
        }
    }

    @Test
    void theStandbyWildFlyTakesOverFromAKilledActiveOnOneDatabase() throws Exception {
        assumeTrue(Arrays.asList(System.getProperty("ear.it.servers", "wildfly").split(",")).contains("wildfly"));
        Path home = Path.of(System.getProperty("wildfly.home"));
        try (PoolDatabase database = PoolDatabase.create("natsee_wildfly_ft_")) {
            Path work = Files.createTempDirectory(Path.of("target"), "wildfly-ft-");
            int firstOffset = freeOffset(-1);
            Server a = new Server("wf-a", work.resolve("wf-a"), firstOffset);
            Server b = new Server("wf-b", work.resolve("wf-b"), freeOffset(firstOffset));
            try {
                for (Server server : List.of(a, b)) {
                    prepare(home, server, database);
                }
                CompletableFuture<Void> startA = CompletableFuture.runAsync(() -> start(home, a, b));
                CompletableFuture<Void> startB = CompletableFuture.runAsync(() -> start(home, b, a));
                startA.get(300, TimeUnit.SECONDS);
                startB.get(300, TimeUnit.SECONDS);
                FaultToleranceScenario.run("[ft-wildfly]", "WildFly", database, GROUP, a, b);
            } finally {
                a.stop();
                b.stop();
            }
        }
    }

    /** The server's base directory: WildFly's standalone configuration, the driver and the datasource deployed. */
    private static void prepare(Path home, Server server, PoolDatabase database) throws IOException {
        Path configuration = home.resolve("standalone/configuration");
        try (Stream<Path> files = Files.walk(configuration)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = server.base.resolve("configuration").resolve(configuration.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().startsWith("standalone_xml_history")) {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.createDirectories(server.deployments());
        try {
            Files.copy(PoolDatabase.driver(), server.deployments().resolve(DRIVER));
        } catch (Exception e) {
            throw new IOException("the PostgreSQL driver's JAR: " + e, e);
        }
        Files.writeString(server.deployments().resolve("natsee-streaming-ds.xml"),
                database.wildFlyDataSource(DATASOURCE, DRIVER, 16));
    }

    /** Starts the server routed to {@code peer}, waits for the datasource, then deploys the EAR and waits for it. */
    private static void start(Path home, Server server, Server peer) {
        try {
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                    "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                    "-Djboss.server.base.dir=" + server.base.toAbsolutePath(),
                    "-Djboss.socket.binding.port-offset=" + server.offset,
                    "-Dnats.host=127.0.0.1", "-Dnats.port=" + server.natsPort, "-Dnats.http_port=" + server.monitorPort,
                    "-Dnats.server_name=" + server.name, "-Dnats.cluster_name=" + GROUP,
                    "-Dnats.cluster_host=127.0.0.1", "-Dnats.cluster_port=" + server.routePort,
                    "-Dnats.routes=nats://127.0.0.1:" + peer.routePort,
                    "-Dstreaming.store=SQL", "-Dstreaming.sql_driver=postgres",
                    "-Dstreaming.sql_datasource=" + DATASOURCE, "-Dstreaming.ft_group=" + GROUP)
                    .redirectErrorStream(true).redirectOutput(server.base.resolve("console.log").toFile());
            builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
            builder.environment().put("JAVA_OPTS", "-Xms64m -Xmx512m -Djava.net.preferIPv4Stack=true");
            server.process = builder.start();
            awaitMarker(server, "natsee-streaming-ds.xml", ".deployed");
            Files.copy(EAR, server.deployments().resolve("natsee.ear"));
            awaitMarker(server, "natsee.ear", ".deployed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitMarker(Server server, String name, String marker) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        Path deployments = server.deployments();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve(name + marker))) {
                return;
            }
            if (Files.exists(deployments.resolve(name + ".failed"))) {
                throw new AssertionError(server.name + ": " + name + " failed to deploy: "
                        + Files.readString(deployments.resolve(name + ".failed")) + "\n" + tail(server.log()));
            }
            if (!server.process.isAlive()) {
                throw new AssertionError(server.name + " exited\n" + tail(server.base.resolve("console.log")));
            }
            Thread.sleep(200);
        }
        throw new AssertionError(server.name + ": no " + name + marker + " in time\n" + tail(server.log()));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no " + log + ")";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** A free WildFly port offset other than {@code taken} (EarIT's choice). */
    private static int freeOffset(int taken) throws IOException {
        int offset;
        do {
            offset = EarIT.freeOffset();
        } while (offset == taken);
        return offset;
    }
}
