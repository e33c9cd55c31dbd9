package io.natsee.streaming.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Options, sources, the schema scripts and the attribute encoding. */
class JdbcStoreOptionsTest {

    @Test
    void propertiesUseTheReferenceKeysAndDefaults() {
        Properties properties = new Properties();
        properties.setProperty("sql_driver", "Postgres");
        properties.setProperty("sql_source", "jdbc:postgresql://db/streaming");
        properties.setProperty("sql_no_caching", "true");
        properties.setProperty("sql_bulk_insert_limit", "250");
        JdbcStoreOptions options = JdbcStoreOptions.fromProperties(properties);
        assertEquals(JdbcDialect.POSTGRES, options.driver());
        assertTrue(options.noCaching());
        assertEquals(250, options.bulkInsertLimit());
        assertEquals(JdbcStoreOptions.DEFAULT_MAX_OPEN_CONNS, options.maxOpenConns());
        properties.setProperty("sql_max_open_conns", "many");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> JdbcStoreOptions.fromProperties(properties));
        assertEquals("sql_max_open_conns: not a number: \"many\"", bad.getMessage());
        properties.setProperty("sql_driver", "mysql");
        assertEquals("unsupported sql driver \"mysql\" (supported: postgres, h2)",
                assertThrows(IllegalArgumentException.class, () -> JdbcStoreOptions.fromProperties(properties))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> JdbcStoreOptions.of(JdbcDialect.H2, "x").withBulkInsertLimit(0));
        assertThrows(IllegalArgumentException.class, () -> JdbcStoreOptions.of(JdbcDialect.H2, "x").withMaxOpenConns(-1));
    }

    @Test
    void aLibPqDsnBecomesAJdbcUrlAndPasswordsAreHidden() {
        assertEquals("jdbc:postgresql://db.example:5433/streaming?user=stan&password=s%26cret&sslmode=require",
                JdbcDataSources.jdbcUrl(JdbcDialect.POSTGRES,
                        "host=db.example port=5433 dbname=streaming user=stan password=s&cret sslmode=require"));
        assertEquals("jdbc:h2:file:./store", JdbcDataSources.jdbcUrl(JdbcDialect.H2, " jdbc:h2:file:./store "));
        assertEquals("jdbc:postgresql://db.example:5433/streaming?sslmode=disable&user=stan&password=s%26cret",
                JdbcDataSources.jdbcUrl(JdbcDialect.POSTGRES,
                        "postgres://stan:s%26cret@db.example:5433/streaming?sslmode=disable"));
        assertEquals("jdbc:postgresql://db/x", JdbcDataSources.jdbcUrl(JdbcDialect.POSTGRES, "postgresql://db/x"));
        assertThrows(IllegalArgumentException.class, () -> JdbcDataSources.jdbcUrl(JdbcDialect.H2, "dbname=x"));
        assertThrows(IllegalArgumentException.class, () -> JdbcDataSources.jdbcUrl(JdbcDialect.POSTGRES, "  "));
        assertThrows(IllegalArgumentException.class,
                () -> JdbcDataSources.create(JdbcStoreOptions.of(JdbcDialect.H2, "jdbc:postgresql://db/x")));
        String shown = JdbcStoreOptions.of(JdbcDialect.POSTGRES, "jdbc:postgresql://db/x?user=a&password=secret")
                .withCredentials("a", "secret").toString();
        assertFalse(shown.contains("secret"), shown);
    }

    @Test
    void bothSchemaScriptsDefineTheSameTables() {
        for (JdbcDialect dialect : JdbcDialect.values()) {
            String script = String.join(";", dialect.schemaStatements());
            for (String table : new String[] {"natsee_store", "natsee_server_info", "natsee_clients", "natsee_channels",
                    "natsee_messages", "natsee_subscriptions", "natsee_pending", "natsee_store_lock"}) {
                assertTrue(script.contains("CREATE TABLE IF NOT EXISTS " + table + " ("), dialect + ": " + table);
            }
            assertFalse(script.contains("--"), "comments are removed");
        }
    }

    @Test
    void attributesSurviveAnyCharacters() {
        Map<String, String> attributes = Map.of("a", "", "key:with:colons", "12:34", "", "empty key", "ü", "ß\n");
        assertEquals(attributes, AttributeCodec.decode(AttributeCodec.encode(attributes)));
        assertEquals(Map.of(), AttributeCodec.decode(AttributeCodec.encode(Map.of())));
        assertThrows(IllegalArgumentException.class, () -> AttributeCodec.decode("5:abc"));
        assertThrows(IllegalArgumentException.class, () -> AttributeCodec.decode("x:abc"));
    }
}
