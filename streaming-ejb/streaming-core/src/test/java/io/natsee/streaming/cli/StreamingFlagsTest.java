package io.natsee.streaming.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line read as the reference's Go flag package reads it. */
class StreamingFlagsTest {

    @Test
    void aBooleansValueNeedsTheEqualsForm() {
        StreamingFlags equals = StreamingFlags.parse(new String[] {"--file_sync=false", "-st", "FILE"});
        assertTrue(equals.errors.isEmpty(), equals.errors.toString());
        assertEquals(false, equals.bool("file_sync", true));
        StreamingFlags separate = StreamingFlags.parse(new String[] {"--file_sync", "true", "-st", "FILE"});
        // nats-server refuses the first argument that is not a flag, and reads nothing after it.
        assertEquals(List.of("unrecognized command: \"true\""), separate.errors);
        assertEquals(null, separate.get("st"));
    }

    @Test
    void theSqlFtAndPartitioningFlagsAreRead() {
        StreamingFlags flags = StreamingFlags.parse(new String[] {"-st", "SQL", "--sql_driver", "postgres",
                "--sql_source", "host=h dbname=d", "--sql_no_caching", "--sql_max_open_conns", "4",
                "--sql_bulk_insert_limit=50", "--ft_group", "g", "--partitioning=true"});
        assertTrue(flags.errors.isEmpty(), flags.errors.toString());
        assertEquals("host=h dbname=d", flags.get("sql_source"));
        assertEquals("4", flags.get("sql_max_open_conns"));
        assertEquals("50", flags.get("sql_bulk_insert_limit"));
        assertEquals("g", flags.get("ft_group"));
        assertTrue(flags.bool("sql_no_caching", false));
        assertTrue(flags.bool("partitioning", false));
    }
}
