package io.natsee.admin.security;

/** The console's two roles. */
public final class Roles {

    /** May look at everything, change nothing. */
    public static final String VIEWER = "natsee-viewer";
    /** May also close connections (and, once streaming offers it, delete channels). */
    public static final String OPERATOR = "natsee-operator";

    private Roles() {
    }
}
