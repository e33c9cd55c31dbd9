package io.natsee.broker.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Subject validation and wildcard matching as nats-server 2.9 applies them (reference A.6). */
class SubjectsTest {

    @ParameterizedTest
    @ValueSource(strings = {"foo", "foo.bar", "*", ">", "foo.*", "foo.>", "*.*.>", "foo.*.bar", "foo*.bar",
        "foo.b>", "foo.>bar", "*foo", "_INBOX.abc.1", "a-b_c:d/e", "ünï.cödé", "$SYS.REQ.SERVER.PING"})
    void validSubscribeSubjects(String subject) {
        assertTrue(Subjects.isValidSubscribeSubject(subject), subject);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "foo..bar", "foo.", ".foo", "foo.>.bar", ">.foo", ">.>", "foo bar",
        "foo\tbar", "foo\rbar", "foo\nbar", "foo. .bar", " ", "foo.\t"})
    void invalidSubscribeSubjects(String subject) {
        assertFalse(Subjects.isValidSubscribeSubject(subject), subject);
    }

    @Test
    void formFeedIsNotAllowedInASubject() {
        assertFalse(Subjects.isValidSubscribeSubject("foo\fbar"));
        assertFalse(Subjects.isValidSubscribeSubject("foo.\f"));
    }

    @Test
    void queueNames() {
        assertTrue(Subjects.isValidQueueName("workers"));
        assertTrue(Subjects.isValidQueueName("q.1*>"));
        assertFalse(Subjects.isValidQueueName(""));
        assertFalse(Subjects.isValidQueueName("a b"));
        assertFalse(Subjects.isValidQueueName("a\tb"));
        assertFalse(Subjects.isValidQueueName("a\r"));
        assertFalse(Subjects.isValidQueueName("\nb"));
    }

    @ParameterizedTest
    @CsvSource({"foo,true", "foo.bar,true", "foo*.bar,true", "foo.>x,true", "*x,true", "a.b.c.d.e.f,true",
        "'',false", "foo.*,false", "foo.>,false", "*,false", ">,false", "foo..bar,false", ".foo,false", "foo.,false",
        "*.foo,false", "foo.*.bar,false"})
    void literalSubjectsAtAnyOffsetOfHeapAndDirectBuffers(String subject, boolean literal) {
        byte[] bytes = subject.getBytes(StandardCharsets.UTF_8);
        assertEquals(literal, Subjects.isValidLiteralSubject(ByteBuffer.wrap(bytes), 0, bytes.length), subject);

        // Framed by bytes that would change the answer if they were read: '.' and '*'.
        byte[] framed = new byte[bytes.length + 6];
        framed[0] = '.';
        framed[1] = '*';
        framed[2] = '.';
        System.arraycopy(bytes, 0, framed, 3, bytes.length);
        framed[bytes.length + 3] = '.';
        framed[bytes.length + 4] = '.';
        framed[bytes.length + 5] = '>';
        assertEquals(literal, Subjects.isValidLiteralSubject(ByteBuffer.wrap(framed), 3, bytes.length), subject);
        ByteBuffer direct = ByteBuffer.allocateDirect(framed.length).put(framed).flip();
        assertEquals(literal, Subjects.isValidLiteralSubject(direct, 3, bytes.length), subject);
    }

    @ParameterizedTest
    @CsvSource({"foo,false", "foo.bar,false", "foo*.bar,false", "foo.b>,false", "*x.y,false", "*,true", ">,true",
        "foo.*,true", "foo.>,true", "*.foo,true", "foo.*.bar,true", "a.>,true"})
    void hasWildcard(String subject, boolean wildcard) {
        assertEquals(wildcard, Subjects.hasWildcard(subject), subject);
    }

    @ParameterizedTest
    @CsvSource({
        "foo, foo, true", "foo, bar, false", "foo, foo.bar, false", "foo.bar, foo, false",
        "foo.*, foo.bar, true", "foo.*, foo, false", "foo.*, foo.bar.baz, false", "*, foo, true", "*, foo.bar, false",
        "*.bar, foo.bar, true", "*.*, a.b, true", "*.*, a, false",
        "foo.>, foo.bar, true", "foo.>, foo.bar.baz, true", "foo.>, foo, false", "foo.>, bar.baz, false",
        ">, foo, true", ">, foo.bar.baz, true", "*.>, foo, false", "*.>, foo.bar, true", "foo.*.>, foo.a.b.c, true",
        "foo.*.>, foo.a, false",
        "foo*.bar, foo*.bar, true", "foo*.bar, fooX.bar, false", "foo.b>, foo.bar, false", "foo.b>, foo.b>, true"})
    void matches(String pattern, String subject, boolean expected) {
        assertEquals(expected, Subjects.matches(pattern, subject), pattern + " ~ " + subject);
    }
}
