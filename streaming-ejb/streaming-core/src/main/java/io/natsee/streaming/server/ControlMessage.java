package io.natsee.streaming.server;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's server-to-server control message ({@code spb.CtrlMsg}: 1 = type, 2 = server id, 3 = data) as
 * the FT heartbeats and the partitioning lists carry it, with the encodings of their data: a Go
 * {@code time.MarshalBinary} activation time, and channel names each prefixed by a little-endian 16-bit length.
 *
 * @param type     {@link #FT_HEARTBEAT} or {@link #PARTITIONING}
 * @param serverId the sender's server id
 * @param data     the payload
 */
record ControlMessage(int type, String serverId, byte[] data) {
    static final int FT_HEARTBEAT = 3;
    static final int PARTITIONING = 4;
    /** Seconds from Go's zero time (year 1) to the Unix epoch. */
    private static final long GO_EPOCH_OFFSET = 62_135_596_800L;

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + data.length);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            if (type != 0) {
                out.writeEnum(1, type);
            }
            if (!serverId.isEmpty()) {
                out.writeString(2, serverId);
            }
            if (data.length > 0) {
                out.writeByteArray(3, data);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a control message", e);
        }
    }

    /** The message, or null when the bytes are not one. */
    static ControlMessage decode(byte[] bytes) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            int type = 0;
            String serverId = "";
            byte[] data = new byte[0];
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case 1 -> type = in.readEnum();
                    case 2 -> serverId = in.readString();
                    case 3 -> data = in.readByteArray();
                    default -> in.skipField(tag);
                }
            }
            return new ControlMessage(type, serverId, data);
        } catch (IOException e) {
            return null;
        }
    }

    /** Go's {@code time.Time.MarshalBinary} of an instant in UTC (version 1, 15 bytes). */
    static byte[] goTime(Instant time) {
        ByteBuffer out = ByteBuffer.allocate(15).order(ByteOrder.BIG_ENDIAN);
        out.put((byte) 1).putLong(time.getEpochSecond() + GO_EPOCH_OFFSET).putInt(time.getNano()).putShort((short) -1);
        return out.array();
    }

    /** The instant of a Go {@code MarshalBinary} time, or null when the bytes are not one. */
    static Instant goTime(byte[] bytes) {
        if (bytes.length < 15 || (bytes[0] != 1 && bytes[0] != 2)) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        in.get();
        return Instant.ofEpochSecond(in.getLong() - GO_EPOCH_OFFSET, in.getInt());
    }

    /** Channel names, each as a 16-bit little-endian length and its bytes. */
    static byte[] channels(List<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : names) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            out.write(utf8.length & 0xff);
            out.write((utf8.length >>> 8) & 0xff);
            out.writeBytes(utf8);
        }
        return out.toByteArray();
    }

    /** The channel names of {@link #channels(List)}, or null when the bytes are cut. */
    static List<String> channels(byte[] data) {
        List<String> names = new ArrayList<>();
        int position = 0;
        while (position < data.length) {
            if (position + 2 > data.length) {
                return null;
            }
            int length = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
            position += 2;
            if (position + length > data.length) {
                return null;
            }
            names.add(new String(data, position, length, StandardCharsets.UTF_8));
            position += length;
        }
        return names;
    }
}
