package io.natsee.broker.trace;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the secrets of a traced CONNECT. The password is found as nats-server 2.9 finds it: the
 * first {@code pass...} key, its value up to the next quote, comma, line end or brace, replaced by
 * {@code [REDACTED]} (so {@code "pass":"s3cret"} becomes {@code "pass":"[REDACTED]"}). The
 * {@code auth_token} value is hidden the same way, which nats-server 2.9 does not do (2.10 does):
 * no token may reach a log line. Signatures and public nkeys are not secrets and stay.
 */
public final class ConnectRedaction {

    static final String REDACTED = "[REDACTED]";

    // Go's \s is [\t\n\f\r ]; written out so that Java's wider \s (with \x0B) does not differ.
    private static final String SPACE = "[\\t\\n\\f\\r ]";
    private static final String NOT_SPACE = "[^\\t\\n\\f\\r ]";
    private static final Pattern PASSWORD = secret("pass");
    private static final Pattern TOKEN = secret("auth_token");

    private ConnectRedaction() {
    }

    private static Pattern secret(String key) {
        return Pattern.compile("\"?" + SPACE + "*" + key + NOT_SPACE + "*?\"?" + SPACE + "*[:=]" + SPACE + "*\"?"
                + "([^\",\\r\\n}]*)");
    }

    /** The CONNECT JSON with its password and token values replaced by {@code [REDACTED]}. */
    public static String redact(String connect) {
        return redactFirst(TOKEN, "auth_token", redactFirst(PASSWORD, "pass", connect));
    }

    private static String redactFirst(Pattern pattern, String key, String text) {
        if (!text.contains(key)) {
            return text;
        }
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        return text.substring(0, matcher.start(1)) + REDACTED + text.substring(matcher.end(1));
    }
}
