package io.natsee.broker.auth;

import java.time.Duration;

/**
 * {@code allow_responses}: a client may publish to the reply subjects of requests it received,
 * without a publish permission for them, at most {@code max} times per request and within
 * {@code expires} of receiving it.
 *
 * @param max replies allowed per request (nats-server's default: 1)
 * @param expires how long a reply permission lasts; zero means no limit (nats-server's default)
 */
public record ResponsePermission(int max, Duration expires) {

    /** {@code allow_responses: true}: one reply, no time limit. */
    public static final ResponsePermission DEFAULT = new ResponsePermission(1, Duration.ZERO);
}
