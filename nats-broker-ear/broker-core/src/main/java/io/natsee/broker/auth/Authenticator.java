package io.natsee.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Decides whether a client's CONNECT credentials let it in, as nats-server does: NKey and
 * password users first (when configured), else the token, else the single user and password.
 * Immutable; a configuration reload builds a new one.
 */
public final class Authenticator {

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
     * TLS {@code verify_and_map}: the client's verified certificate names the user. The
     * candidates are, in nats-server's order, the certificate's e-mail addresses, its DNS names
     * and its subject's distinguished name; the first that is a configured user's name wins.
     * {@code null} when none is.
     */
    public Result authenticateByCertificate(List<String> certificateNames) {
        if (options == null) {
            return null;
        }
        for (String candidate : certificateNames) {
            for (User user : options.users()) {
                if (user.name() != null && user.name().equals(candidate)) {
                    return new Result(user.name(), permissionsOf(user));
                }
            }
        }
        return null;
    }

    /** The names a certificate offers for {@link #authenticateByCertificate}: e-mails, DNS names, subject DN. */
    public static List<String> certificateNames(X509Certificate certificate) {
        List<String> emails = new ArrayList<>();
        List<String> dnsNames = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    int type = (Integer) alternative.get(0);
                    if (type == 1) {
                        emails.add(String.valueOf(alternative.get(1)));
                    } else if (type == 2) {
                        dnsNames.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException unreadable) {
            // No alternative names to offer; the subject remains.
        }
        List<String> names = new ArrayList<>(emails);
        names.addAll(dnsNames);
        names.add(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
        return names;
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
