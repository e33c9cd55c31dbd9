package io.natsee.streaming.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The operator's delete-channel action on a monitoring port (ours; the reference has none):
 * {@code POST /streaming/channelsz/delete?channel=NAME} with {@code Authorization: Bearer <token>}. The answers:
 * 200 {@code {"deleted":"NAME","subscriptions":N}} (N subscriptions ended, see {@link ChannelRemoval}); 404
 * {@code Channel NAME not found} (the text of {@code /streaming/channelsz?channel=}); 400 without a channel; 401
 * for a missing or wrong token; 405 for another method. Without a token the HTTP adapters do not serve the path
 * (404), as the reference does not. Thread-safe.
 */
public final class ChannelDeletion {
    /** The path the HTTP adapters serve this action on. */
    public static final String PATH = "/streaming/channelsz/delete";

    /** One HTTP answer. */
    public record Answer(int status, String contentType, String body) {
        public byte[] bytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final String TEXT = "text/plain; charset=utf-8";
    private final StreamingServer server;
    private final byte[] expected;

    /**
     * @param server the server whose channels are deleted
     * @param token the secret an operator's client sends; not blank
     */
    public ChannelDeletion(StreamingServer server, String token) {
        this.server = Objects.requireNonNull(server, "server");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the delete-channel token must not be blank");
        }
        this.expected = ("Bearer " + token.trim()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Answers one request.
     *
     * @param method the HTTP method
     * @param authorization the {@code Authorization} header, or null
     * @param channel the {@code channel} query parameter, or null
     */
    public Answer handle(String method, String authorization, String channel) throws InterruptedException {
        if (!"POST".equalsIgnoreCase(method)) {
            return new Answer(405, TEXT, "method not allowed\n");
        }
        if (authorization == null
                || !MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
            return new Answer(401, TEXT, "unauthorized\n");
        }
        if (channel == null || channel.isBlank()) {
            return new Answer(400, TEXT, "channel is required\n");
        }
        int subscriptions = server.deleteChannel(channel);
        if (subscriptions < 0) {
            return new Answer(404, TEXT, "Channel " + channel + " not found");
        }
        return new Answer(200, "application/json",
                "{\"deleted\":\"" + jsonEscape(channel) + "\",\"subscriptions\":" + subscriptions + "}");
    }

    /**
     * The token from the environment: system property {@code nats.admin_token}, else {@code NATSEE_ADMIN_TOKEN}
     * (what the broker's close-connection action reads too); null when neither is set.
     */
    public static String tokenFromEnvironment() {
        String token = System.getProperty("nats.admin_token");
        if (token == null || token.isBlank()) {
            token = System.getenv("NATSEE_ADMIN_TOKEN");
        }
        return token == null || token.isBlank() ? null : token.trim();
    }

    private static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
