package io.natsee.broker.server;

import com.fasterxml.jackson.databind.JsonNode;

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

    static ConnectInfo from(JsonNode connect) {
        return new ConnectInfo(connect.path("verbose").asBoolean(true), connect.path("pedantic").asBoolean(true),
                connect.path("echo").asBoolean(true), connect.path("headers").asBoolean(false),
                connect.path("no_responders").asBoolean(false), connect.path("protocol").asInt(0),
                connect.path("name").asText(""), connect.path("lang").asText(""),
                connect.path("version").asText(""), connect.path("user").asText(""), monitoredIdentity(connect));
    }

    /**
     * nats-server's {@code getRawAuthUser}: the CONNECT's NKey, else its user; a token is shown
     * as {@value #REDACTED} (nats-server shows the token itself, which is a secret).
     */
    private static String monitoredIdentity(JsonNode connect) {
        String nkey = connect.path("nkey").asText("");
        if (!nkey.isEmpty()) {
            return nkey;
        }
        String user = connect.path("user").asText("");
        if (!user.isEmpty()) {
            return user;
        }
        return connect.path("auth_token").asText("").isEmpty() ? "" : REDACTED;
    }
}
