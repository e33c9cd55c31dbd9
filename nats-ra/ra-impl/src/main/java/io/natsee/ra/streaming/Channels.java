package io.natsee.ra.streaming;

/**
 * Channel names of NATS Streaming: exact subjects, checked before they are sent, since the server
 * refuses wildcards and never sees a publish to a subject with an empty token.
 */
public final class Channels {

    private Channels() {
    }

    /** Throws IllegalArgumentException with the reason when {@code channel} is not a valid channel name. */
    static void check(String channel) {
        String problem = problem(channel);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Returns why {@code channel} is not a valid channel name, or null when it is. */
    public static String problem(String channel) {
        if (channel == null || channel.isEmpty()) {
            return "a streaming channel name is required";
        }
        if (channel.chars().anyMatch(Character::isWhitespace)) {
            return "channel '" + channel + "' contains whitespace";
        }
        for (String token : channel.split("\\.", -1)) {
            if (token.isEmpty()) {
                return "channel '" + channel + "' has an empty token";
            }
            if (token.equals("*") || token.equals(">")) {
                return "channel '" + channel + "' contains a wildcard; channels are exact names";
            }
        }
        return null;
    }
}
