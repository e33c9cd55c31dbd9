package io.natsee.streaming.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message of a channel's log, with the fields of the streaming protocol's {@code MsgProto}.
 *
 * <p>Fields as the reference stores them: {@code sequence} (assigned by the store, from 1,
 * gap-free within a channel's life), {@code subject} (the channel's name), {@code reply} (the
 * publisher's reply subject, {@code ""} when none), {@code data} (the payload, never null),
 * {@code timestamp} (Unix time in nanoseconds, given by the server at publish time),
 * {@code redelivered}, {@code redeliveryCount} and {@code crc32} (protocol fields 6, 7 and 10: the
 * reference stores them as false, 0 and 0; the server sets the first two per delivery, see
 * {@link #asDelivery(boolean, int)}). The stores never copy {@code data}: the caller must not
 * change the array after {@link MsgStore#append}, and readers must not change what they get.
 *
 * @param sequence the message's sequence in its channel, at least 1
 * @param subject the channel's name
 * @param reply the reply subject, {@code ""} when none
 * @param data the payload
 * @param timestamp Unix time of the publish in nanoseconds
 * @param redelivered protocol field 6
 * @param redeliveryCount protocol field 7
 * @param crc32 protocol field 10
 */
public record StoredMessage(long sequence, String subject, String reply, byte[] data, long timestamp,
                            boolean redelivered, int redeliveryCount, int crc32) {

    /** Checks the fields and normalises a null reply to {@code ""}. */
    public StoredMessage {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(data, "data");
        if (reply == null) {
            reply = "";
        }
    }

    /** A message as stored: not redelivered, count 0, CRC field 0. */
    public StoredMessage(long sequence, String subject, String reply, byte[] data, long timestamp) {
        this(sequence, subject, reply, data, timestamp, false, 0, 0);
    }

    /** The same message with the delivery fields set, for a (re)delivery to one subscriber. */
    public StoredMessage asDelivery(boolean redelivered, int redeliveryCount) {
        return new StoredMessage(sequence, subject, reply, data, timestamp, redelivered, redeliveryCount, crc32);
    }

    /**
     * The size this message counts for in the channel's byte total and against
     * {@link ChannelLimits#maxBytes()}: the length of its {@code MsgProto} protobuf encoding, as
     * the reference counts ({@code MsgProto.Size()}), so {@code channelsz} and {@code storez}
     * byte figures match it. Computed here without protobuf.
     */
    public int encodedSize() {
        return encodedSize(sequence, subject.getBytes(StandardCharsets.UTF_8).length,
                reply.getBytes(StandardCharsets.UTF_8).length, data.length, timestamp,
                redelivered, redeliveryCount, crc32);
    }

    /** {@link #encodedSize()} from the field lengths (UTF-8 byte lengths of subject and reply). */
    public static int encodedSize(long sequence, int subjectLength, int replyLength, int dataLength,
                                  long timestamp, boolean redelivered, int redeliveryCount, int crc32) {
        int size = 0;
        if (sequence != 0) {
            size += 1 + varintSize(sequence);
        }
        if (subjectLength > 0) {
            size += 1 + varintSize(subjectLength) + subjectLength;
        }
        if (replyLength > 0) {
            size += 1 + varintSize(replyLength) + replyLength;
        }
        if (dataLength > 0) {
            size += 1 + varintSize(dataLength) + dataLength;
        }
        if (timestamp != 0) {
            size += 1 + varintSize(timestamp);
        }
        if (redelivered) {
            size += 2;
        }
        if (redeliveryCount != 0) {
            size += 1 + varintSize(redeliveryCount & 0xFFFFFFFFL);
        }
        if (crc32 != 0) {
            size += 1 + varintSize(crc32 & 0xFFFFFFFFL);
        }
        return size;
    }

    private static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredMessage m
                && sequence == m.sequence && timestamp == m.timestamp && redelivered == m.redelivered
                && redeliveryCount == m.redeliveryCount && crc32 == m.crc32
                && subject.equals(m.subject) && reply.equals(m.reply) && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, subject, reply, timestamp) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "StoredMessage[seq=" + sequence + ", subject=" + subject + ", reply=" + reply
                + ", size=" + data.length + ", timestamp=" + timestamp + "]";
    }
}
