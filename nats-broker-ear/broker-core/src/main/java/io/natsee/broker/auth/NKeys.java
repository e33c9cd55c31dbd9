package io.natsee.broker.auth;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;

/**
 * NATS NKeys: Ed25519 public keys written in base32 with a type prefix and a CRC16 checksum.
 * Decodes user keys and verifies a client's signature of the server's nonce with the JDK's
 * Ed25519.
 */
public final class NKeys {

    /** The prefix byte of user keys: base32 'U'. */
    private static final int PREFIX_USER = 20 << 3;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private NKeys() {
    }

    /** Whether {@code key} is a well-formed public user NKey ({@code U...}, valid checksum). */
    public static boolean isValidUserKey(String key) {
        try {
            decodeUserKey(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether {@code signature} (base64, URL or standard alphabet, with or without padding) is the
     * Ed25519 signature of {@code nonce} by the user key {@code publicKey}.
     */
    public static boolean verify(String publicKey, byte[] nonce, String signature) {
        if (publicKey == null || signature == null) {
            return false;
        }
        try {
            byte[] raw = decodeUserKey(publicKey);
            byte[] sig = decodeBase64(signature);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(toPublicKey(raw));
            verifier.update(nonce);
            return verifier.verify(sig);
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** The 32 raw key bytes of a public user key. */
    static byte[] decodeUserKey(String key) {
        byte[] data = base32Decode(key);
        if (data.length != 35) {
            throw new IllegalArgumentException("not a public NKey: wrong length");
        }
        int crc = (data[33] & 0xff) | (data[34] & 0xff) << 8;
        if (crc16(data, 33) != crc) {
            throw new IllegalArgumentException("not a public NKey: bad checksum");
        }
        if ((data[0] & 0xff) != PREFIX_USER) {
            throw new IllegalArgumentException("not a user NKey");
        }
        byte[] raw = new byte[32];
        System.arraycopy(data, 1, raw, 0, 32);
        return raw;
    }

    private static PublicKey toPublicKey(byte[] raw) throws java.security.GeneralSecurityException {
        // RFC 8032: the y coordinate little-endian, the top bit of the last byte is x's parity.
        byte[] reversed = new byte[32];
        for (int i = 0; i < 32; i++) {
            reversed[i] = raw[31 - i];
        }
        boolean xOdd = (reversed[0] & 0x80) != 0;
        reversed[0] &= 0x7f;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, reversed));
        return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }

    private static byte[] decodeBase64(String text) {
        String s = text.trim();
        if (s.indexOf('+') >= 0 || s.indexOf('/') >= 0) {
            return Base64.getDecoder().decode(s);
        }
        return Base64.getUrlDecoder().decode(s);
    }

    static byte[] base32Decode(String text) {
        int bits = 0;
        int value = 0;
        byte[] out = new byte[text.length() * 5 / 8];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = BASE32.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("not base32");
            }
            value = (value << 5) | digit;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (value >> (bits - 8));
                bits -= 8;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** CRC-16/XMODEM, as NKeys use it. */
    static int crc16(byte[] data, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc ^= (data[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xffff;
            }
        }
        return crc;
    }
}
