package io.natsee.broker.subject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-thread byte-keyed match cache. Parameterized by whether the trie's own cache is on,
 * so the two cache levels are checked together and apart.
 */
class MatchCacheTest {

    private static final SubjectTrieTest.Owner OWNER = new SubjectTrieTest.Owner(1);

    private static Subscription insert(SubjectTrie trie, String subject) {
        Subscription subscription = new Subscription(OWNER, subject, null, "1");
        trie.insert(subscription);
        return subscription;
    }

    private static ByteBuffer heap(String subject) {
        return ByteBuffer.wrap(subject.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static MatchResult match(MatchCache cache, String subject) {
        return entry(cache, subject).result();
    }

    private static SubjectMatch entry(MatchCache cache, String subject) {
        return cache.match(heap(subject), 0, subject.length());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void hitReturnsTheSameResultWithoutAskingTheTrie(boolean trieCache) {
        SubjectTrie trie = new SubjectTrie(trieCache);
        Subscription subscription = insert(trie, "foo.*");
        MatchCache cache = new MatchCache(trie, true);
        MatchResult first = match(cache, "foo.bar");
        assertArrayEquals(new Subscription[] {subscription}, first.plain());
        assertEquals(1, cache.size());
        long trieMatches = trie.statistics().matches();
        for (int i = 0; i < 10; i++) {
            assertSame(first, match(cache, "foo.bar"));
        }
        assertEquals(trieMatches, trie.statistics().matches(), "hits do not reach the trie");
        assertEquals(1, cache.size());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void distinctSubjectsOfTheSameLengthAreDistinctEntries(boolean trieCache) {
        SubjectTrie trie = new SubjectTrie(trieCache);
        Subscription bar = insert(trie, "foo.bar");
        Subscription baz = insert(trie, "foo.baz");
        MatchCache cache = new MatchCache(trie, true);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new Subscription[] {bar}, match(cache, "foo.bar").plain());
            assertArrayEquals(new Subscription[] {baz}, match(cache, "foo.baz").plain());
            assertTrue(match(cache, "foo.bax").isEmpty());
        }
        assertEquals(3, cache.size());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void generationChangeInvalidates(boolean trieCache) {
        SubjectTrie trie = new SubjectTrie(trieCache);
        MatchCache cache = new MatchCache(trie, true);
        assertTrue(match(cache, "foo.bar").isEmpty());
        match(cache, "other");
        assertEquals(2, cache.size());

        Subscription star = insert(trie, "foo.*");
        assertArrayEquals(new Subscription[] {star}, match(cache, "foo.bar").plain(), "a match after an insert sees it");
        assertEquals(1, cache.size(), "the whole cache was dropped");

        Subscription unrelated = insert(trie, "unrelated");
        MatchResult again = match(cache, "foo.bar");
        assertArrayEquals(new Subscription[] {star}, again.plain());
        assertEquals(1, cache.size(), "any change empties it, even one that cannot match");

        assertTrue(trie.remove(star));
        assertTrue(match(cache, "foo.bar").isEmpty(), "a match after a remove no longer holds it");
        assertTrue(trie.remove(unrelated));
        assertTrue(match(cache, "unrelated").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void capacityIsBounded(boolean trieCache) {
        SubjectTrie trie = new SubjectTrie(trieCache);
        Subscription all = insert(trie, ">");
        MatchCache cache = new MatchCache(trie, true);
        for (int i = 0; i < MatchCache.CAPACITY; i++) {
            assertArrayEquals(new Subscription[] {all}, match(cache, "s." + i).plain());
        }
        assertEquals(MatchCache.CAPACITY, cache.size());
        for (int i = 0; i < MatchCache.CAPACITY + 10; i++) {
            assertArrayEquals(new Subscription[] {all}, match(cache, "t." + i).plain());
            assertTrue(cache.size() <= MatchCache.CAPACITY);
        }
        assertEquals(10, cache.size(), "emptied when full, then refilled");
        // Entries from before the cache was emptied are still answered correctly.
        assertArrayEquals(new Subscription[] {all}, match(cache, "s.0").plain());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void keysAreBytesAtAnyOffsetOfHeapAndDirectBuffers(boolean trieCache) {
        SubjectTrie trie = new SubjectTrie(trieCache);
        Subscription subscription = insert(trie, "foo.bar");
        MatchCache cache = new MatchCache(trie, true);

        byte[] chunk = "PUB foo.bar 5\r\nPUB foo.bar.baz 1\r\n".getBytes(StandardCharsets.US_ASCII);
        MatchResult heapResult = cache.match(ByteBuffer.wrap(chunk), 4, 7).result();
        assertArrayEquals(new Subscription[] {subscription}, heapResult.plain());

        ByteBuffer direct = ByteBuffer.allocateDirect(chunk.length).put(chunk).flip();
        assertSame(heapResult, cache.match(direct, 19, 7).result(), "same bytes at another offset of a direct buffer");
        ByteBuffer slice = ByteBuffer.wrap(chunk, 15, 19).slice(); // array offset 15, position 0
        assertSame(heapResult, cache.match(slice, 4, 7).result());
        assertEquals(1, cache.size());

        assertTrue(cache.match(direct, 19, 11).result().isEmpty(), "foo.bar.baz, a longer key at the same offset");
        assertEquals(2, cache.size());
        assertEquals(0, direct.position(), "lookups do not move the buffer");

        // The key is a copy: changing the buffer afterwards does not change the entry.
        chunk[4] = 'x';
        assertTrue(cache.match(ByteBuffer.wrap(chunk), 4, 7).result().isEmpty(), "xoo.bar");
        assertSame(heapResult, match(cache, "foo.bar"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void literalOnMissesAndHits(boolean trieCache) {
        SubjectTrie trie = new SubjectTrie(trieCache);
        MatchCache cache = new MatchCache(trie, true);
        for (int pass = 0; pass < 2; pass++) {
            assertTrue(entry(cache, "foo.bar").literal());
            assertFalse(entry(cache, "foo.*").literal());
            assertTrue(entry(cache, "foo*.bar").literal());
            assertFalse(entry(cache, "foo..bar").literal());
            assertFalse(entry(cache, ">").literal());
        }
        assertEquals(5, cache.size());
        assertEquals("foo..bar", entry(cache, "foo..bar").subject());
    }

    @Test
    void aVerdictIsKeptForItsAskerOnlyAndGoesWithTheEntry() {
        SubjectTrie trie = new SubjectTrie();
        MatchCache cache = new MatchCache(trie, true);
        Object alice = new Object();
        Object bob = new Object();
        SubjectMatch entry = entry(cache, "orders.new");
        assertNull(entry.verdictOf(alice));
        entry.keepVerdict(alice, false);
        assertEquals(Boolean.FALSE, entry(cache, "orders.new").verdictOf(alice), "a hit returns the same entry");
        assertNull(entry(cache, "orders.new").verdictOf(bob));
        entry.keepVerdict(bob, true);
        assertNull(entry.verdictOf(alice), "one verdict per entry: the last asker's");
        assertEquals(Boolean.TRUE, entry.verdictOf(bob));
        insert(trie, "orders.*");
        assertNull(entry(cache, "orders.new").verdictOf(bob), "a changed trie empties the cache, verdicts too");
    }

    @Test
    void matchOnceAnswersFromTheCacheButKeepsNothingNew() {
        SubjectTrie trie = new SubjectTrie();
        Subscription inbox = insert(trie, "_INBOX.abc.*");
        MatchCache cache = new MatchCache(trie, true);
        ByteBuffer reply = heap("_INBOX.abc.1");
        assertArrayEquals(new Subscription[] {inbox}, cache.matchOnce(reply, 0, reply.remaining()).result().plain());
        assertEquals(0, cache.size());
        SubjectMatch kept = cache.match(reply, 0, reply.remaining());
        assertEquals(1, cache.size());
        assertSame(kept, cache.matchOnce(reply, 0, reply.remaining()), "a cached subject is answered from the cache");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void disabledCacheAsksTheTrieEveryTime(boolean trieCache) {
        SubjectTrie trie = new SubjectTrie(trieCache);
        Subscription subscription = insert(trie, "foo.>");
        MatchCache cache = new MatchCache(trie, false);
        long before = trie.statistics().matches();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new Subscription[] {subscription}, match(cache, "foo.bar").plain());
        }
        assertEquals(before + 5, trie.statistics().matches());
        assertEquals(0, cache.size());
        assertFalse(entry(cache, "foo.*").literal());
        assertTrue(entry(cache, "foo.bar").literal());
    }

    @Test
    void clearDropsEveryEntry() {
        SubjectTrie trie = new SubjectTrie();
        insert(trie, "foo");
        MatchCache cache = new MatchCache(trie, true);
        MatchResult first = match(cache, "foo");
        match(cache, "bar");
        cache.clear();
        assertEquals(0, cache.size());
        MatchResult again = match(cache, "foo");
        assertArrayEquals(first.plain(), again.plain());
        assertEquals(1, cache.size());
        cache.clear();
        cache.clear();
        assertEquals(0, cache.size());
    }

    @Test
    void twoCachesOverOneTrieAreIndependent() {
        SubjectTrie trie = new SubjectTrie(false);
        Subscription first = insert(trie, "foo");
        MatchCache one = new MatchCache(trie, true);
        MatchCache two = new MatchCache(trie, true);
        MatchResult fromOne = match(one, "foo");
        MatchResult fromTwo = match(two, "foo");
        assertNotSame(fromOne, fromTwo, "the trie's own cache is off, so each asked the trie");
        assertSame(fromOne, match(one, "foo"));
        assertSame(fromTwo, match(two, "foo"));
        Subscription second = insert(trie, "foo");
        assertArrayEquals(new Subscription[] {first, second}, match(one, "foo").plain());
        assertArrayEquals(new Subscription[] {first, second}, match(two, "foo").plain());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void subjectsThatDifferInOneWordOrInTheTailAreDistinctEntries(boolean trieCache) {
        // 8-byte words are hashed and compared at once, the last bytes one by one: a difference
        // in either part, at any offset of a direct buffer, must reach a different entry.
        SubjectTrie trie = new SubjectTrie(trieCache);
        Subscription first = insert(trie, "orders.eu.created.v1");
        Subscription word = insert(trie, "orders.us.created.v1");
        Subscription tail = insert(trie, "orders.eu.created.v2");
        MatchCache cache = new MatchCache(trie, true);
        for (int shift = 0; shift < 9; shift++) {
            assertArrayEquals(new Subscription[] {first}, direct(cache, "orders.eu.created.v1", shift).plain());
            assertArrayEquals(new Subscription[] {word}, direct(cache, "orders.us.created.v1", shift).plain());
            assertArrayEquals(new Subscription[] {tail}, direct(cache, "orders.eu.created.v2", shift).plain());
        }
        assertEquals(3, cache.size());
    }

    @Test
    void aLittleEndianBufferNeverHitsTheEntryOfItsWordsReversed() {
        // "abcdefgh" read as a little-endian long equals "hgfedcba" read big-endian.
        SubjectTrie trie = new SubjectTrie(true);
        Subscription forward = insert(trie, "abcdefgh");
        Subscription reversed = insert(trie, "hgfedcba");
        MatchCache cache = new MatchCache(trie, true);
        assertArrayEquals(new Subscription[] {forward}, match(cache, "abcdefgh").plain());
        ByteBuffer little = heap("hgfedcba").order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new Subscription[] {reversed}, cache.match(little, 0, 8).result().plain());
        assertArrayEquals(new Subscription[] {reversed}, cache.match(little, 0, 8).result().plain());
        assertArrayEquals(new Subscription[] {forward}, match(cache, "abcdefgh").plain());
    }

    private static MatchResult direct(MatchCache cache, String subject, int shift) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(subject.length() + shift + 3);
        for (int i = 0; i < shift; i++) {
            buffer.put(i, (byte) 'x');
        }
        buffer.put(shift, subject.getBytes(StandardCharsets.ISO_8859_1));
        buffer.put(shift + subject.length(), (byte) ' ');
        return cache.match(buffer, shift, subject.length()).result();
    }
}
