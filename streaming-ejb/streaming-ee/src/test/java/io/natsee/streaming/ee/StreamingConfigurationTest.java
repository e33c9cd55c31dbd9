package io.natsee.streaming.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.store.jdbc.JdbcDialect;
import java.util.ArrayList;
import java.util.List;
import javax.naming.NameNotFoundException;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamingConfigurationTest {

    @Test
    void byDefaultItUsesTheStackBrokerTheReferenceDefaultsAndDataDirectory() {
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(Map.of());
        StreamingOptions options = settings.options();
        assertEquals("nats://127.0.0.1:4222", options.natsUrl());
        assertEquals("test-cluster", options.clusterId());
        assertEquals(StreamingConfiguration.DEFAULT_STORE, options.store());
        assertEquals(Path.of("./data"), options.directory());
        assertEquals(100, options.limits().maxChannels());
        assertEquals(1_000_000, options.limits().global().maxMsgs());
        assertEquals(Duration.ofSeconds(60), settings.brokerWait());
    }

    @Test
    void theBrokersOwnKeysNameTheStackBroker() {
        Properties system = new Properties();
        system.setProperty("nats.host", "0.0.0.0");
        system.setProperty("nats.port", "5222");
        system.setProperty("streaming.cluster-id", "shop");
        Map<String, String> read = StreamingConfiguration.read(Map.of("STREAMING_STORE", "file", "NATS_PORT", "1"), system, null);
        StreamingOptions options = StreamingConfiguration.settings(read).options();
        assertEquals("nats://127.0.0.1:5222", options.natsUrl(), "system properties win; the wildcard is this machine");
        assertEquals("shop", options.clusterId());
        assertEquals(StreamingOptions.StoreType.FILE, options.store());
    }

    @Test
    void everyLimitAndDurationIsRead() {
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(Map.ofEntries(
                Map.entry("nats_server", "nats://10.0.0.1:4333"), Map.entry("dir", "/var/lib/stan"),
                Map.entry("file_sync", "false"), Map.entry("max_channels", "7"), Map.entry("max_subs", "8"),
                Map.entry("max_msgs", "9"), Map.entry("max_bytes", "1MB"), Map.entry("max_age", "1h"),
                Map.entry("max_inactivity", "30s"), Map.entry("hb_interval", "5s"), Map.entry("hb_timeout", "2s"),
                Map.entry("hb_fail_count", "3"), Map.entry("broker_wait", "500ms")));
        StreamingOptions options = settings.options();
        assertEquals("nats://10.0.0.1:4333", options.natsUrl());
        assertEquals(Path.of("/var/lib/stan"), options.directory());
        assertEquals(false, options.fileSync());
        assertEquals(7, options.limits().maxChannels());
        assertEquals(8, options.limits().global().maxSubscriptions());
        assertEquals(9, options.limits().global().maxMsgs());
        assertEquals(1024 * 1024, options.limits().global().maxBytes());
        assertEquals(Duration.ofHours(1), options.limits().global().maxAge());
        assertEquals(Duration.ofSeconds(30), options.limits().global().maxInactivity());
        assertEquals(Duration.ofSeconds(5), options.heartbeatInterval());
        assertEquals(Duration.ofSeconds(2), options.heartbeatTimeout());
        assertEquals(3, options.heartbeatFailCount());
        assertEquals(Duration.ofMillis(500), settings.brokerWait());
    }

    @Test
    void badValuesAndUnknownKeysAreNamed() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> StreamingConfiguration.settings(Map.of("max_msgs", "lots")));
        assertTrue(bad.getMessage().startsWith("streaming.max_msgs: "), bad.getMessage());
        IllegalArgumentException store = assertThrows(IllegalArgumentException.class,
                () -> StreamingConfiguration.settings(Map.of("store", "JSON")));
        assertTrue(store.getMessage().contains("unsupported store type \"JSON\" (MEMORY, FILE or SQL)"),
                store.getMessage());
        IllegalArgumentException driver = assertThrows(IllegalArgumentException.class,
                () -> StreamingConfiguration.settings(Map.of("store", "SQL", "sql_driver", "mysql"), name -> null));
        assertTrue(driver.getMessage().startsWith("streaming.sql_driver: unsupported sql driver"), driver.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> StreamingConfiguration.settings(Map.of("clusterid", "x")));
        assertTrue(unknown.getMessage().startsWith("unknown key streaming.clusterid"), unknown.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> StreamingConfiguration.settings(Map.of("max_channels", "-1")));
        assertTrue(negative.getMessage().contains("max channels limit cannot be negative (-1)"), negative.getMessage());
        IllegalArgumentException freePort = assertThrows(IllegalArgumentException.class,
                () -> StreamingConfiguration.settings(Map.of("nats.port", "-1")));
        assertTrue(freePort.getMessage().contains("set streaming.nats_server"), freePort.getMessage());
    }

    @Test
    void theSqlStoreTakesTheContainersDefaultDataSourceUnlessOneIsNamed() {
        DataSource h2 = new JdbcDataSource();
        List<String> looked = new ArrayList<>();
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(Map.of("store", "sql"), name -> {
            looked.add(name);
            return h2;
        });
        assertEquals(List.of("java:comp/DefaultDataSource"), looked, "the Jakarta EE default DataSource (H2)");
        assertEquals("java:comp/DefaultDataSource", settings.dataSourceName());
        StreamingOptions options = settings.options();
        assertEquals(StreamingOptions.StoreType.SQL, options.store());
        assertSame(h2, options.dataSource());
        assertEquals(JdbcDialect.H2, options.sql().driver());
        assertNull(options.sql().source());
        assertFalse(options.faultTolerant());

        looked.clear();
        options = StreamingConfiguration.settings(Map.of("store", "SQL", "sql_driver", "postgres",
                "sql_datasource", "jdbc/orders", "sql_no_caching", "true", "sql_max_open_conns", "3",
                "sql_bulk_insert_limit", "50", "ft_group", "orders-ft"), name -> {
                    looked.add(name);
                    return h2;
                }).options();
        assertEquals(List.of("jdbc/orders"), looked);
        assertEquals(JdbcDialect.POSTGRES, options.sql().driver());
        assertTrue(options.sql().noCaching());
        assertEquals(3, options.sql().maxOpenConns());
        assertEquals(50, options.sql().bulkInsertLimit());
        assertEquals("orders-ft", options.ftGroup());
        assertTrue(options.faultTolerant());
    }

    @Test
    void aSqlSourceIsOpenedByTheStoreWithoutTheContainer() {
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(Map.of("store", "SQL",
                "sql_source", "jdbc:h2:mem:orders", "sql_user", "sa"), name -> {
                    throw new AssertionError("no lookup for " + name);
                });
        assertNull(settings.dataSourceName());
        assertNull(settings.options().dataSource());
        assertEquals("jdbc:h2:mem:orders", settings.options().sql().source());
        assertEquals("sa", settings.options().sql().user());
    }

    @Test
    void aDataSourceNameThatDoesNotResolveIsNamed() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> StreamingConfiguration.settings(Map.of("store", "SQL", "sql_datasource", "jdbc/none"), name -> {
                    throw new NameNotFoundException(name);
                }));
        assertTrue(missing.getMessage().startsWith("streaming.sql_datasource: no DataSource at jdbc/none"),
                missing.getMessage());
        IllegalArgumentException unbound = assertThrows(IllegalArgumentException.class,
                () -> StreamingConfiguration.settings(Map.of("store", "SQL"), name -> null));
        assertTrue(unbound.getMessage().contains("nothing is bound to java:comp/DefaultDataSource"),
                unbound.getMessage());
    }

    @Test
    void aFileStoreCanBeInAnFtGroup() {
        StreamingOptions options = StreamingConfiguration.settings(Map.of("store", "FILE", "dir", "/srv/stan",
                "ft_group", "shop")).options();
        assertEquals("shop", options.ftGroup());
        assertNull(options.dataSource());
        assertNull(options.sql());
    }
}
