package io.natsee.streaming.store.file;

import io.natsee.streaming.store.CorruptStoreException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One append-only file of framed records, with an in-memory write buffer.
 *
 * <p>Frame: payload length (int, big-endian), CRC32C of the payload (int), payload. Records are
 * built in the buffer ({@link #begin()}, the {@code put} methods, {@link #end()}) and reach the file
 * in {@link #writeOut()}, which the owner calls at a flush or when the buffer is over its limit. A
 * record is therefore either wholly in the file or wholly in the buffer, and {@link #read} finds it
 * in either. Not thread-safe: the owner's lock guards every method except {@link #force()}, which
 * may run concurrently with appends.
 */
final class RecordLog {

    /** Bytes of the frame before each payload. */
    static final int FRAME = 8;
    /**
     * Largest payload accepted: NATS caps a message at 64 MiB, plus room for the reply subject and
     * the fields; a bigger length read during recovery is a torn or bad record.
     */
    static final int MAX_PAYLOAD = 65 * 1024 * 1024;
    private static final int INITIAL_BUFFER = 4096;
    private static final int SHRINK_ABOVE = 256 * 1024;

    private Path path;
    private final FileChannel channel;
    private final int bufferLimit;
    private final CRC32C crc = new CRC32C();
    private long written;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int buffered;
    private int recordStart = -1;
    private int smallWriteOuts;

    private RecordLog(Path path, FileChannel channel, long written, int bufferLimit) {
        this.path = path;
        this.channel = channel;
        this.written = written;
        this.bufferLimit = bufferLimit;
    }

    /** A new, empty file; fails if it exists. */
    static RecordLog create(Path path, int bufferLimit) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new RecordLog(path, channel, 0, bufferLimit);
    }

    /** An existing file, cut to {@code validLength} (torn tail dropped), positioned for appends. */
    static RecordLog open(Path path, long validLength, int bufferLimit) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (channel.size() > validLength) {
                channel.truncate(validLength);
                channel.force(true);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new RecordLog(path, channel, validLength, bufferLimit);
    }

    Path path() {
        return path;
    }

    /** This log after its file was renamed to {@code newPath}. */
    RecordLog renamed(Path newPath) {
        path = newPath;
        return this;
    }

    /** Offset at which the next record will start (file bytes plus buffered bytes). */
    long position() {
        return written + buffered;
    }

    /** Bytes already handed to the operating system. */
    long writtenBytes() {
        return written;
    }

    /** Whether records are buffered and not yet written to the file. */
    boolean hasBuffered() {
        return buffered > 0;
    }

    /** Whether the buffer has reached its limit and should be written out. */
    boolean overLimit() {
        return buffered >= bufferLimit;
    }

    /** Starts a record. */
    void begin() {
        ensure(FRAME);
        recordStart = buffered;
        buffered += FRAME;
    }

    void putByte(int value) {
        ensure(1);
        buffer[buffered++] = (byte) value;
    }

    void putInt(int value) {
        ensure(4);
        putIntAt(buffer, buffered, value);
        buffered += 4;
    }

    void putLong(long value) {
        ensure(8);
        putIntAt(buffer, buffered, (int) (value >>> 32));
        putIntAt(buffer, buffered + 4, (int) value);
        buffered += 8;
    }

    void putBytes(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, buffered, length);
        buffered += length;
    }

    /** A length-prefixed UTF-8 string. */
    void putString(String value) {
        if (value.isEmpty()) {
            putInt(0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        putInt(bytes.length);
        putBytes(bytes, 0, bytes.length);
    }

    /** A length-prefixed byte array. */
    void putBlob(byte[] bytes) {
        putInt(bytes.length);
        putBytes(bytes, 0, bytes.length);
    }

    /**
     * Ends the record: fills in its frame and returns its offset.
     *
     * @throws IllegalArgumentException if the payload is larger than {@link #MAX_PAYLOAD}
     */
    long end() {
        int length = buffered - recordStart - FRAME;
        if (length > MAX_PAYLOAD) {
            buffered = recordStart;
            recordStart = -1;
            throw new IllegalArgumentException("record of " + length + " bytes exceeds the store's maximum of "
                    + MAX_PAYLOAD);
        }
        crc.reset();
        crc.update(buffer, recordStart + FRAME, length);
        putIntAt(buffer, recordStart, length);
        putIntAt(buffer, recordStart + 4, (int) crc.getValue());
        long offset = written + recordStart;
        recordStart = -1;
        return offset;
    }

    /** Writes the buffered records to the file (no fsync). */
    void writeOut() throws IOException {
        if (buffered == 0) {
            return;
        }
        ByteBuffer source = ByteBuffer.wrap(buffer, 0, buffered);
        long position = written;
        while (source.hasRemaining()) {
            position += channel.write(source, position);
        }
        written = position;
        if (buffer.length > SHRINK_ABOVE && buffered < buffer.length / 4) {
            if (++smallWriteOuts >= 16) {
                buffer = new byte[Math.max(INITIAL_BUFFER, buffer.length / 4)];
                smallWriteOuts = 0;
            }
        } else {
            smallWriteOuts = 0;
        }
        buffered = 0;
    }

    /** Forces the written bytes to the device; may run while the owner appends. */
    void force() throws IOException {
        channel.force(false);
    }

    /** The payload of the record at {@code offset}, its CRC checked. */
    byte[] read(long offset) throws IOException {
        if (offset >= written) {
            int start = (int) (offset - written);
            int length = intAt(buffer, start);
            byte[] payload = new byte[length];
            System.arraycopy(buffer, start + FRAME, payload, 0, length);
            return payload;
        }
        ByteBuffer frame = ByteBuffer.allocate(FRAME);
        readFully(frame, offset);
        int length = frame.getInt(0);
        int expected = frame.getInt(4);
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new CorruptStoreException("bad record length " + length + " at offset " + offset + " in " + path);
        }
        byte[] payload = new byte[length];
        readFully(ByteBuffer.wrap(payload), offset + FRAME);
        CRC32C check = new CRC32C();
        check.update(payload, 0, length);
        if ((int) check.getValue() != expected) {
            throw new CorruptStoreException("CRC mismatch of the record at offset " + offset + " in " + path);
        }
        return payload;
    }

    private void readFully(ByteBuffer target, long position) throws IOException {
        while (target.hasRemaining()) {
            int read = channel.read(target, position);
            if (read < 0) {
                throw new CorruptStoreException("unexpected end of " + path + " at offset " + position);
            }
            position += read;
        }
    }

    /** Closes the file; buffered records are discarded (write them out first). */
    void close() throws IOException {
        channel.close();
    }

    private void ensure(int more) {
        if (buffered + more > buffer.length) {
            long wanted = Math.max((long) buffer.length * 2, (long) buffered + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("record too large");
            }
            byte[] grown = new byte[(int) wanted];
            System.arraycopy(buffer, 0, grown, 0, buffered);
            buffer = grown;
        }
    }

    static void putIntAt(byte[] target, int index, int value) {
        target[index] = (byte) (value >>> 24);
        target[index + 1] = (byte) (value >>> 16);
        target[index + 2] = (byte) (value >>> 8);
        target[index + 3] = (byte) value;
    }

    static int intAt(byte[] source, int index) {
        return (source[index] & 0xFF) << 24 | (source[index + 1] & 0xFF) << 16 | (source[index + 2] & 0xFF) << 8
                | (source[index + 3] & 0xFF);
    }

    /** One framed record as bytes, for small files written whole (see {@link FileUtil#writeAtomically}). */
    static byte[] frame(byte[] payload) {
        byte[] framed = new byte[FRAME + payload.length];
        CRC32C check = new CRC32C();
        check.update(payload, 0, payload.length);
        putIntAt(framed, 0, payload.length);
        putIntAt(framed, 4, (int) check.getValue());
        System.arraycopy(payload, 0, framed, FRAME, payload.length);
        return framed;
    }

    /** Receives the records of a scanned file. */
    interface Visitor {
        /** One valid record; may throw {@link CorruptStoreException} for a record it cannot accept. */
        void record(long offset, byte[] payload);
    }

    /**
     * What a scan found: {@code validEnd} is the offset after the last good record; {@code problem}
     * says why the scan stopped before {@code fileSize} (null when it read the whole file).
     */
    record ScanResult(long validEnd, long fileSize, String problem) {
        boolean clean() {
            return problem == null;
        }
    }

    /**
     * Reads every record of a file in order until its end or the first torn or bad record (a
     * short frame, a length out of range or past the end, a CRC mismatch when {@code checkCrc}).
     */
    static ScanResult scan(Path path, boolean checkCrc, Visitor visitor) throws IOException {
        long size = Files.size(path);
        long offset = 0;
        CRC32C check = new CRC32C();
        try (InputStream file = Files.newInputStream(path);
             DataInputStream in = new DataInputStream(new BufferedInputStream(file, 256 * 1024))) {
            while (offset < size) {
                if (size - offset < FRAME) {
                    return new ScanResult(offset, size, "short frame");
                }
                int length = in.readInt();
                int expected = in.readInt();
                if (length < 1 || length > MAX_PAYLOAD) {
                    return new ScanResult(offset, size, "bad record length " + length);
                }
                if (length > size - offset - FRAME) {
                    return new ScanResult(offset, size, "record of " + length + " bytes past the end");
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (checkCrc) {
                    check.reset();
                    check.update(payload, 0, length);
                    if ((int) check.getValue() != expected) {
                        return new ScanResult(offset, size, "CRC mismatch");
                    }
                }
                visitor.record(offset, payload);
                offset += FRAME + length;
            }
        } catch (EOFException e) {
            return new ScanResult(offset, size, "unexpected end of file");
        }
        return new ScanResult(offset, size, null);
    }
}
