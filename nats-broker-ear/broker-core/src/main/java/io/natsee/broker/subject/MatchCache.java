package io.natsee.broker.subject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small per-thread cache of match results keyed by the subject's bytes, so that the message
 * path finds its subscribers without building a string. Owned by one event loop; not thread
 * safe. It is emptied whenever the trie's generation moves (so it never holds subscriptions that
 * were removed, nor pins closed connections) and when it fills up.
 */
public final class MatchCache {

    /** Entries held at most before the cache is emptied; a power of two times 3/4. */
    static final int CAPACITY = 4096;
    private static final int SLOTS = CAPACITY * 4 / 3 + 1 > 4096 ? 8192 : 4096;

    private final SubjectTrie trie;
    private final boolean enabled;
    private final byte[][] keys = new byte[SLOTS][];
    private final int[] hashes = new int[SLOTS];
    private final MatchResult[] results = new MatchResult[SLOTS];
    private final boolean[] literal = new boolean[SLOTS];
    private long generation = -1;
    private int size;
    /** Whether the subject of the last {@link #match} was a valid literal subject. */
    private boolean lastLiteral;

    /** A cache over {@code trie}; {@code enabled=false} asks the trie every time (for tests). */
    public MatchCache(SubjectTrie trie, boolean enabled) {
        this.trie = trie;
        this.enabled = enabled;
    }

    /**
     * The subscriptions reached by the subject held in {@code length} bytes of {@code buffer} at
     * absolute index {@code offset}.
     */
    public MatchResult match(ByteBuffer buffer, int offset, int length) {
        if (!enabled) {
            lastLiteral = Subjects.isValidLiteralSubject(buffer, offset, length);
            return trie.match(string(buffer, offset, length));
        }
        long current = trie.generation();
        if (current != generation) {
            clear();
            generation = current;
        }
        int hash = hash(buffer, offset, length);
        int mask = SLOTS - 1;
        int slot = hash & mask;
        while (true) {
            byte[] key = keys[slot];
            if (key == null) {
                break;
            }
            if (hashes[slot] == hash && equal(key, buffer, offset, length)) {
                lastLiteral = literal[slot];
                return results[slot];
            }
            slot = (slot + 1) & mask;
        }
        // Miss: ask the trie, then remember the result under a copy of the subject.
        byte[] key = new byte[length];
        buffer.get(offset, key, 0, length);
        boolean isLiteral = Subjects.isValidLiteralSubject(buffer, offset, length);
        MatchResult result = trie.match(new String(key, StandardCharsets.ISO_8859_1));
        if (trie.generation() != generation) {
            // The trie changed while we asked: answer, but do not keep a result of unknown age.
            lastLiteral = isLiteral;
            return result;
        }
        if (size >= CAPACITY) {
            clear();
            slot = hash & mask;
        }
        keys[slot] = key;
        hashes[slot] = hash;
        results[slot] = result;
        literal[slot] = isLiteral;
        size++;
        lastLiteral = isLiteral;
        return result;
    }

    /** Whether the subject of the last {@link #match} call was a valid literal (publishable) subject. */
    public boolean lastWasLiteral() {
        return lastLiteral;
    }

    /** Drops every entry. */
    public void clear() {
        if (size == 0) {
            return;
        }
        Arrays.fill(keys, null);
        Arrays.fill(results, null);
        size = 0;
    }

    /** The number of subjects cached. */
    public int size() {
        return size;
    }

    private static int hash(ByteBuffer buffer, int offset, int length) {
        int h = 0x811c9dc5;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = (h ^ buffer.get(i)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static boolean equal(byte[] key, ByteBuffer buffer, int offset, int length) {
        if (key.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (key[i] != buffer.get(offset + i)) {
                return false;
            }
        }
        return true;
    }

    private static String string(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
