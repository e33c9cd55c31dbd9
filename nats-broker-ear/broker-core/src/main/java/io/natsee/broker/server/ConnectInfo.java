package io.natsee.broker.server;

/**
 * What a client's CONNECT says about it, with nats-server's defaults for fields it left out
 * (verbose and pedantic on, echo on, no headers). {@code identity} is who the CONNECT says the
 * client is as monitoring shows it: its NKey, else its user, else {@value #REDACTED} for a token.
 */
record ConnectInfo(boolean verbose, boolean pedantic, boolean echo, boolean headers, boolean noResponders,
                   int protocol, String name, String lang, String version, String user, String identity) {

    /** What monitoring shows in place of a token. */
    static final String REDACTED = "[REDACTED]";

    /** The options of a client that has not sent CONNECT yet. */
    static final ConnectInfo NONE = new ConnectInfo(true, true, true, false, false, 0, "", "", "", "", "");

    static ConnectInfo from(ConnectFields connect) {
        return new ConnectInfo(connect.bool("verbose", true), connect.bool("pedantic", true),
                connect.bool("echo", true), connect.bool("headers", false),
                connect.bool("no_responders", false), connect.integer("protocol", 0),
                connect.text("name", ""), connect.text("lang", ""),
                connect.text("version", ""), connect.text("user", ""), monitoredIdentity(connect));
    }

    /**
     * nats-server's {@code getRawAuthUser}: the CONNECT's NKey, else its user; a token is shown
     * as {@value #REDACTED} (nats-server shows the token itself, which is a secret).
     */
    private static String monitoredIdentity(ConnectFields connect) {
        String nkey = connect.text("nkey", "");
        if (!nkey.isEmpty()) {
            return nkey;
        }
        String user = connect.text("user", "");
        if (!user.isEmpty()) {
            return user;
        }
        return connect.text("auth_token", "").isEmpty() ? "" : REDACTED;
    }
}
