package io.natsee.broker.config;

/**
 * Checks that a configured NKey is a public user key as nats-server's {@code nkeys} library
 * decodes it: base32 without padding, a prefix byte that reads {@code U}, and a CRC-16/XMODEM
 * checksum in the last two bytes (little-endian). Only the form is checked; a configuration
 * check needs nothing more, and signature verification lives with authentication.
 */
final class NkeyCheck {

    /** The prefix byte of public user keys: base32 'U' (20) in the top five bits. */
    private static final int PREFIX_USER = 20 << 3;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private NkeyCheck() {
    }

    /** Whether {@code key} is a well-formed public user NKey. */
    static boolean isValidPublicUserKey(String key) {
        byte[] raw = base32Decode(key);
        if (raw == null || raw.length < 4 || (raw[0] & 0xff) != PREFIX_USER) {
            return false;
        }
        int length = raw.length - 2;
        int expected = (raw[length] & 0xff) | (raw[length + 1] & 0xff) << 8;
        return crc16(raw, length) == expected;
    }

    /** RFC 4648 base32 without padding; {@code null} when the text is not valid base32. */
    static byte[] base32Decode(String text) {
        int remainder = text.length() % 8;
        if (remainder == 1 || remainder == 3 || remainder == 6) {
            return null;
        }
        byte[] out = new byte[text.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int index = 0;
        for (int i = 0; i < text.length(); i++) {
            int value = BASE32.indexOf(text.charAt(i));
            if (value < 0) {
                return null;
            }
            buffer = buffer << 5 | value;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[index++] = (byte) (buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        return out;
    }

    /** CRC-16/XMODEM (polynomial 0x1021, initial 0), as the nkeys library computes it. */
    static int crc16(byte[] data, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc ^= (data[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }
}
