package io.natsee.broker.subject;

import java.nio.ByteBuffer;

/** Subject validation as nats-server 2.9 applies it: tokens, wildcards and literal checks. */
public final class Subjects {

    private Subjects() {
    }

    /**
     * A subject valid for subscribing: non-empty tokens separated by dots, no whitespace, and
     * {@code >} only as the last token. {@code *} and {@code >} are wildcards only as whole
     * tokens; {@code foo*.bar} is a literal subject.
     */
    public static boolean isValidSubscribeSubject(String subject) {
        int length = subject.length();
        if (length == 0) {
            return false;
        }
        int tokenStart = 0;
        boolean sawFullWildcard = false;
        for (int i = 0; i <= length; i++) {
            if (i == length || subject.charAt(i) == '.') {
                int tokenLength = i - tokenStart;
                if (tokenLength == 0 || sawFullWildcard) {
                    return false;
                }
                if (tokenLength == 1 && subject.charAt(tokenStart) == '>') {
                    sawFullWildcard = true;
                }
                tokenStart = i + 1;
            } else {
                char c = subject.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
                    return false;
                }
            }
        }
        return true;
    }

    /** A queue group name: non-empty and without whitespace. */
    public static boolean isValidQueueName(String queue) {
        if (queue.isEmpty()) {
            return false;
        }
        for (int i = 0; i < queue.length(); i++) {
            char c = queue.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
                return false;
            }
        }
        return true;
    }

    /**
     * A subject valid for publishing in pedantic mode: non-empty tokens and no wildcard token.
     * Reads {@code length} bytes of {@code buffer} from absolute index {@code offset}.
     */
    public static boolean isValidLiteralSubject(ByteBuffer buffer, int offset, int length) {
        if (length == 0) {
            return false;
        }
        int tokenStart = offset;
        int end = offset + length;
        for (int i = offset; i <= end; i++) {
            if (i == end || buffer.get(i) == '.') {
                int tokenLength = i - tokenStart;
                if (tokenLength == 0) {
                    return false;
                }
                if (tokenLength == 1) {
                    byte b = buffer.get(tokenStart);
                    if (b == '*' || b == '>') {
                        return false;
                    }
                }
                tokenStart = i + 1;
            }
        }
        return true;
    }

    /** Whether a subscribe subject holds a wildcard token. */
    public static boolean hasWildcard(String subject) {
        int length = subject.length();
        for (int i = 0; i < length; i++) {
            char c = subject.charAt(i);
            if ((c == '*' || c == '>')
                    && (i == 0 || subject.charAt(i - 1) == '.')
                    && (i + 1 == length || subject.charAt(i + 1) == '.')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether two subscription subjects (wildcards allowed in both) can match a common literal
     * subject: token by token, {@code *} meets anything, {@code >} meets the rest.
     */
    public static boolean overlaps(String first, String second) {
        String[] a = first.split("\\.", -1);
        String[] b = second.split("\\.", -1);
        int i = 0;
        for (; i < a.length && i < b.length; i++) {
            if (a[i].equals(">") || b[i].equals(">")) {
                return true;
            }
            if (!a[i].equals("*") && !b[i].equals("*") && !a[i].equals(b[i])) {
                return false;
            }
        }
        return a.length == b.length;
    }

    /**
     * Whether the literal subject {@code subject} is matched by the subscription subject
     * {@code pattern} (which may hold wildcards).
     */
    public static boolean matches(String pattern, String subject) {
        String[] patternTokens = pattern.split("\\.", -1);
        String[] subjectTokens = subject.split("\\.", -1);
        int i = 0;
        for (; i < patternTokens.length; i++) {
            String token = patternTokens[i];
            if (token.equals(">")) {
                return subjectTokens.length > i;
            }
            if (i >= subjectTokens.length) {
                return false;
            }
            if (!token.equals("*") && !token.equals(subjectTokens[i])) {
                return false;
            }
        }
        return i == subjectTokens.length;
    }
}
