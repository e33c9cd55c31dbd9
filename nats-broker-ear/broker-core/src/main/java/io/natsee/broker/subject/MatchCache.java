package io.natsee.broker.subject;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small per-thread cache of match results keyed by the subject's bytes, so that the message
 * path finds its subscribers (and what else it needs to know about the subject: see
 * {@link SubjectMatch}) without building a string. Owned by one event loop; not thread
 * safe. It is emptied whenever the trie's generation moves (so it never holds subscriptions that
 * were removed, nor pins closed connections) and when it fills up.
 */
public final class MatchCache {

    /** Entries held at most before the cache is emptied; a power of two times 3/4. */
    static final int CAPACITY = 4096;
    private static final int SLOTS = CAPACITY * 4 / 3 + 1 > 4096 ? 8192 : 4096;

    /**
     * Reads a key's bytes as big-endian longs; {@link #equal} compares them with
     * {@link ByteBuffer#getLong(int)}, so the word loops take only a
     * buffer in big-endian order (a ByteBuffer's default, netty's too) and any other byte by byte.
     */
    private static final VarHandle KEY_WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final SubjectTrie trie;
    private final boolean enabled;
    /** Each slot's entry's key, beside the hashes so that a probe reads no entry until it matches. */
    private final byte[][] keys = new byte[SLOTS][];
    private final int[] hashes = new int[SLOTS];
    private final SubjectMatch[] entries = new SubjectMatch[SLOTS];
    private long generation = -1;
    private int size;

    /** A cache over {@code trie}; {@code enabled=false} asks the trie every time (for tests). */
    public MatchCache(SubjectTrie trie, boolean enabled) {
        this.trie = trie;
        this.enabled = enabled;
    }

    /**
     * What is known of the subject held in {@code length} bytes of {@code buffer} at absolute index
     * {@code offset}: the subscriptions it reaches, and more. Kept for the next publish to it.
     */
    public SubjectMatch match(ByteBuffer buffer, int offset, int length) {
        return match(buffer, offset, length, true);
    }

    /**
     * Like {@link #match(ByteBuffer, int, int)}, but a subject that is not cached yet is not kept:
     * for subjects seen once, such as a request's reply inbox, which would only push out others.
     */
    public SubjectMatch matchOnce(ByteBuffer buffer, int offset, int length) {
        return match(buffer, offset, length, false);
    }

    private SubjectMatch match(ByteBuffer buffer, int offset, int length, boolean keep) {
        if (!enabled) {
            return ask(buffer, offset, length);
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
                return entries[slot];
            }
            slot = (slot + 1) & mask;
        }
        // Miss: ask the trie, then remember the result under a copy of the subject.
        SubjectMatch entry = ask(buffer, offset, length);
        if (!keep || trie.generation() != generation) {
            // Not to keep, or the trie changed while we asked: answer, but do not keep a result of unknown age.
            return entry;
        }
        if (size >= CAPACITY) {
            clear();
            slot = hash & mask;
        }
        keys[slot] = entry.key();
        hashes[slot] = hash;
        entries[slot] = entry;
        size++;
        return entry;
    }

    /** The trie's answer for the subject, with a copy of its bytes. */
    private SubjectMatch ask(ByteBuffer buffer, int offset, int length) {
        byte[] key = new byte[length];
        buffer.get(offset, key, 0, length);
        boolean isLiteral = Subjects.isValidLiteralSubject(buffer, offset, length);
        String subject = new String(key, StandardCharsets.ISO_8859_1);
        return new SubjectMatch(key, subject, trie.match(subject), isLiteral);
    }

    /** Drops every entry. */
    public void clear() {
        if (size == 0) {
            return;
        }
        Arrays.fill(keys, null);
        Arrays.fill(entries, null);
        size = 0;
    }

    /** The number of subjects cached. */
    public int size() {
        return size;
    }

    /**
     * FNV-1a over the subject, eight bytes at a time where it can (one bounds check per word
     * instead of one per byte: the byte loop was a fifth of the publish path in a profile).
     */
    private static int hash(ByteBuffer buffer, int offset, int length) {
        long h = 0xcbf29ce484222325L;
        int i = offset;
        int end = offset + length;
        int words = buffer.order() == ByteOrder.BIG_ENDIAN ? end : i; // the word loop reads big-endian only
        for (; i + Long.BYTES <= words; i += Long.BYTES) {
            h = (h ^ buffer.getLong(i)) * 0x100000001b3L;
        }
        for (; i < end; i++) {
            h = (h ^ buffer.get(i)) * 0x100000001b3L;
        }
        int folded = (int) (h ^ (h >>> 32));
        return folded ^ (folded >>> 16);
    }

    /** Whether {@code key} holds the same bytes as the subject, compared a word at a time. */
    private static boolean equal(byte[] key, ByteBuffer buffer, int offset, int length) {
        if (key.length != length) {
            return false;
        }
        int i = 0;
        // A little-endian view would compare each word's bytes reversed: bytes one by one then.
        int words = buffer.order() == ByteOrder.BIG_ENDIAN ? length : 0;
        for (; i + Long.BYTES <= words; i += Long.BYTES) {
            if ((long) KEY_WORDS.get(key, i) != buffer.getLong(offset + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (key[i] != buffer.get(offset + i)) {
                return false;
            }
        }
        return true;
    }
}
