package io.natsee.streaming.server;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partitioning's channel matching and the reference's control-message encodings. */
class PartitionsTest {

    @Test
    void patternsMatchSubjectsWhoseTokensAreTakenLiterally() {
        assertTrue(Partitions.matches("orders.*", "orders.new"));
        assertTrue(Partitions.matches("orders.*", "orders.*"));
        assertFalse(Partitions.matches("orders.new", "orders.*"));
        assertFalse(Partitions.matches("orders.*", "orders.new.eu"));
        assertTrue(Partitions.matches("orders.>", "orders.new.eu"));
        assertFalse(Partitions.matches("orders.>", "orders"));
        assertTrue(Partitions.matches("audit", "audit"));
        assertFalse(Partitions.matches("audit", "audit.x"));
    }

    @Test
    void aServerOwnsWhatItsListMatchesAndAnEmptyListIsRefused() {
        Partitions partitions = new Partitions(List.of("orders.*", "audit"), "S1", "c", null);
        assertTrue(partitions.owns("orders.new"));
        assertTrue(partitions.owns("audit"));
        assertFalse(partitions.owns("billing"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new Partitions(List.of(), "S1", "c", null));
        assertEquals("stan: no configured channel", none.getMessage());
    }

    @Test
    void controlMessagesRoundTripWithTheReferencesFieldNumbers() {
        byte[] encoded = new ControlMessage(ControlMessage.PARTITIONING, "S1",
                ControlMessage.channels(List.of("a", "bc"))).encode();
        // field 1 varint 4, field 2 "S1", field 3 the length-prefixed names (little-endian lengths)
        assertArrayEquals(new byte[] {0x08, 4, 0x12, 2, 'S', '1', 0x1a, 7, 1, 0, 'a', 2, 0, 'b', 'c'}, encoded);
        ControlMessage decoded = ControlMessage.decode(encoded);
        assertEquals(ControlMessage.PARTITIONING, decoded.type());
        assertEquals("S1", decoded.serverId());
        assertEquals(List.of("a", "bc"), ControlMessage.channels(decoded.data()));
        assertNull(ControlMessage.channels(new byte[] {5, 0, 'a'}));
    }

    @Test
    void activationTimesUseGosBinaryTimeFormat() {
        Instant time = Instant.parse("2026-12-06T03:50:00.123456789Z");
        byte[] binary = ControlMessage.goTime(time);
        assertEquals(15, binary.length);
        assertEquals(1, binary[0]);
        assertEquals(time, ControlMessage.goTime(binary));
    }
}
