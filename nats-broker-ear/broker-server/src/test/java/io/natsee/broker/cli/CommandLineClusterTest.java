package io.natsee.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.cluster.ClusterOptions;
import io.natsee.broker.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster flags as nats-server 2.9.10 reads them (checked against the binary): each sets
 * its part of {@link ClusterOptions} over the file's {@code cluster} block.
 */
class CommandLineClusterTest {

    private static ClusterOptions cluster(BrokerOptions.Builder base, String... arguments) throws Exception {
        return CommandLine.parse(arguments).applyTo(base).build().cluster();
    }

    private static ClusterOptions cluster(String... arguments) throws Exception {
        return cluster(BrokerOptions.builder(), arguments);
    }

    @Test
    void noFlagsNoCluster() throws Exception {
        assertNull(cluster("-p", "4222"));
    }

    @Test
    void everyFlag() throws Exception {
        ClusterOptions cluster = cluster("--cluster", "nats://ruser:rpass@127.0.0.1:6222", "--cluster_name", "east",
                "--routes", "nats://127.0.0.1:6223, nats://u:p@127.0.0.1:6224", "--cluster_advertise", "10.0.0.1:6222",
                "--no_advertise", "--connect_retries", "4");
        assertEquals("127.0.0.1", cluster.host());
        assertEquals(6222, cluster.port());
        assertEquals("ruser", cluster.user());
        assertEquals("rpass", cluster.password());
        assertEquals("east", cluster.name());
        assertEquals(List.of(URI.create("nats://127.0.0.1:6223"), URI.create("nats://u:p@127.0.0.1:6224")), cluster.routes());
        assertEquals("10.0.0.1:6222", cluster.advertise());
        assertTrue(cluster.noAdvertise());
        assertEquals(4, cluster.connectRetries());
    }

    @Test
    void aRandomPortAndTheListenAlias() throws Exception {
        assertEquals(-1, cluster("--cluster", "nats://127.0.0.1:-1").port());
        ClusterOptions last = cluster("--cluster", "nats://127.0.0.1:1", "--cluster_listen", "nats://127.0.0.2:2");
        assertEquals("127.0.0.2", last.host());
        assertEquals(2, last.port());
    }

    @Test
    void routesNeedAClusterPort() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> cluster("--routes", "nats://127.0.0.1:6222"));
        assertEquals("solicited routes require cluster capabilities, e.g. --cluster", error.getMessage());
    }

    @Test
    void aUserWithoutPasswordIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> cluster("--cluster", "nats://u@127.0.0.1:6222"));
        assertEquals("expected cluster password to be set", error.getMessage());
    }

    @Test
    void flagsOverrideTheFile(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("c.conf"), """
                cluster {
                  name: fromfile
                  listen: 127.0.0.1:7000
                  authorization { user: fu, password: fp }
                  routes: ["nats://127.0.0.1:7001"]
                  no_advertise: true
                }
                """);
        BrokerOptions.Builder builder = ConfigLoader.load(file, BrokerOptions.builder(), Map.of(), warning -> { });
        ClusterOptions kept = cluster(builder.build().toBuilder(), "--cluster_name", "flag");
        assertEquals("flag", kept.name());
        assertEquals(7000, kept.port());
        assertEquals("fu", kept.user(), "other flags keep the file's credentials");
        assertTrue(kept.noAdvertise());
        // --cluster without credentials clears the file's, as nats-server's overrideCluster does.
        ClusterOptions moved = cluster(builder.build().toBuilder(), "--cluster", "nats://127.0.0.1:7100");
        assertEquals(7100, moved.port());
        assertNull(moved.user());
        assertEquals(List.of(URI.create("nats://127.0.0.1:7001")), moved.routes());
        // The file's port satisfies --routes; an empty --routes removes the file's.
        assertEquals(List.of(URI.create("nats://127.0.0.1:7002")),
                cluster(builder.build().toBuilder(), "--routes", "nats://127.0.0.1:7002").routes());
        assertEquals(List.of(), cluster(builder.build().toBuilder(), "--routes", "").routes());
        assertFalse(cluster(builder.build().toBuilder(), "--no_advertise=false").noAdvertise());
        assertFalse(cluster(builder.build().toBuilder(), "--cluster", "").enabled(), "--cluster \"\" switches clustering off");
    }

    @Test
    void helpShowsNatsServersClusterOptions() {
        assertTrue(Usage.TEXT.contains("""
                Cluster Options:
                        --routes <rurl-1, rurl-2>    Routes to solicit and connect
                        --cluster <cluster-url>      Cluster URL for solicited routes
                        --cluster_name <string>      Cluster Name, if not set one will be dynamically generated
                        --no_advertise <bool>        Do not advertise known cluster information to clients
                        --cluster_advertise <string> Cluster URL to advertise to other servers
                        --connect_retries <number>   For implicit routes, number of connect retries
                        --cluster_listen <url>       Cluster url from which members can solicit routes
                """), Usage.TEXT);
    }

    @Test
    void passwordsAreNotShown() throws Exception {
        String text = CommandLine.parse("--cluster", "nats://u:secret@127.0.0.1:1", "--routes", "nats://v:hidden@h:2").toString();
        assertFalse(text.contains("secret"), text);
        assertFalse(text.contains("hidden"), text);
    }
}
