package io.natsee.broker.auth;

/**
 * What a user may do: publish and subscribe rules, and optionally reply to requests it received.
 *
 * @param publish rules for PUB/HPUB subjects
 * @param subscribe rules for SUB subjects (queue subscriptions included)
 * @param responses {@code allow_responses}, or {@code null} when not granted
 */
public record Permissions(SubjectRules publish, SubjectRules subscribe, ResponsePermission responses) {

    /** Everything allowed: the permissions of a user without a {@code permissions} block. */
    public static final Permissions ALL = new Permissions(SubjectRules.ALL, SubjectRules.ALL, null);

    public Permissions {
        publish = publish == null ? SubjectRules.ALL : publish;
        subscribe = subscribe == null ? SubjectRules.ALL : subscribe;
    }
}
