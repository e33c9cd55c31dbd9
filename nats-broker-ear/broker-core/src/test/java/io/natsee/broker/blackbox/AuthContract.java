package io.natsee.broker.blackbox;

import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.ConfiguredServer;
import io.natsee.broker.support.ProtocolClient;

/**
 * Authentication and authorization as nats-server 2.9.10 does them (reference sections A.4, A.5
 * and B): one configuration text drives both servers through {@link ConfiguredServer}, and every
 * rule is checked positive and negative, with raw sockets (exact bytes) and with jnats.
 */
@Timeout(30)
public abstract class AuthContract {

    private static final String VIOLATION = "-ERR 'Authorization Violation'\r\n";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String SINGLE_USER = """
            authorization {
              user: alice
              password: "s3cret-pw"
            }
            """;

    static final String TOKEN = """
            authorization {
              token: "t0ken-xyz-42"
            }
            """;

    static final String USERS = """
            authorization {
              users: [
                {user: alice, password: "alice-pw"}
                {user: bob, password: "bob-pw"}
              ]
            }
            """;

    /**
     * Users for the permission tests. {@code admin} may do everything; {@code guest} has no
     * permissions of its own and gets {@code default_permissions}.
     */
    static final String PERMISSIONS = """
            authorization {
              default_permissions: {
                publish: ["public.>"]
                subscribe: ["public.>"]
              }
              users: [
                {user: admin, password: pw, permissions: {publish: ">", subscribe: ">"}}
                {user: publisher, password: pw, permissions: {
                  publish: {allow: ["orders.*", "events.>"], deny: ["orders.secret", "events.internal.>"]}
                  subscribe: {allow: ["_INBOX.>"]}
                }}
                {user: subscriber, password: pw, permissions: {
                  publish: {deny: ">"}
                  subscribe: {allow: ["orders.*", "events.>", "jobs grp", "tasks.* workers"], deny: ["orders.secret"]}
                }}
                {user: watcher, password: pw, permissions: {subscribe: {deny: ["secret.>", "hidden"]}}}
                {user: responder, password: pw, permissions: {subscribe: ["svc.>"], allow_responses: true}}
                {user: limited, password: pw, permissions: {subscribe: ["svc.>"], allow_responses: {max: 2, expires: "1s"}}}
                {user: guest, password: pw}
              ]
            }
            """;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** The server implementation this test class runs against. */
    protected abstract ConfiguredServer.Kind kind();

    @AfterEach
    void closeResources() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ================================================================== single user, token, users

    @Test
    void infoSaysAuthRequiredAndCarriesNoNonceWithoutNkeyUsers() throws Exception {
        ConfiguredServer server = start(SINGLE_USER);
        JsonNode info = info(open(server));
        assertTrue(info.path("auth_required").asBoolean(false), info.toString());
        assertNull(info.get("nonce"), "no NKey users, no nonce: " + info);
    }

    @Test
    void infoOfAServerWithoutAuthorizationOmitsAuthRequired() throws Exception {
        JsonNode info = info(open(start("max_payload: 1048576\n")));
        assertNull(info.get("auth_required"), info.toString());
    }

    @Test
    void singleUserWithTheRightPasswordGetsIn() {
        ProtocolClient client = open(start(SINGLE_USER));
        client.send("CONNECT {\"verbose\":true,\"user\":\"alice\",\"pass\":\"s3cret-pw\"}\r\n").expect("+OK\r\n");
        client.send("SUB foo 1\r\n").expect("+OK\r\n");
        client.send(pub("foo", null, "hi")).expect("+OK\r\n").expect(msg("foo", "1", null, "hi"));
        client.ping();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"user\":\"alice\",\"pass\":\"wrong\"}",
            "{\"user\":\"alice\"}",
            "{\"user\":\"alice\",\"pass\":\"\"}",
            "{\"user\":\"mallory\",\"pass\":\"s3cret-pw\"}",
            "{\"pass\":\"s3cret-pw\"}",
            "{\"user\":\"ALICE\",\"pass\":\"s3cret-pw\"}",
            "{\"user\":\"alice\",\"pass\":\"s3cret-pw \"}",
            "{\"auth_token\":\"s3cret-pw\"}",
            "{}"})
    void singleUserRefusesWrongOrMissingCredentials(String connect) {
        expectRefused(start(SINGLE_USER), connect);
    }

    @Test
    void tokenGetsIn() {
        ProtocolClient client = open(start(TOKEN));
        client.send("CONNECT {\"verbose\":true,\"auth_token\":\"t0ken-xyz-42\"}\r\n").expect("+OK\r\n");
        client.ping();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"auth_token\":\"t0ken-xyz-4\"}",
            "{\"auth_token\":\"\"}",
            "{\"user\":\"t0ken-xyz-42\"}",
            "{\"pass\":\"t0ken-xyz-42\"}",
            "{}"})
    void tokenRefusesWrongOrMissingToken(String connect) {
        expectRefused(start(TOKEN), connect);
    }

    @Test
    void eachListedUserGetsInWithItsOwnPassword() {
        ConfiguredServer server = start(USERS);
        open(server).send("CONNECT {\"verbose\":true,\"user\":\"alice\",\"pass\":\"alice-pw\"}\r\n").expect("+OK\r\n").ping();
        open(server).send("CONNECT {\"verbose\":true,\"user\":\"bob\",\"pass\":\"bob-pw\"}\r\n").expect("+OK\r\n").ping();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"user\":\"alice\",\"pass\":\"bob-pw\"}",
            "{\"user\":\"bob\",\"pass\":\"alice-pw\"}",
            "{\"user\":\"carol\",\"pass\":\"alice-pw\"}",
            "{\"user\":\"alice\"}",
            "{}"})
    void usersListRefusesAnotherUsersPasswordAndUnknownUsers(String connect) {
        expectRefused(start(USERS), connect);
    }

    @Test
    void bcryptPasswordsAndTokenAreCheckedAgainstThePlainText() {
        String alice = bcrypt("alice-pw", 10);
        String bob = bcrypt("bob-pw", 11);
        ConfiguredServer users = start("authorization {\n  users: [\n"
                + "    {user: alice, password: \"" + alice + "\"}\n"
                + "    {user: bob, password: \"" + bob + "\"}\n  ]\n}\n");
        open(users).send("CONNECT {\"verbose\":true,\"user\":\"alice\",\"pass\":\"alice-pw\"}\r\n").expect("+OK\r\n").ping();
        open(users).send("CONNECT {\"verbose\":true,\"user\":\"bob\",\"pass\":\"bob-pw\"}\r\n").expect("+OK\r\n").ping();
        // The hash itself is not a password, nor is a near miss.
        expectRefused(users, "{\"user\":\"alice\",\"pass\":\"" + alice + "\"}");
        expectRefused(users, "{\"user\":\"alice\",\"pass\":\"alice-pW\"}");
        expectRefused(users, "{\"user\":\"bob\",\"pass\":\"alice-pw\"}");

        ConfiguredServer single = start("authorization {\n  user: carol\n  password: \"" + bcrypt("carol-pw", 10)
                + "\"\n}\n");
        open(single).send("CONNECT {\"verbose\":true,\"user\":\"carol\",\"pass\":\"carol-pw\"}\r\n").expect("+OK\r\n");
        expectRefused(single, "{\"user\":\"carol\",\"pass\":\"carol-p\"}");

        String tokenHash = bcrypt("tok-123", 10);
        ConfiguredServer token = start("authorization {\n  token: \"" + tokenHash + "\"\n}\n");
        open(token).send("CONNECT {\"verbose\":true,\"auth_token\":\"tok-123\"}\r\n").expect("+OK\r\n");
        expectRefused(token, "{\"auth_token\":\"" + tokenHash + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PING\r\n", "PONG\r\n", "SUB foo 1\r\n", "UNSUB 1\r\n", "PUB foo 2\r\nhi\r\n",
            "HPUB foo 12 12\r\nNATS/1.0\r\n\r\n\r\n"})
    void anyOperationBeforeConnectIsAnAuthorizationViolation(String operation) {
        ProtocolClient client = open(start(SINGLE_USER));
        client.send(operation).expect(VIOLATION);
        client.expectClosed();
    }

    @Test
    void operationsBeforeConnectAreNotProcessed() {
        ConfiguredServer server = start(SINGLE_USER);
        ProtocolClient subscriber = connect(server, "{\"verbose\":false,\"user\":\"alice\",\"pass\":\"s3cret-pw\"}");
        subscriber.send("SUB foo 1\r\n").ping();
        ProtocolClient intruder = open(server);
        intruder.send(pub("foo", null, "sneaky")).expect(VIOLATION);
        intruder.expectClosed();
        ProtocolClient friend = connect(server, "{\"verbose\":false,\"user\":\"alice\",\"pass\":\"s3cret-pw\"}");
        friend.send(pub("foo", null, "legit")).ping();
        subscriber.expect(msg("foo", "1", null, "legit"));
    }

    @Test
    void aClientThatNeverSendsConnectGetsAuthenticationTimeout() {
        ConfiguredServer server = start("authorization {\n  user: alice\n  password: pw\n  timeout: 1\n}\n");
        ProtocolClient client = open(server).answerServerPings(false).timeout(Duration.ofSeconds(4));
        long startNanos = System.nanoTime();
        client.expect("-ERR 'Authentication Timeout'\r\n");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        client.expectClosed();
        assertTrue(millis >= 700 && millis < 3000, "timeout: 1 took " + millis + " ms");
    }

    @Test
    void aClientThatAuthenticatesInTimeIsNotTimedOut() {
        ConfiguredServer server = start("authorization {\n  user: alice\n  password: pw\n  timeout: 1\n}\n");
        ProtocolClient client = connect(server, "{\"verbose\":false,\"user\":\"alice\",\"pass\":\"pw\"}");
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        Await.until(Duration.ofSeconds(3), () -> System.nanoTime() - until > 0);
        client.ping();
    }

    @Test
    void jnatsUserPasswordAndTokenGetIn() throws Exception {
        Connection alice = jnats(start(USERS), b -> b.userInfo("alice", "alice-pw"));
        roundTrip(alice, "hello");
        Connection token = jnats(start(TOKEN), b -> b.token("t0ken-xyz-42".toCharArray()));
        roundTrip(token, "hello");
        Connection bcrypt = jnats(start("authorization {\n  user: carol\n  password: \"" + bcrypt("carol-pw", 10)
                + "\"\n}\n"), b -> b.userInfo("carol", "carol-pw"));
        roundTrip(bcrypt, "hello");
    }

    @Test
    void jnatsWithWrongOrMissingCredentialsIsRefused() {
        ConfiguredServer users = start(USERS);
        expectJnatsRefused(users, b -> b.userInfo("alice", "bob-pw"));
        expectJnatsRefused(users, b -> b.userInfo("carol", "alice-pw"));
        expectJnatsRefused(users, b -> b);
        ConfiguredServer token = start(TOKEN);
        expectJnatsRefused(token, b -> b.token("nope".toCharArray()));
        expectJnatsRefused(token, b -> b);
    }

    // ================================================================== NKeys

    @Test
    void nkeyUserSigningTheNonceGetsInOverRawSocket() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        ConfiguredServer server = start(nkeyConfig(publicKey(user)));
        ProtocolClient client = open(server);
        JsonNode info = info(client);
        assertTrue(info.path("auth_required").asBoolean(false), info.toString());
        String nonce = info.path("nonce").asText("");
        assertFalse(nonce.isEmpty(), "INFO must carry a nonce for NKey users: " + info);
        client.send("CONNECT {\"verbose\":true,\"nkey\":\"" + publicKey(user) + "\",\"sig\":\"" + sign(user, nonce)
                + "\"}\r\n").expect("+OK\r\n");
        client.ping();
    }

    @Test
    void eachConnectionGetsItsOwnNonce() throws Exception {
        ConfiguredServer server = start(nkeyConfig(publicKey(NKey.createUser(new SecureRandom()))));
        String first = info(open(server)).path("nonce").asText();
        String second = info(open(server)).path("nonce").asText();
        assertFalse(first.isEmpty());
        assertFalse(first.equals(second), "two connections got the same nonce " + first);
    }

    @Test
    void nkeyUserWithABadSignatureIsRefused() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        NKey other = NKey.createUser(new SecureRandom());
        ConfiguredServer server = start(nkeyConfig(publicKey(user)));

        ProtocolClient wrongNonce = open(server);
        info(wrongNonce);
        wrongNonce.send("CONNECT {\"nkey\":\"" + publicKey(user) + "\",\"sig\":\"" + sign(user, "not-the-nonce")
                + "\"}\r\n").expect(VIOLATION);
        wrongNonce.expectClosed();

        ProtocolClient wrongKey = open(server);
        String nonce = info(wrongKey).path("nonce").asText();
        wrongKey.send("CONNECT {\"nkey\":\"" + publicKey(user) + "\",\"sig\":\"" + sign(other, nonce)
                + "\"}\r\n").expect(VIOLATION);
        wrongKey.expectClosed();

        ProtocolClient noSignature = open(server);
        noSignature.send("CONNECT {\"nkey\":\"" + publicKey(user) + "\"}\r\n").expect(VIOLATION);
        noSignature.expectClosed();

        ProtocolClient garbage = open(server);
        garbage.send("CONNECT {\"nkey\":\"" + publicKey(user) + "\",\"sig\":\"!!not base64!!\"}\r\n").expect(VIOLATION);
        garbage.expectClosed();
    }

    @Test
    void unknownNkeyIsRefusedEvenWhenItSignsCorrectly() throws Exception {
        NKey listed = NKey.createUser(new SecureRandom());
        NKey stranger = NKey.createUser(new SecureRandom());
        ConfiguredServer server = start(nkeyConfig(publicKey(listed)));
        ProtocolClient client = open(server);
        String nonce = info(client).path("nonce").asText();
        client.send("CONNECT {\"nkey\":\"" + publicKey(stranger) + "\",\"sig\":\"" + sign(stranger, nonce)
                + "\"}\r\n").expect(VIOLATION);
        client.expectClosed();
    }

    @Test
    void jnatsNkeyAuthHandlersGetIn() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        char[] seed = user.getSeed();
        ConfiguredServer server = start(nkeyConfig(publicKey(user)));
        roundTrip(jnats(server, b -> b.authHandler(seedHandler(seed.clone()))), "own handler");
        roundTrip(jnats(server, b -> b.authHandler(Nats.staticCredentials(null, seed.clone()))), "static credentials");
    }

    @Test
    void jnatsWithAnUnknownNkeyIsRefused() throws Exception {
        NKey listed = NKey.createUser(new SecureRandom());
        NKey stranger = NKey.createUser(new SecureRandom());
        ConfiguredServer server = start(nkeyConfig(publicKey(listed)));
        expectJnatsRefused(server, b -> b.authHandler(seedHandler(stranger.getSeed())));
    }

    @Test
    void nkeyAndPasswordUsersLiveSideBySide() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        ConfiguredServer server = start("authorization {\n  users: [\n    {nkey: " + publicKey(user) + "}\n"
                + "    {user: alice, password: alice-pw}\n  ]\n}\n");
        open(server).send("CONNECT {\"verbose\":true,\"user\":\"alice\",\"pass\":\"alice-pw\"}\r\n").expect("+OK\r\n");
        ProtocolClient nkeyClient = open(server);
        String nonce = info(nkeyClient).path("nonce").asText();
        nkeyClient.send("CONNECT {\"verbose\":true,\"nkey\":\"" + publicKey(user) + "\",\"sig\":\"" + sign(user, nonce)
                + "\"}\r\n").expect("+OK\r\n");
        expectRefused(server, "{\"user\":\"alice\",\"pass\":\"wrong\"}");
    }

    // ================================================================== publish permissions

    @Test
    void publishAllowedByLiteralAndWildcardRulesIsDelivered() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient admin = login(server, "admin", false);
        admin.send("SUB > 1\r\n").ping();
        ProtocolClient publisher = login(server, "publisher", true);
        publisher.send(pub("orders.new", null, "a")).expect("+OK\r\n");
        publisher.send(pub("events.x.y", null, "b")).expect("+OK\r\n");
        publisher.ping();
        admin.expect(msg("orders.new", "1", null, "a")).expect(msg("events.x.y", "1", null, "b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders.secret", "events.internal.x", "events.internal.x.y", "orders", "orders.a.b",
            "payments", "events"})
    void deniedPublishGetsThePermissionErrorWithoutOkAndIsNotDelivered(String subject) {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient admin = login(server, "admin", false);
        admin.send("SUB > 1\r\n").ping();
        ProtocolClient publisher = login(server, "publisher", true);
        publisher.send(pub(subject, null, "nope"))
                .expect("-ERR 'Permissions Violation for Publish to \"" + subject + "\"'\r\n");
        // No +OK for the refused message, and the connection stays open and usable.
        publisher.send(pub("orders.ok", null, "yes")).expect("+OK\r\n");
        publisher.ping();
        admin.expect(msg("orders.ok", "1", null, "yes"));
        admin.ping();
    }

    @Test
    void clientsWithDifferentPermissionsAlternatingOnOneSubjectEachGetTheirOwnVerdict() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient admin = login(server, "admin", false);
        admin.send("SUB > 1\r\n").ping();
        ProtocolClient publisher = login(server, "publisher", true);
        ProtocolClient subscriber = login(server, "subscriber", true);
        ProtocolClient guest = login(server, "guest", true);
        for (int round = 0; round < 3; round++) {
            publisher.send(pub("orders.new", null, "p" + round)).expect("+OK\r\n");
            subscriber.send(pub("orders.new", null, "s" + round))
                    .expect("-ERR 'Permissions Violation for Publish to \"orders.new\"'\r\n");
            guest.send(pub("orders.new", null, "g" + round))
                    .expect("-ERR 'Permissions Violation for Publish to \"orders.new\"'\r\n");
            // publisher's message was delivered before its +OK: it reaches admin before admin's own.
            admin.send(pub("orders.new", null, "a" + round));
            admin.expect(msg("orders.new", "1", null, "p" + round)).expect(msg("orders.new", "1", null, "a" + round));
            admin.ping();
        }
    }

    @Test
    void deniedPublishWithAMalformedSubjectGetsBothErrorsLikeTheReference() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient publisher = login(server, "publisher", true);
        // nats-server (pedantic, the default) first reports the subject, then checks permissions.
        publisher.send(pub("orders..x", null, "x"))
                .expect("-ERR 'Invalid Publish Subject'\r\n")
                .expect("-ERR 'Permissions Violation for Publish to \"orders..x\"'\r\n");
        publisher.ping();
    }

    @Test
    void publishWithAReplyNeedsOnlyThePublishPermissionOfTheSubject() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient admin = login(server, "admin", false);
        admin.send("SUB orders.* 1\r\n").ping();
        ProtocolClient publisher = login(server, "publisher", true);
        publisher.send(pub("orders.new", "anything.at.all", "r")).expect("+OK\r\n");
        admin.expect(msg("orders.new", "1", "anything.at.all", "r"));
    }

    @Test
    void jnatsPublisherHearsAboutADeniedPublishAndStaysConnected() throws Exception {
        ConfiguredServer server = start(PERMISSIONS);
        Connection admin = jnats(server, b -> b.userInfo("admin", "pw"));
        Subscription all = admin.subscribe(">");
        admin.flush(WAIT);
        List<String> errors = new CopyOnWriteArrayList<>();
        Connection publisher = jnats(server, b -> b.userInfo("publisher", "pw").errorListener(new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                errors.add(error);
            }
        }));
        publisher.publish("orders.secret", "no".getBytes(UTF_8));
        publisher.publish("orders.fine", "yes".getBytes(UTF_8));
        publisher.flush(WAIT);
        Await.until(WAIT, "the permission error in jnats's ErrorListener", () -> !errors.isEmpty());
        assertEquals("Permissions Violation for Publish to \"orders.secret\"", errors.get(0).replace("'", ""));
        Message received = all.nextMessage(WAIT);
        assertNotNull(received);
        assertEquals("orders.fine", received.getSubject());
        assertNull(all.nextMessage(Duration.ofMillis(200)));
        assertEquals(Connection.Status.CONNECTED, publisher.getStatus());
    }

    // ================================================================== subscribe permissions

    @ParameterizedTest
    @ValueSource(strings = {"SUB orders.* 1", "SUB orders.new 1", "SUB events.> 1", "SUB events.a.b 1",
            "SUB jobs grp 1", "SUB tasks.a workers 1", "SUB orders.new anyqueue 1"})
    void allowedSubscriptionsAreAccepted(String operation) {
        ProtocolClient subscriber = login(start(PERMISSIONS), "subscriber", true);
        subscriber.send(operation + "\r\n").expect("+OK\r\n");
        subscriber.ping();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SUB payments 1|Permissions Violation for Subscription to \"payments\"",
            "SUB orders.secret 1|Permissions Violation for Subscription to \"orders.secret\"",
            "SUB orders.secret q 1|Permissions Violation for Subscription to \"orders.secret\" using queue \"q\"",
            "SUB jobs 1|Permissions Violation for Subscription to \"jobs\"",
            "SUB jobs other 1|Permissions Violation for Subscription to \"jobs\" using queue \"other\"",
            "SUB tasks.a 1|Permissions Violation for Subscription to \"tasks.a\"",
            "SUB tasks.a idlers 1|Permissions Violation for Subscription to \"tasks.a\" using queue \"idlers\"",
            "SUB > 1|Permissions Violation for Subscription to \">\"",
            "SUB orders.a.b 1|Permissions Violation for Subscription to \"orders.a.b\""})
    void deniedSubscriptionsGetThePermissionErrorWithoutOkAndStayOpen(String operationAndError) {
        String[] parts = operationAndError.split("\\|");
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient subscriber = login(server, "subscriber", true);
        subscriber.send(parts[0] + "\r\n").expect("-ERR '" + parts[1] + "'\r\n");
        subscriber.send("SUB orders.new 2\r\n").expect("+OK\r\n");
        subscriber.ping();
        // The refused subscription does not exist: only sid 2 gets the message.
        ProtocolClient admin = login(server, "admin", false);
        String subject = parts[0].split(" ")[1];
        if (!subject.contains("*") && !subject.contains(">")) {
            admin.send(pub(subject, null, "x"));
        }
        admin.send(pub("orders.new", null, "y")).ping();
        subscriber.expect(msg("orders.new", "2", null, "y"));
        subscriber.ping();
    }

    @Test
    void theSubscribePermissionCheckComesBeforeSubjectValidation() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient subscriber = login(server, "subscriber", false);
        // With an allow list a malformed subject matches nothing, so it is a permission error ...
        subscriber.send("SUB orders..x 1\r\n").expect("-ERR 'Permissions Violation for Subscription to \"orders..x\"'\r\n");
        subscriber.send("SUB orders. 2\r\n").expect("-ERR 'Permissions Violation for Subscription to \"orders.\"'\r\n");
        subscriber.ping();
        // ... while with only a deny list it passes the check and fails validation.
        ProtocolClient watcher = login(server, "watcher", false);
        watcher.send("SUB secret..x 1\r\n").expect("-ERR 'Invalid Subject'\r\n");
        watcher.send("SUB secret.> 2\r\n").expect("-ERR 'Permissions Violation for Subscription to \"secret.>\"'\r\n");
        watcher.ping();
    }

    @Test
    void aWildcardSubscriberNeverReceivesDeniedSubjects() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient watcher = login(server, "watcher", false);
        watcher.send("SUB > 1\r\nSUB *.x 2\r\n").ping();
        ProtocolClient admin = login(server, "admin", false);
        admin.send(pub("secret.x", null, "s1") + pub("secret.x.y", null, "s2") + pub("hidden", null, "s3")
                + pub("public.x", null, "ok")).ping();
        // Both subscriptions get public.x (in either order); no secret subject reaches either.
        java.util.Set<String> sids = new java.util.TreeSet<>();
        for (int i = 0; i < 2; i++) {
            ProtocolClient.Msg received = watcher.readMsg();
            assertEquals("public.x", received.subject(), received.line());
            sids.add(received.sid());
        }
        assertEquals(java.util.Set.of("1", "2"), sids);
        watcher.ping();
    }

    @Test
    void deniedMessagesSkipARestrictedQueueMemberAndReachAnother() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient watcher = login(server, "watcher", false);
        watcher.send("SUB > grp 1\r\n").ping();
        ProtocolClient admin = login(server, "admin", false);
        admin.send("SUB > grp 7\r\n").ping();
        ProtocolClient publisher = login(server, "admin", false);
        int count = 20;
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < count; i++) {
            batch.append(pub("secret.x", null, "m" + i));
        }
        publisher.send(batch.toString()).ping();
        for (int i = 0; i < count; i++) {
            admin.expect(msg("secret.x", "7", null, "m" + i));
        }
        admin.ping();
        watcher.ping(); // PONG directly: not one secret message reached the restricted member
    }

    @Test
    void defaultPermissionsApplyToUsersWithoutTheirOwn() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient guest = login(server, "guest", true);
        guest.send("SUB public.news 1\r\n").expect("+OK\r\n");
        guest.send("SUB private 2\r\n").expect("-ERR 'Permissions Violation for Subscription to \"private\"'\r\n");
        guest.send(pub("public.news", null, "n")).expect("+OK\r\n").expect(msg("public.news", "1", null, "n"));
        guest.send(pub("private", null, "p")).expect("-ERR 'Permissions Violation for Publish to \"private\"'\r\n");
        guest.ping();
        // A user with its own permissions is not limited by the defaults.
        ProtocolClient admin = login(server, "admin", true);
        admin.send("SUB private 1\r\n").expect("+OK\r\n");
        admin.send(pub("private", null, "p")).expect("+OK\r\n").expect(msg("private", "1", null, "p"));
    }

    // ================================================================== allow_responses

    @Test
    void allowResponsesLetsAResponderAnswerOnceAndNothingElse() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient responder = login(server, "responder", false);
        responder.send("SUB svc.echo 1\r\n").ping();
        ProtocolClient requester = login(server, "admin", false);
        requester.send("SUB _INBOX.r1 9\r\nSUB elsewhere 10\r\n").ping();

        // Without a request there is nothing to answer.
        responder.send(pub("_INBOX.r1", null, "early"))
                .expect("-ERR 'Permissions Violation for Publish to \"_INBOX.r1\"'\r\n");
        requester.send(pub("svc.echo", "_INBOX.r1", "ping")).ping();
        responder.expect(msg("svc.echo", "1", "_INBOX.r1", "ping"));
        responder.send(pub("_INBOX.r1", null, "pong")).ping();
        requester.expect(msg("_INBOX.r1", "9", null, "pong"));
        // allow_responses: true is one reply per request, and only to the reply subject.
        responder.send(pub("_INBOX.r1", null, "again"))
                .expect("-ERR 'Permissions Violation for Publish to \"_INBOX.r1\"'\r\n");
        responder.send(pub("elsewhere", null, "x"))
                .expect("-ERR 'Permissions Violation for Publish to \"elsewhere\"'\r\n");
        responder.ping();
        requester.ping(); // nothing more arrived
    }

    @Test
    void allowResponsesWithMaxAndExpiresCountsRepliesAndExpires() {
        ConfiguredServer server = start(PERMISSIONS);
        ProtocolClient responder = login(server, "limited", false);
        responder.send("SUB svc.> 1\r\n").ping();
        ProtocolClient requester = login(server, "admin", false);
        requester.send("SUB _INBOX.> 9\r\n").ping();

        requester.send(pub("svc.a", "_INBOX.a", "q")).ping();
        responder.expect(msg("svc.a", "1", "_INBOX.a", "q"));
        responder.send(pub("_INBOX.a", null, "r1") + pub("_INBOX.a", null, "r2") + pub("_INBOX.a", null, "r3"))
                .expect("-ERR 'Permissions Violation for Publish to \"_INBOX.a\"'\r\n");
        responder.ping();
        requester.expect(msg("_INBOX.a", "9", null, "r1")).expect(msg("_INBOX.a", "9", null, "r2"));
        requester.ping();

        requester.send(pub("svc.b", "_INBOX.b", "q")).ping();
        responder.expect(msg("svc.b", "1", "_INBOX.b", "q"));
        long expired = System.nanoTime() + Duration.ofMillis(1300).toNanos();
        Await.until(Duration.ofSeconds(3), "the 1 s reply permission to pass", () -> System.nanoTime() - expired > 0);
        responder.send(pub("_INBOX.b", null, "late"))
                .expect("-ERR 'Permissions Violation for Publish to \"_INBOX.b\"'\r\n");
        responder.ping();
        requester.ping(); // the late reply was not delivered
    }

    @Test
    void jnatsRequestReplyThroughAllowResponses() throws Exception {
        ConfiguredServer server = start(PERMISSIONS);
        Connection responder = jnats(server, b -> b.userInfo("responder", "pw"));
        responder.createDispatcher(m -> responder.publish(m.getReplyTo(), ("re:" + new String(m.getData(), UTF_8))
                .getBytes(UTF_8))).subscribe("svc.echo");
        responder.flush(WAIT);
        Connection requester = jnats(server, b -> b.userInfo("admin", "pw"));
        for (int i = 0; i < 3; i++) {
            Message reply = requester.request("svc.echo", ("q" + i).getBytes(UTF_8), WAIT);
            assertNotNull(reply, "request " + i + " got no reply");
            assertEquals("re:q" + i, new String(reply.getData(), UTF_8));
        }
    }

    // ================================================================== helpers

    private ConfiguredServer start(String config) {
        return track(kind().start(config));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    /** A raw client that has read INFO and sent nothing. */
    private ProtocolClient open(ConfiguredServer server) {
        ProtocolClient client = track(ProtocolClient.openRaw(server.host(), server.port()));
        client.readInfo();
        return client;
    }

    /** A raw client after {@code CONNECT <json>} and a PING/PONG round trip. */
    private ProtocolClient connect(ConfiguredServer server, String connectJson) {
        ProtocolClient client = open(server);
        client.send("CONNECT " + connectJson + "\r\n").ping();
        return client;
    }

    /** A raw client logged in as one of {@link #PERMISSIONS}'s users (password {@code pw}); +OK consumed. */
    private ProtocolClient login(ConfiguredServer server, String user, boolean verbose) {
        ProtocolClient client = open(server);
        client.send("CONNECT {\"verbose\":" + verbose + ",\"user\":\"" + user + "\",\"pass\":\"pw\"}\r\n");
        if (verbose) {
            client.expect("+OK\r\n");
        }
        return client.ping();
    }

    private void expectRefused(ConfiguredServer server, String connectJson) {
        ProtocolClient client = open(server);
        client.send("CONNECT " + connectJson + "\r\n").expect(VIOLATION);
        client.expectClosed();
    }

    private static JsonNode info(ProtocolClient client) {
        String line = client.infoLine();
        if (line == null) {
            line = client.readInfo();
        }
        try {
            return JSON.readTree(line.substring("INFO ".length()).trim());
        } catch (IOException e) {
            throw new AssertionError("INFO is not JSON: " + line, e);
        }
    }

    private Connection jnats(ConfiguredServer server, UnaryOperator<Options.Builder> customize)
            throws IOException, InterruptedException {
        Options.Builder builder = new Options.Builder().server(server.url()).connectionTimeout(WAIT)
                .noReconnect().errorListener(new ErrorListener() { });
        return track(Nats.connect(customize.apply(builder).build()));
    }

    private void expectJnatsRefused(ConfiguredServer server, UnaryOperator<Options.Builder> customize) {
        List<String> errors = new CopyOnWriteArrayList<>();
        Options.Builder builder = new Options.Builder().server(server.url()).connectionTimeout(WAIT)
                .noReconnect().maxReconnects(0);
        builder = customize.apply(builder).errorListener(new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                errors.add(error);
            }
        });
        Options options = builder.build();
        Exception failure = assertThrows(Exception.class, () -> track(Nats.connect(options)),
                "jnats must not get in");
        StringBuilder seen = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            seen.append(t).append(" | ");
        }
        seen.append(errors);
        assertTrue(seen.toString().contains("Authorization Violation"),
                "expected jnats to report 'Authorization Violation' but saw: " + seen);
    }

    private static void roundTrip(Connection connection, String text) throws Exception {
        Subscription subscription = connection.subscribe("round.trip");
        connection.publish("round.trip", text.getBytes(UTF_8));
        Message message = subscription.nextMessage(WAIT);
        assertNotNull(message, "no message came back");
        assertEquals(text, new String(message.getData(), UTF_8));
        subscription.unsubscribe();
    }

    static String bcrypt(String password, int cost) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, cost);
    }

    private static String nkeyConfig(String publicKey) {
        return "authorization {\n  users: [\n    {nkey: " + publicKey + "}\n  ]\n}\n";
    }

    static String publicKey(NKey key) throws Exception {
        return new String(key.getPublicKey());
    }

    /** The nonce signed with the key, base64 URL-encoded without padding, as nats clients send it. */
    static String sign(NKey key, String nonce) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(nonce.getBytes(StandardCharsets.UTF_8)));
    }

    /** An AuthHandler made from an NKey seed alone (no JWT): jnats then sends {@code nkey} and {@code sig}. */
    static AuthHandler seedHandler(char[] seed) {
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return NKey.fromSeed(seed.clone()).sign(nonce);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return NKey.fromSeed(seed.clone()).getPublicKey();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }
}
