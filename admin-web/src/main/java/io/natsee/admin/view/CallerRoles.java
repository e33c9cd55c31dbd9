package io.natsee.admin.view;

/** What the logged-in user may do. */
public interface CallerRoles {

    /** Whether the caller has the operator role (may close connections). */
    boolean isOperator();

    /** The caller's name, or {@code null} before login. */
    String name();
}
