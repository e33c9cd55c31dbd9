package io.natsee.broker.blackbox;

import static io.natsee.broker.support.Frames.headers;
import static io.natsee.broker.support.Frames.hmsg;
import static io.natsee.broker.support.Frames.hpub;
import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.natsee.broker.support.ProtocolClient;
import io.natsee.broker.support.ServerTestBase;
import io.natsee.broker.support.TestServer;

/**
 * Reference section A.6: subject validation, wildcards, queue groups, request/reply, no
 * responders, headers to header and non-header clients, and echo.
 */
public abstract class MessageRoutingContract extends ServerTestBase {

    // ------------------------------------------------------------------ wildcards

    @Test
    void starMatchesExactlyOneToken() {
        TestServer server = startServer();
        ProtocolClient sub = quiet(server);
        sub.send("SUB foo.* 1\r\nPING\r\n").expect("PONG\r\n");
        ProtocolClient pub = quiet(server);
        pub.send(pub("foo", null, "0") + pub("foo.bar", null, "1") + pub("foo.bar.baz", null, "2")
                + pub("fooo.bar", null, "3") + pub("foo.baz", null, "4") + "PING\r\n").expect("PONG\r\n");
        sub.expect(msg("foo.bar", "1", null, "1") + msg("foo.baz", "1", null, "4"));
        sub.ping();
    }

    @Test
    void starInTheMiddle() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB a.*.c 1\r\n" + pub("a.b.c", null, "x") + pub("a.b.d", null, "y") + pub("a.c", null, "z")
                + pub("a.bb.c", null, "w") + "PING\r\n");
        client.expect(msg("a.b.c", "1", null, "x") + msg("a.bb.c", "1", null, "w") + "PONG\r\n");
    }

    @Test
    void greaterThanMatchesOneOrMoreTrailingTokens() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo.> 1\r\n" + pub("foo", null, "0") + pub("foo.bar", null, "1")
                + pub("foo.bar.baz", null, "2") + pub("bar.foo", null, "3") + "PING\r\n");
        client.expect(msg("foo.bar", "1", null, "1") + msg("foo.bar.baz", "1", null, "2") + "PONG\r\n");
    }

    @Test
    void greaterThanAloneMatchesEverything() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB > 1\r\n" + pub("a", null, "1") + pub("a.b.c.d", null, "2") + "PING\r\n");
        client.expect(msg("a", "1", null, "1") + msg("a.b.c.d", "1", null, "2") + "PONG\r\n");
    }

    @Test
    void wildcardCharactersInsideATokenAreLiterals() {
        ProtocolClient client = open(startServer());
        client.send("CONNECT {}\r\n").expect("+OK\r\n");
        client.send("SUB foo*.bar 1\r\nSUB x.b> 2\r\nPING\r\n").expect("+OK\r\n+OK\r\nPONG\r\n");
        client.send(pub("foo*.bar", null, "a") + pub("foox.bar", null, "b") + pub("x.b>", null, "c")
                + pub("x.bz", null, "d") + "PING\r\n");
        client.expect("+OK\r\n" + msg("foo*.bar", "1", null, "a") + "+OK\r\n+OK\r\n" + msg("x.b>", "2", null, "c")
                + "+OK\r\nPONG\r\n");
    }

    @Test
    void subjectsAreCaseSensitive() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB Foo 1\r\n" + pub("foo", null, "a") + pub("Foo", null, "b") + "PING\r\n");
        client.expect(msg("Foo", "1", null, "b") + "PONG\r\n");
    }

    // ------------------------------------------------------------------ subject validation

    @Test
    void invalidSubscriptionSubjectsAreRefusedAndTheConnectionStays() {
        ProtocolClient client = quiet(startServer());
        for (String subject : new String[] {"foo..bar", "foo.", ".foo", "foo.>.bar", ">.foo"}) {
            client.send("SUB " + subject + " 1\r\nPING\r\n");
            client.expect("-ERR 'Invalid Subject'\r\nPONG\r\n");
        }
        client.send("SUB foo 2\r\n" + pub("foo", null, "ok") + "PING\r\n");
        client.expect(msg("foo", "2", null, "ok") + "PONG\r\n");
    }

    @Test
    void invalidSubscriptionInVerboseModeGetsOnlyTheError() {
        ProtocolClient client = open(startServer());
        client.send("CONNECT {}\r\nSUB foo..bar 1\r\nPING\r\n").expect("+OK\r\n-ERR 'Invalid Subject'\r\nPONG\r\n");
    }

    @Test
    void pedanticIsOnByDefaultAndFlagsWildcardPublishSubjects() {
        // nats-server 2.9.10 sends the error but still routes the message (the reference spec's
        // "refused" is not what the server does): a wildcard subject reaches the matching
        // subscriptions, a subject with an empty token reaches nobody.
        ProtocolClient client = quiet(startServer());
        client.send("SUB > 1\r\nPING\r\n").expect("PONG\r\n");
        client.send(pub("foo.*", null, "a") + pub("foo.>", null, "b") + pub("foo..bar", null, "c")
                + pub("foo.", null, "d") + pub(".foo", null, "e") + "PING\r\n");
        client.expect("-ERR 'Invalid Publish Subject'\r\n" + msg("foo.*", "1", null, "a")
                + "-ERR 'Invalid Publish Subject'\r\n" + msg("foo.>", "1", null, "b")
                + "-ERR 'Invalid Publish Subject'\r\n-ERR 'Invalid Publish Subject'\r\n"
                + "-ERR 'Invalid Publish Subject'\r\nPONG\r\n");
        client.send(pub("foo.ok", null, "y") + "PING\r\n").expect(msg("foo.ok", "1", null, "y") + "PONG\r\n");
    }

    @Test
    void pedanticWildcardPublishMatchesWildcardsLiterally() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo.* 1\r\nSUB foo.bar 2\r\n" + pub("foo.*", null, "a") + "PING\r\n");
        client.expect("-ERR 'Invalid Publish Subject'\r\n" + msg("foo.*", "1", null, "a") + "PONG\r\n");
    }

    @Test
    void pedanticVerboseSendsTheErrorThenOk() {
        // nats-server 2.9.10 answers an invalid pedantic publish with -ERR and then still +OK.
        ProtocolClient client = open(startServer());
        client.send("CONNECT {}\r\n").expect("+OK\r\n");
        client.send(pub("foo.>", null, "a") + "PING\r\n");
        client.expect("-ERR 'Invalid Publish Subject'\r\n+OK\r\nPONG\r\n");
    }

    @Test
    void nonPedanticAcceptsWildcardPublishSubjectsSilently() {
        ProtocolClient client = open(startServer(), "{\"verbose\":false,\"pedantic\":false}");
        client.send("SUB foo.* 1\r\nSUB foo.bar 2\r\n" + pub("foo.*", null, "x") + pub("foo..bar", null, "y")
                + "PING\r\n");
        client.expect(msg("foo.*", "1", null, "x") + "PONG\r\n");
    }

    // ------------------------------------------------------------------ queue groups

    @Test
    void queueGroupGetsEachMessageOnceAndPlainSubscribersGetAll() {
        TestServer server = startServer();
        ProtocolClient member1 = quiet(server);
        ProtocolClient member2 = quiet(server);
        ProtocolClient plain = quiet(server);
        member1.send("SUB work grp 1\r\nPING\r\n").expect("PONG\r\n");
        member2.send("SUB work grp 1\r\nSUB work 2\r\nPING\r\n").expect("PONG\r\n");
        plain.send("SUB work 7\r\nPING\r\n").expect("PONG\r\n");

        int count = 40;
        ProtocolClient publisher = quiet(server);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < count; i++) {
            all.append(pub("work", null, Integer.toString(i)));
        }
        publisher.send(all + "PING\r\n").expect("PONG\r\n");

        // Each client sees everything sent to it once a PING round trip completes.
        List<String> group = new ArrayList<>();
        List<String> member2Plain = new ArrayList<>();
        for (ProtocolClient member : List.of(member1, member2)) {
            member.send("PING\r\n");
            String line;
            while (!(line = member.readLine()).equals("PONG")) {
                String[] parts = line.split(" ");
                String payload = new String(member.readBytes(Integer.parseInt(parts[3])));
                member.expect("\r\n");
                if (parts[2].equals("1")) {
                    group.add(payload);
                } else {
                    member2Plain.add(payload);
                }
            }
        }
        List<String> plainPayloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plainPayloads.add(plain.readMsg().payloadText());
        }
        plain.ping();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(Integer.toString(i));
        }
        assertEquals(count, group.size(), "the group must get every message exactly once: " + group);
        assertEquals(Set.copyOf(expected), new HashSet<>(group));
        assertEquals(expected, member2Plain, "a plain subscription next to a queue one gets everything, in order");
        assertEquals(expected, plainPayloads);
    }

    @Test
    void everyQueueGroupGetsItsOwnCopy() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB job a 1\r\nSUB job b 2\r\nSUB job a 3\r\n" + pub("job", null, "x") + "PING\r\n");
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            sids.add(client.readMsg().sid());
        }
        client.expect("PONG\r\n");
        assertTrue(sids.contains("2"), "group b has one member, sid 2: " + sids);
        assertTrue(sids.contains("1") ^ sids.contains("3"), "group a must get it exactly once: " + sids);
    }

    @Test
    void queueSubscriptionWithWildcard() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB orders.* workers 1\r\n" + pub("orders.new", "r", "x") + "PING\r\n");
        client.expect(msg("orders.new", "1", "r", "x") + "PONG\r\n");
    }

    // ------------------------------------------------------------------ request / reply, no responders

    @Test
    void requestReplyThroughReplySubject() {
        TestServer server = startServer();
        ProtocolClient responder = quiet(server);
        responder.send("SUB service 1\r\nPING\r\n").expect("PONG\r\n");
        ProtocolClient requester = quiet(server);
        requester.send("SUB _INBOX.abc.* 9\r\n" + pub("service", "_INBOX.abc.1", "question") + "PING\r\n");
        requester.expect("PONG\r\n");
        ProtocolClient.Msg request = responder.readMsg();
        assertEquals("MSG service 1 _INBOX.abc.1 8", request.line());
        responder.send(pub(request.reply(), null, "answer"));
        requester.expect(msg("_INBOX.abc.1", "9", null, "answer"));
    }

    @Test
    void noRespondersIsAnEmpty503HeaderMessage() {
        ProtocolClient client = open(startServer(), "{\"verbose\":false,\"headers\":true,\"no_responders\":true}");
        client.send("SUB rep 7\r\n" + pub("nobody", "rep", "hi") + "PING\r\n");
        client.expect("HMSG rep 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPONG\r\n");
        client.send(hpub("nobody", "rep", headers("K: v"), "hi") + "PING\r\n");
        client.expect("HMSG rep 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPONG\r\n");
    }

    @Test
    void noRespondersAlsoAfterTheLastSubscriberLeft() {
        ProtocolClient client = open(startServer(), "{\"verbose\":false,\"headers\":true,\"no_responders\":true}");
        client.send("SUB nobody 1\r\nUNSUB 1\r\nSUB rep 7\r\n" + pub("nobody", "rep", "hi") + "PING\r\n");
        client.expect("HMSG rep 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPONG\r\n");
    }

    @Test
    void noNoRespondersWithoutTheFlagOrWithoutAReplyOrWithInterest() {
        TestServer server = startServer();
        ProtocolClient withoutFlag = quietWithHeaders(server);
        withoutFlag.send("SUB rep 7\r\n" + pub("nobody", "rep", "hi") + "PING\r\n").expect("PONG\r\n");
        ProtocolClient withoutReply = open(server, "{\"verbose\":false,\"headers\":true,\"no_responders\":true}");
        withoutReply.send("SUB rep 7\r\n" + pub("nobody", null, "hi") + "PING\r\n").expect("PONG\r\n");
        ProtocolClient withInterest = open(server, "{\"verbose\":false,\"headers\":true,\"no_responders\":true}");
        withInterest.send("SUB svc 1\r\nSUB rep 7\r\n" + pub("svc", "rep", "hi") + "PING\r\n");
        withInterest.expect(msg("svc", "1", "rep", "hi") + "PONG\r\n");
    }

    // ------------------------------------------------------------------ headers

    @Test
    void headerMessagesAreStrippedForClientsWithoutHeaders() {
        TestServer server = startServer();
        ProtocolClient plain = quiet(server);
        ProtocolClient headerAware = quietWithHeaders(server);
        plain.send("SUB foo.> 5\r\nPING\r\n").expect("PONG\r\n");
        headerAware.send("SUB foo.> 5\r\nPING\r\n").expect("PONG\r\n");
        ProtocolClient publisher = quietWithHeaders(server);
        String block = headers("A: b", "A: c");
        publisher.send(hpub("foo.bar", "reply.x", block, "hello") + hpub("foo.bar", null, headers(), "")
                + "PING\r\n").expect("PONG\r\n");
        headerAware.expect(hmsg("foo.bar", "5", "reply.x", block, "hello") + "HMSG foo.bar 5 12 12\r\nNATS/1.0\r\n\r\n\r\n");
        plain.expect(msg("foo.bar", "5", "reply.x", "hello") + "MSG foo.bar 5 0\r\n\r\n");
        headerAware.ping();
        plain.ping();
    }

    @Test
    void plainPublishesReachHeaderClientsAsMsg() {
        TestServer server = startServer();
        ProtocolClient headerAware = quietWithHeaders(server);
        headerAware.send("SUB foo 1\r\n" + pub("foo", null, "plain") + "PING\r\n");
        headerAware.expect(msg("foo", "1", null, "plain") + "PONG\r\n");
    }

    // ------------------------------------------------------------------ echo

    @Test
    void echoFalseSuppressesOwnMessagesOnly() {
        TestServer server = startServer();
        ProtocolClient noEcho = open(server, "{\"verbose\":false,\"echo\":false}");
        noEcho.send("SUB foo 1\r\n" + pub("foo", null, "own") + "PING\r\n").expect("PONG\r\n");
        ProtocolClient other = quiet(server);
        other.send(pub("foo", null, "theirs") + "PING\r\n").expect("PONG\r\n");
        noEcho.expect(msg("foo", "1", null, "theirs"));
        noEcho.ping();
    }

    @Test
    void echoIsOnByDefault() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo 1\r\n" + pub("foo", null, "own") + "PING\r\n");
        client.expect(msg("foo", "1", null, "own") + "PONG\r\n");
    }
}
