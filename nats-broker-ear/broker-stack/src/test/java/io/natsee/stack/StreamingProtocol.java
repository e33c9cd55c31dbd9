package io.natsee.stack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Just enough of the NATS Streaming wire format (protobuf) for the stack test to connect and
 * close a client by hand: the Java streaming client needs an old jnats that clashes with this
 * module's, and the project's generated classes live in the streaming modules. Field numbers as
 * in reference/streaming.md: ConnectRequest{1 clientID, 2 heartbeatInbox, 3 protocol, 4 connID,
 * 5 pingInterval, 6 pingMaxOut}, ConnectResponse{1 pubPrefix, ..., 4 closeRequests, 5 error},
 * CloseRequest{1 clientID}, CloseResponse{1 error}.
 */
final class StreamingProtocol {

    private StreamingProtocol() {
    }

    static byte[] connectRequest(String clientId, String heartbeatInbox) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        string(out, 1, clientId);
        string(out, 2, heartbeatInbox);
        varint(out, 3, 1);
        string(out, 4, "conn-" + clientId);
        varint(out, 5, 5);
        varint(out, 6, 3);
        return out.toByteArray();
    }

    static byte[] closeRequest(String clientId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        string(out, 1, clientId);
        return out.toByteArray();
    }

    /** The string and integer fields of a message, by field number (integers as decimal text). */
    static Map<Integer, String> fields(byte[] message) {
        Map<Integer, String> fields = new HashMap<>();
        int[] at = {0};
        while (at[0] < message.length) {
            long tag = readVarint(message, at);
            int field = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> fields.put(field, Long.toString(readVarint(message, at)));
                case 2 -> {
                    int length = (int) readVarint(message, at);
                    fields.put(field, new String(message, at[0], length, StandardCharsets.UTF_8));
                    at[0] += length;
                }
                default -> throw new IllegalArgumentException("unexpected wire type in field " + field);
            }
        }
        return fields;
    }

    private static void string(ByteArrayOutputStream out, int field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        rawVarint(out, (field << 3) | 2);
        rawVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, int field, long value) {
        rawVarint(out, field << 3);
        rawVarint(out, value);
    }

    private static void rawVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
