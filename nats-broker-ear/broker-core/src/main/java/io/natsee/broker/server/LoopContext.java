package io.natsee.broker.server;

import io.natsee.broker.subject.MatchCache;
import io.natsee.broker.subject.SubjectTrie;

/**
 * The state one event loop owns: its match cache, the connections it wrote to during the current
 * read (flushed once at the end of it), its random source for queue groups, and its counters.
 * Used only by that loop's thread; monitoring reads the counters without locking (a slightly old
 * value is fine there).
 */
final class LoopContext {

    final int index;
    final MatchCache matchCache;
    /** The routes the message being routed on this loop goes to. */
    final RouteTargets routeTargets = new RouteTargets();
    private Connection[] touched = new Connection[64];
    private int touchedCount;
    private long random;

    long inMsgs;
    long inBytes;
    long outMsgs;
    long outBytes;

    LoopContext(int index, SubjectTrie trie, boolean matchCache) {
        this.index = index;
        this.matchCache = new MatchCache(trie, matchCache);
        this.random = System.nanoTime() ^ (0x9E3779B97F4A7C15L * (index + 1));
    }

    /** Remembers a connection to flush at the end of the current read. */
    void touch(Connection connection) {
        if (touchedCount == touched.length) {
            Connection[] bigger = new Connection[touched.length * 2];
            System.arraycopy(touched, 0, bigger, 0, touchedCount);
            touched = bigger;
        }
        touched[touchedCount++] = connection;
    }

    /** Flushes every connection touched since the last call. */
    void flushTouched() {
        // A flush can close a connection, which never touches another, so the list is stable.
        for (int i = 0; i < touchedCount; i++) {
            Connection connection = touched[i];
            touched[i] = null;
            connection.flushFromLoop();
        }
        touchedCount = 0;
    }

    /** A random number in [0, bound), from a xorshift generator owned by this loop. */
    int nextInt(int bound) {
        long x = random;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        random = x;
        return (int) ((x >>> 33) % bound);
    }
}
