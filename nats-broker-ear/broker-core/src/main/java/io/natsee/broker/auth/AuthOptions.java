package io.natsee.broker.auth;

import java.time.Duration;
import java.util.List;

/**
 * The {@code authorization} block (and {@code --user}, {@code --pass}, {@code --auth}): one
 * user and password, or a token, or a list of users; default permissions; the auth timeout.
 *
 * @param user the single user's name, or {@code null}
 * @param password the single user's password (plain or bcrypt), or {@code null}
 * @param token the token clients must send as {@code auth_token} (plain or bcrypt), or {@code null}
 * @param users password and NKey users; empty for none
 * @param defaultPermissions permissions of users that have none of their own; {@code null} for all
 * @param timeout how long a client has to send a valid CONNECT; {@code null} for the default (2 s)
 */
public record AuthOptions(String user, String password, String token, List<User> users,
                          Permissions defaultPermissions, Duration timeout) {

    public AuthOptions {
        users = users == null ? List.of() : List.copyOf(users);
    }

    /** Whether clients must authenticate at all. */
    public boolean required() {
        return user != null || token != null || !users.isEmpty();
    }

    /** Whether some user authenticates with an NKey (INFO then carries a nonce). */
    public boolean hasNkeys() {
        return users.stream().anyMatch(u -> u.nkey() != null);
    }

    @Override
    public String toString() {
        return "AuthOptions[user=" + user + ", password=" + (password == null ? null : "<hidden>")
                + ", token=" + (token == null ? null : "<hidden>") + ", users=" + users
                + ", defaultPermissions=" + defaultPermissions + ", timeout=" + timeout + "]";
    }
}
