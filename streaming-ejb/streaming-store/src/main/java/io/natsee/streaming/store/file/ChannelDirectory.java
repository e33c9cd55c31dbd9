package io.natsee.streaming.store.file;

import io.natsee.streaming.store.CorruptStoreException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The directory of one channel: its name-safe encoding and its {@code channel.dat} (the channel's
 * real name and creation order, written once, atomically, when the channel is created).
 *
 * <p>Encoding: ASCII letters, digits, {@code -}, {@code _} and {@code .} are kept, every other
 * UTF-8 byte becomes {@code %XX}; an encoding longer than {@value #MAX_NAME} characters is cut
 * and given a hash suffix. The real name always comes from {@code channel.dat}.
 */
final class ChannelDirectory {

    static final String FILE = "channel.dat";
    private static final int MAGIC = 0x4E45_4348; // "NECH"
    private static final int VERSION = 1;
    private static final int MAX_NAME = 200;

    /** A channel directory's metadata. */
    record Meta(String name, long order) {
    }

    private ChannelDirectory() {
    }

    static String encode(String channel) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : channel.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.') {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        if (encoded.length() <= MAX_NAME) {
            return encoded.toString();
        }
        return encoded.substring(0, MAX_NAME - 33) + "~" + sha256(channel).substring(0, 32);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    static void writeMeta(Path directory, Meta meta, boolean sync) throws IOException {
        byte[] name = meta.name().getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[4 + 4 + 8 + 4 + name.length];
        RecordLog.putIntAt(payload, 0, MAGIC);
        RecordLog.putIntAt(payload, 4, VERSION);
        RecordLog.putIntAt(payload, 8, (int) (meta.order() >>> 32));
        RecordLog.putIntAt(payload, 12, (int) meta.order());
        RecordLog.putIntAt(payload, 16, name.length);
        System.arraycopy(name, 0, payload, 20, name.length);
        FileUtil.writeAtomically(directory.resolve(FILE), RecordLog.frame(payload), sync);
    }

    /** The metadata, or null if the directory has none (it was torn while being created). */
    static Meta readMeta(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Meta[] meta = new Meta[1];
        RecordLog.ScanResult result = RecordLog.scan(file, true, (offset, payload) -> {
            RecordReader reader = new RecordReader(payload);
            if (reader.getInt() != MAGIC) {
                throw new CorruptStoreException(file + " is not a channel file");
            }
            int version = reader.getInt();
            if (version != VERSION) {
                throw new CorruptStoreException(file + ": unknown format version " + version);
            }
            long order = reader.getLong();
            meta[0] = new Meta(reader.getString(), order);
        });
        if (!result.clean() || meta[0] == null) {
            throw new CorruptStoreException(file + ": " + (result.problem() == null ? "empty" : result.problem()));
        }
        return meta[0];
    }
}
