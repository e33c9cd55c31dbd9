package io.natsee.broker.trace;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Go's {@code %q} of a byte slice (strconv.Quote), which nats-server uses for traced payloads:
 * printable UTF-8 as is; backslash, double quote and the control characters BEL, BS, FF, LF, CR,
 * TAB and VT as two-character escapes; other control characters and invalid UTF-8 bytes as a
 * backslash, {@code x} and two hex digits; other unprintable characters as a backslash, {@code u}
 * and four hex digits (or {@code U} and eight). The result is UTF-8 bytes, with the surrounding
 * quotes.
 */
final class GoQuote {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private GoQuote() {
    }

    /** The quoted form of {@code length} bytes at the absolute {@code offset}. */
    static byte[] quote(ByteBuffer buffer, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 8);
        out.write('"');
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = buffer.get(i) & 0xff;
            if (b < 0x80) {
                ascii(out, b);
                i++;
                continue;
            }
            int size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
            int codePoint = decode(buffer, i, end, size);
            if (codePoint < 0) {
                hexByte(out, b);
                i++;
                continue;
            }
            if (printable(codePoint)) {
                for (int k = 0; k < size; k++) {
                    out.write(buffer.get(i + k));
                }
            } else if (codePoint < 0x10000) {
                out.write('\\');
                out.write('u');
                hexDigits(out, codePoint, 4);
            } else {
                out.write('\\');
                out.write('U');
                hexDigits(out, codePoint, 8);
            }
            i += size;
        }
        out.write('"');
        return out.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream out, int b) {
        switch (b) {
            case 0x07 -> escape(out, 'a');
            case '\b' -> escape(out, 'b');
            case '\f' -> escape(out, 'f');
            case '\n' -> escape(out, 'n');
            case '\r' -> escape(out, 'r');
            case '\t' -> escape(out, 't');
            case 0x0b -> escape(out, 'v');
            case '\\' -> escape(out, '\\');
            case '"' -> escape(out, '"');
            default -> {
                if (b < 0x20 || b == 0x7f) {
                    hexByte(out, b);
                } else {
                    out.write(b);
                }
            }
        }
    }

    /** The code point of a well-formed UTF-8 sequence of {@code size} bytes at {@code at}, else -1. */
    private static int decode(ByteBuffer buffer, int at, int end, int size) {
        if (size == 0 || at + size > end) {
            return -1;
        }
        int lead = buffer.get(at) & 0xff;
        int codePoint = lead & (0xff >> (size + 1));
        for (int k = 1; k < size; k++) {
            int next = buffer.get(at + k) & 0xff;
            if ((next & 0xc0) != 0x80) {
                return -1;
            }
            codePoint = (codePoint << 6) | (next & 0x3f);
        }
        int smallest = size == 2 ? 0x80 : size == 3 ? 0x800 : 0x10000;
        if (codePoint < smallest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
            return -1;
        }
        return codePoint;
    }

    /** Close to Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020. */
    private static boolean printable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    private static void escape(ByteArrayOutputStream out, char c) {
        out.write('\\');
        out.write(c);
    }

    private static void hexByte(ByteArrayOutputStream out, int b) {
        out.write('\\');
        out.write('x');
        hexDigits(out, b, 2);
    }

    private static void hexDigits(ByteArrayOutputStream out, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.write(HEX[(value >> shift) & 0xf]);
        }
    }
}
