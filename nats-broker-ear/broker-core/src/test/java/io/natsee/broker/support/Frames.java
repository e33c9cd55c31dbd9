package io.natsee.broker.support;

import java.nio.charset.StandardCharsets;

/**
 * Builds exact protocol frames (control line, payload, CRLF) with the byte counts filled in, so
 * tests state subjects and payloads and not arithmetic. Strings are ISO-8859-1, one char per byte.
 */
public final class Frames {

    private Frames() {
    }

    /** {@code PUB subject [reply] n CRLF payload CRLF}; reply may be null. */
    public static String pub(String subject, String reply, String payload) {
        return "PUB " + subject + (reply == null ? "" : " " + reply) + " " + length(payload) + "\r\n" + payload + "\r\n";
    }

    /** {@code HPUB subject [reply] h t CRLF headers payload CRLF}; headers is the full block. */
    public static String hpub(String subject, String reply, String headers, String payload) {
        return "HPUB " + subject + (reply == null ? "" : " " + reply) + " " + length(headers) + " "
                + (length(headers) + length(payload)) + "\r\n" + headers + payload + "\r\n";
    }

    /** {@code MSG subject sid [reply] n CRLF payload CRLF}; reply may be null. */
    public static String msg(String subject, String sid, String reply, String payload) {
        return "MSG " + subject + " " + sid + (reply == null ? "" : " " + reply) + " " + length(payload) + "\r\n"
                + payload + "\r\n";
    }

    /** {@code HMSG subject sid [reply] h t CRLF headers payload CRLF}; reply may be null. */
    public static String hmsg(String subject, String sid, String reply, String headers, String payload) {
        return "HMSG " + subject + " " + sid + (reply == null ? "" : " " + reply) + " " + length(headers) + " "
                + (length(headers) + length(payload)) + "\r\n" + headers + payload + "\r\n";
    }

    /** A header block: {@code NATS/1.0} CRLF, each {@code "Name: value"} CRLF, then CRLF. */
    public static String headers(String... lines) {
        StringBuilder b = new StringBuilder("NATS/1.0\r\n");
        for (String line : lines) {
            b.append(line).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private static int length(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1).length;
    }
}
