package io.natsee.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fault tolerance between two application servers on one database, as docs/streaming.md tells
 * users to run it: two Payara Micro stacks, each with its broker and its streaming server, the
 * brokers one NATS cluster (routes to each other), the streaming servers one FT group
 * ({@code streaming.ft_group}) on the SQL store, each through its own Payara JDBC pool on the
 * same PostgreSQL database. Exactly one is active; a client publishing with acks through the
 * active stack's broker sees that stack's Payara JVM killed with {@code kill -9}, reconnects to the
 * other broker, and the standby takes over: the time from the kill to the first acknowledgement
 * of a message published after it stays under 5 s, every acknowledged message is in the channel
 * exactly once (read back by a durable subscription from the first message, and as rows of the
 * database), and the surviving Payara logs nothing SEVERE ({@link FaultToleranceScenario}, which
 * the EAR's test on two WildFly servers runs too).
 *
 * <p>PostgreSQL and the pool as {@link PoolDatabase} sets them up (a database of its own, dropped
 * afterwards; {@code -Dnatsee.pg.skip=true} skips the test).
 */
class StackFaultToleranceIT {

    private static final String GROUP = "stack-ft";

    /** One of the two stacks: its ports and, once started, its process. */
    private static final class Node implements FaultToleranceScenario.Member {
        final String name;
        final int natsPort;
        final int httpPort;
        final int routePort;
        StackProcess process;

        Node(String name) throws Exception {
            this.name = name;
            this.natsPort = StackProcess.freePort();
            this.httpPort = StackProcess.freePort();
            this.routePort = StackProcess.freePort();
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
            return "http://127.0.0.1:" + httpPort + path;
        }

        @Override
        public long kill() throws Exception {
            return process.killServer();
        }

        @Override
        public int stop() throws Exception {
            return process.stop();
        }

        @Override
        public void assertNothingSevere(String what) {
            process.assertNoSevere(what);
        }
    }

    @Test
    void theStandbyStackTakesOverFromAKilledActiveOnOnePoolDatabase() throws Exception {
        try (PoolDatabase database = PoolDatabase.create("natsee_stack_ft_")) {
            Node a = new Node("ft-a");
            Node b = new Node("ft-b");
            try {
                Path work = Files.createTempDirectory("stack-ft-it");
                // Each application server has its own pool; both pools reach the same database.
                Path postboot = database.postboot(work, 16);
                Path driver = PoolDatabase.driver();
                startInParallel(work, postboot, driver, a, b);

                FaultToleranceScenario.run("[ft-stack]", "Payara Micro", database, GROUP, a, b);
            } finally {
                stopAll(a, b);
            }
        }
    }

    /** Starts both stacks at once (each takes most of a minute); if one fails, the other is stopped. */
    private static void startInParallel(Path work, Path postboot, Path driver, Node a, Node b) throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Map<Node, CompletableFuture<StackProcess>> starts = new java.util.LinkedHashMap<>();
            for (Node node : List.of(a, b)) {
                Node peer = node == a ? b : a;
                List<String> arguments = List.of("-p", Integer.toString(node.natsPort), "--http-port", Integer.toString(node.httpPort),
                        "-m", "0", "--no-sample", "--postboot", postboot.toString(), "--addlibs", driver.toString());
                Map<String, String> environment = StackProcess.env(
                        "NATSEE_ADMIN_USERS", work.resolve(node.name + "-admin-users.txt").toString(),
                        "NATSEE_STACK_JAVA_OPTS", "-Dstreaming.store=SQL -Dstreaming.sql_driver=postgres"
                                + " -Dstreaming.sql_datasource=" + PoolDatabase.RESOURCE + " -Dstreaming.ft_group=" + GROUP
                                + " -Dnats.server_name=" + node.name + " -Dnats.cluster_name=" + GROUP
                                + " -Dnats.cluster_host=127.0.0.1 -Dnats.cluster_port=" + node.routePort
                                + " -Dnats.routes=nats://127.0.0.1:" + peer.routePort);
                starts.put(node, CompletableFuture.supplyAsync(() -> {
                    try {
                        return StackProcess.start(node.name, arguments, environment);
                    } catch (Exception e) {
                        throw new IllegalStateException(node.name + " did not start: " + e.getMessage(), e);
                    }
                }, starter));
            }
            Exception failure = null;
            for (Map.Entry<Node, CompletableFuture<StackProcess>> start : starts.entrySet()) {
                try {
                    start.getKey().process = start.getValue().get(330, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            starter.shutdownNow();
        }
    }

    private static void stopAll(Node... nodes) throws Exception {
        Exception failure = null;
        for (Node node : nodes) {
            if (node.process != null) {
                try {
                    node.process.stop();
                } catch (Exception e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
