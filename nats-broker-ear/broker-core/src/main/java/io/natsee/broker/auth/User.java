package io.natsee.broker.auth;

import java.util.Set;

/**
 * One entry of {@code authorization.users}: a user with a password (plain or bcrypt
 * {@code $2a$...}), or an NKey user identified by its public key; with its permissions.
 *
 * @param name the user name; {@code null} for an NKey user
 * @param password the password, plain or bcrypt; {@code null} for an NKey user
 * @param nkey the user's public NKey ({@code U...}); {@code null} for a password user
 * @param permissions what the user may do; {@code null} means the default permissions
 * @param allowedConnectionTypes connection types allowed (for example {@code STANDARD}); empty for all
 */
public record User(String name, String password, String nkey, Permissions permissions,
                   Set<String> allowedConnectionTypes) {

    public User {
        allowedConnectionTypes = allowedConnectionTypes == null ? Set.of() : Set.copyOf(allowedConnectionTypes);
    }

    /** A user name and password with the default permissions. */
    public static User withPassword(String name, String password) {
        return new User(name, password, null, null, Set.of());
    }

    /** An NKey user with the default permissions. */
    public static User withNkey(String publicKey) {
        return new User(null, null, publicKey, null, Set.of());
    }

    @Override
    public String toString() {
        // Never print the password.
        return "User[" + (nkey != null ? "nkey=" + nkey : "name=" + name) + "]";
    }
}
