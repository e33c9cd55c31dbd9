package io.natsee.broker.server;

import io.natsee.broker.auth.Authenticator;
import io.natsee.broker.auth.PermissionChecker;
import io.natsee.broker.auth.Permissions;
import io.natsee.broker.auth.ResponsePermission;
import io.natsee.broker.transport.TransportChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One client's authentication and authorization: the nonce it signs, the authentication timer,
 * the credentials it presented (kept to check them again after a reload), its permissions, and
 * the reply subjects it was granted by {@code allow_responses}. See docs/LOCKING.md for which
 * thread touches what.
 */
final class ClientSecurity {

    private final ServerContext server;
    private final TransportChannel channel;
    private boolean authenticated;
    private String nonce;
    private Authenticator.Credentials credentials;
    private volatile String authorizedUser;
    private volatile PermissionChecker permissions;
    /** Whether some wildcard subscription needs messages checked against the subscribe deny list. */
    volatile boolean deliveryFilter;
    /** Reply subjects this client may answer (allow_responses): subject to uses left and deadline. */
    private final Map<String, long[]> replyGrants = new ConcurrentHashMap<>();
    private TransportChannel.Cancellable authTimer;

    ClientSecurity(ServerContext server, TransportChannel channel) {
        this.server = server;
        this.channel = channel;
    }

    /** Decides whether authentication is needed and makes the nonce; returns the nonce or {@code null}. */
    String begin() {
        Authenticator authenticator = server.authenticator();
        authenticated = !authenticator.required();
        if (authenticator.usesNonce()) {
            byte[] random = new byte[11];
            ThreadLocalRandom.current().nextBytes(random);
            nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        return nonce;
    }

    /** Starts the authentication timer when the client must authenticate. */
    void armTimer(Runnable onTimeout) {
        if (!authenticated) {
            authTimer = channel.schedule(onTimeout, server.authTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    boolean authenticated() {
        return authenticated;
    }

    String authorizedUser() {
        return authorizedUser;
    }

    PermissionChecker permissions() {
        return permissions;
    }

    /** Checks the CONNECT's credentials when authentication is required; false when they fail. */
    boolean authorize(ConnectFields connect) {
        Authenticator authenticator = server.authenticator();
        if (!authenticator.required()) {
            authenticated = true;
            return true;
        }
        if (connect.hasNonNull("account") || connect.hasNonNull("new_account")) {
            return false;
        }
        credentials = new Authenticator.Credentials(connect.textOrNull("user"), connect.textOrNull("pass"),
                connect.textOrNull("auth_token"), connect.textOrNull("nkey"), connect.textOrNull("sig"));
        Authenticator.Result result = authenticate(authenticator);
        if (result == null) {
            return false;
        }
        authenticated = true;
        cancelTimer();
        authorizedUser = result.user();
        applyPermissions(result.permissions());
        return true;
    }

    /**
     * After a reload: checks the kept credentials again; false when they no longer pass (the
     * client must then be closed). On the client's loop.
     */
    boolean reauthorize() {
        Authenticator authenticator = server.authenticator();
        if (!authenticator.required()) {
            applyPermissions(Permissions.ALL);
            return true;
        }
        Authenticator.Result result = credentials == null ? null : authenticate(authenticator);
        if (result == null) {
            return false;
        }
        authorizedUser = result.user();
        applyPermissions(result.permissions());
        return true;
    }

    /** With TLS verify_and_map the client certificate names the user; otherwise the CONNECT's credentials do. */
    private Authenticator.Result authenticate(Authenticator authenticator) {
        if (server.options.tls() != null && server.options.tls().verifyAndMap()) {
            List<java.security.cert.X509Certificate> chain = channel.peerCertificates();
            return authenticator.authenticateByCertificate(chain.isEmpty() ? null : chain.get(0), credentials, nonce);
        }
        return authenticator.authenticate(credentials, nonce);
    }

    private void applyPermissions(Permissions granted) {
        permissions = PermissionChecker.unrestricted(granted) ? null : new PermissionChecker(granted);
        if (permissions == null || permissions.responses() == null) {
            replyGrants.clear();
        }
    }

    /** Uses up one reply permission granted by allow_responses, if this subject has one left. */
    boolean useReplyGrant(String subject) {
        long[] grant = replyGrants.get(subject);
        if (grant == null) {
            return false;
        }
        synchronized (grant) {
            if (System.nanoTime() - grant[1] > 0) {
                replyGrants.remove(subject, grant);
                return false;
            }
            if (--grant[0] <= 0) {
                replyGrants.remove(subject, grant);
            }
        }
        return true;
    }

    /** Remembers that this client may answer the request it is being sent (allow_responses). */
    void grantReply(ByteBuffer args, int replyOffset, int replyLength, ResponsePermission responses) {
        long deadline = System.nanoTime() + responses.effectiveExpires().toNanos();
        byte[] bytes = new byte[replyLength];
        args.get(replyOffset, bytes, 0, replyLength);
        replyGrants.put(new String(bytes, StandardCharsets.ISO_8859_1), new long[] {responses.effectiveMax(), deadline});
    }

    void cancelTimer() {
        if (authTimer != null) {
            authTimer.cancel();
            authTimer = null;
        }
    }

    static String subscriptionViolation(String subject, String queue) {
        return "Permissions Violation for Subscription to \"" + subject + "\""
                + (queue == null ? "" : " using queue \"" + queue + "\"");
    }
}
