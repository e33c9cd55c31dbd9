package io.natsee.broker.auth;

import java.util.List;

/**
 * Allow and deny lists of subjects (wildcards allowed) for one direction, publish or subscribe.
 * A subject passes when the allow list is absent or matches it, and the deny list does not.
 *
 * @param allow subjects allowed; {@code null} means everything not denied
 * @param deny subjects denied; empty for none
 */
public record SubjectRules(List<String> allow, List<String> deny) {

    /** Everything allowed. */
    public static final SubjectRules ALL = new SubjectRules(null, List.of());

    public SubjectRules {
        allow = allow == null ? null : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
    }

    /** Rules that allow only the given subjects. */
    public static SubjectRules allowOnly(List<String> subjects) {
        return new SubjectRules(subjects, List.of());
    }
}
