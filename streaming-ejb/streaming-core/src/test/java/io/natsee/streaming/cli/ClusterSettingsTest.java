package io.natsee.streaming.cli;

import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.store.raft.ClusterOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clustering from the command line and from the config file's {@code cluster} block, and what is refused. */
class ClusterSettingsTest {

    @Test
    void theClusterFlagsGiveTheOptions() {
        StreamingFlags flags = StreamingFlags.parse(new String[] {"--clustered", "--cluster_node_id", "b",
                "--cluster_peers", "a@127.0.0.1:6001,b@127.0.0.1:6002,c@127.0.0.1:6003", "--cluster_log_path", "raft",
                "--cluster_raft_logging"});
        assertTrue(flags.errors.isEmpty(), flags.errors.toString());
        ClusterSettings settings = new ClusterSettings();
        settings.apply(flags);
        ClusterOptions options = settings.options();
        assertEquals("b", options.nodeId());
        assertEquals(3, options.peers().size());
        assertEquals("127.0.0.1:6002", options.self().address());
        assertEquals(Path.of("raft"), options.logPathFor("cid"));
        assertTrue(options.raftLogging());
        assertNull(new ClusterSettings().options(), "not clustered without --clustered or a cluster block");
    }

    @Test
    void theConfigBlockTurnsClusteringOnAndFlagsWin() {
        ClusterSettings settings = new ClusterSettings();
        settings.apply(Map.of("node_id", "a", "peers", List.of("a@127.0.0.1:6001", "b@127.0.0.1:6002"),
                "raft_election_timeout", "750ms", "sync", true));
        settings.apply(StreamingFlags.parse(new String[] {"--cluster_node_id", "b"}));
        ClusterOptions options = settings.options();
        assertEquals("b", options.nodeId());
        assertEquals(Duration.ofMillis(750), options.electionTimeout());
        assertEquals(Path.of("cid", "b"), options.logPathFor("cid"), "the reference's default log path");
        assertThrows(IllegalArgumentException.class, () -> new ClusterSettings().apply(Map.of("node", "x")));
    }

    @Test
    void memoryStoreAndPartitioningAreRefusedWithTheReferencesText() {
        ClusterOptions cluster = ClusterOptions.builder().nodeId("a")
                .peers(ClusterOptions.parsePeers(List.of("a@127.0.0.1:6001"))).bootstrap(true).build();
        IllegalArgumentException memory = assertThrows(IllegalArgumentException.class,
                () -> StreamingOptions.builder().cluster(cluster).build());
        assertEquals("stan: clustering mode not supported with MEMORY store type", memory.getMessage());
        IllegalArgumentException partitioning = assertThrows(IllegalArgumentException.class,
                () -> StreamingOptions.builder().cluster(cluster).store(StreamingOptions.StoreType.FILE)
                        .directory(Path.of("d")).partitioning(true).build());
        assertEquals("stan: channels partitioning in clustering mode is not supported", partitioning.getMessage());
        IllegalArgumentException noAddress = assertThrows(IllegalArgumentException.class,
                () -> ClusterOptions.parsePeers(List.of("a,b")));
        assertTrue(noAddress.getMessage().startsWith("cluster peer \"a\" has no Raft address"), noAddress.getMessage());
    }
}
