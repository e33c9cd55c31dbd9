package io.natsee.broker.auth;

import java.time.Duration;

/**
 * {@code allow_responses}: a client may publish to the reply subjects of requests it received,
 * without a publish permission for them, at most {@code max} times per request and within
 * {@code expires} of receiving it.
 *
 * @param max replies allowed per request; 0 or less means nats-server's default, 1
 * @param expires how long a reply permission lasts; zero means nats-server's default, 2 minutes
 */
public record ResponsePermission(int max, Duration expires) {

    /** nats-server's DEFAULT_ALLOW_RESPONSE_MAX_MSGS. */
    public static final int DEFAULT_MAX = 1;
    /** nats-server's DEFAULT_ALLOW_RESPONSE_EXPIRATION. */
    public static final Duration DEFAULT_EXPIRES = Duration.ofMinutes(2);
    /** {@code allow_responses: true}: one reply within two minutes. */
    public static final ResponsePermission DEFAULT = new ResponsePermission(DEFAULT_MAX, DEFAULT_EXPIRES);

    /** The reply count in effect. */
    public int effectiveMax() {
        return max > 0 ? max : DEFAULT_MAX;
    }

    /** The lifetime in effect. */
    public Duration effectiveExpires() {
        return expires == null || expires.isZero() || expires.isNegative() ? DEFAULT_EXPIRES : expires;
    }
}
