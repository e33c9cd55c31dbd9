package io.natsee.ra.streaming;

/**
 * Channel names of NATS Streaming: exact subjects, checked before they are sent, since the server
 * refuses wildcards and never sees a publish to a subject with an empty token.
 */
final class Channels {

    private Channels() {
    }

    /** Throws IllegalArgumentException with the reason when {@code channel} is not a valid channel name. */
    static void check(String channel) {
        if (channel == null || channel.isEmpty()) {
            throw new IllegalArgumentException("a streaming channel name is required");
        }
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            if (Character.isWhitespace(c)) {
                throw new IllegalArgumentException("channel '" + channel + "' contains whitespace");
            }
        }
        for (String token : channel.split("\\.", -1)) {
            if (token.isEmpty()) {
                throw new IllegalArgumentException("channel '" + channel + "' has an empty token");
            }
            if (token.equals("*") || token.equals(">")) {
                throw new IllegalArgumentException("channel '" + channel + "' contains a wildcard; channels are exact names");
            }
        }
    }
}
