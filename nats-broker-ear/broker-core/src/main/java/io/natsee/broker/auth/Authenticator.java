package io.natsee.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a client's CONNECT credentials let it in, as nats-server does: NKey and
 * password users first (when configured), else the token, else the single user and password.
 * Immutable; a configuration reload builds a new one.
 */
public final class Authenticator {

    /** The connection type of a plain NATS client in {@code allowed_connection_types}. */
    public static final String STANDARD = "STANDARD";

    private final AuthOptions options;

    /** {@code options} may be {@code null}: then nobody needs to authenticate. */
    public Authenticator(AuthOptions options) {
        this.options = options != null && options.required() ? options : null;
    }

    /** Whether clients must authenticate. */
    public boolean required() {
        return options != null;
    }

    /** Whether INFO must carry a nonce for NKey users to sign. */
    public boolean usesNonce() {
        return options != null && options.hasNkeys();
    }

    /**
     * The outcome for these credentials: the user's name (for monitoring) and permissions, or
     * {@code null} when they are refused. {@code nonce} is the nonce sent in INFO, if any.
     */
    public Result authenticate(Credentials credentials, String nonce) {
        if (options == null) {
            return new Result(credentials.user(), Permissions.ALL);
        }
        if (!options.users().isEmpty()) {
            if (credentials.nkey() != null) {
                for (User user : options.users()) {
                    if (credentials.nkey().equals(user.nkey())) {
                        if (!connectionTypeAllowed(user)) {
                            return null;
                        }
                        byte[] signed = nonce == null ? new byte[0] : nonce.getBytes(StandardCharsets.US_ASCII);
                        return NKeys.verify(user.nkey(), signed, credentials.signature())
                                ? new Result(user.nkey(), permissionsOf(user)) : null;
                    }
                }
                return null;
            }
            if (credentials.user() != null || options.token() == null) {
                for (User user : options.users()) {
                    if (user.name() != null && user.name().equals(credentials.user())) {
                        if (!connectionTypeAllowed(user)) {
                            return null;
                        }
                        return passwordMatches(user.password(), credentials.password())
                                ? new Result(user.name(), permissionsOf(user)) : null;
                    }
                }
                return null;
            }
            // No user name: nats-server falls through to the token, when there is one.
        }
        if (options.token() != null) {
            return Passwords.matches(options.token(), credentials.token())
                    ? new Result(null, defaultPermissions()) : null;
        }
        if (options.user() != null) {
            boolean userMatches = Passwords.matches(options.user(), credentials.user());
            boolean passwordMatches = Passwords.matches(options.password(), credentials.password());
            return userMatches && passwordMatches ? new Result(options.user(), defaultPermissions()) : null;
        }
        return null;
    }

    /** A user configured without a password is let in without one, as nats-server does. */
    private static boolean passwordMatches(String configured, String supplied) {
        if (configured == null || configured.isEmpty()) {
            return supplied == null || supplied.isEmpty();
        }
        return Passwords.matches(configured, supplied);
    }

    /**
     * TLS {@code verify_and_map}, as nats-server 2.9.10 does it: with users configured, a client
     * that sends an {@code nkey} is an NKey user as usual; any other is the user its verified
     * certificate names ({@link CertificateUserMapper}; the CONNECT's {@code user} is ignored),
     * and must still send that user's password when one is configured. Without users, the token
     * or the single user and password apply as without mapping. {@code certificate} is the
     * client's leaf certificate, {@code null} when it sent none.
     */
    public Result authenticateByCertificate(X509Certificate certificate, Credentials credentials, String nonce) {
        if (options == null || options.users().stream().noneMatch(user -> user.name() != null)
                || credentials.nkey() != null && options.hasNkeys()) {
            return authenticate(credentials, nonce);
        }
        if (certificate == null) {
            return null;
        }
        List<User> candidates = new ArrayList<>();
        for (User user : options.users()) {
            if (user.name() != null && connectionTypeAllowed(user)) {
                candidates.add(user);
            }
        }
        User user = CertificateUserMapper.map(certificate, candidates);
        if (user == null || !passwordMatches(user.password(), credentials.password())) {
            return null;
        }
        return new Result(user.name(), permissionsOf(user));
    }

    /**
     * Whether the user may connect as a plain NATS client ({@code STANDARD}), the only connection
     * type this server has: an empty {@code allowed_connection_types} allows every type; a list
     * without {@code STANDARD} (only {@code WEBSOCKET}, {@code LEAFNODE}, {@code MQTT}, ...)
     * refuses the client with {@code Authorization Violation}, as nats-server refuses it.
     */
    private static boolean connectionTypeAllowed(User user) {
        return user.allowedConnectionTypes().isEmpty() || user.allowedConnectionTypes().contains(STANDARD);
    }

    private Permissions permissionsOf(User user) {
        return user.permissions() != null ? user.permissions() : defaultPermissions();
    }

    private Permissions defaultPermissions() {
        return options.defaultPermissions() != null ? options.defaultPermissions() : Permissions.ALL;
    }

    /**
     * What a client sent in CONNECT to authenticate. {@link #toString()} hides the secrets.
     *
     * @param user {@code user}
     * @param password {@code pass}
     * @param token {@code auth_token}
     * @param nkey {@code nkey}
     * @param signature {@code sig}, the signed nonce
     */
    public record Credentials(String user, String password, String token, String nkey, String signature) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", nkey=" + nkey + "]";
        }
    }

    /**
     * A successful authentication.
     *
     * @param user the user name or NKey, for monitoring; {@code null} for token clients
     * @param permissions what the client may do
     */
    public record Result(String user, Permissions permissions) {
    }
}
