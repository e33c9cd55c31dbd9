package io.natsee.broker.subject;

/**
 * What the message path knows about one published subject: the subscriptions it reaches, whether
 * it is a valid literal subject, its text (made once, for the trie), and the last
 * permission verdict asked about it, so that a publish checks its subject's permissions without
 * building a string. {@link MatchCache} keeps one per cached subject; owned by one event loop.
 */
public final class SubjectMatch {

    private final byte[] key;
    private final MatchResult result;
    private final boolean literal;
    private final String subject;
    private Object verdictAsker;
    private boolean verdict;

    SubjectMatch(byte[] key, String subject, MatchResult result, boolean literal) {
        this.key = key;
        this.subject = subject;
        this.result = result;
        this.literal = literal;
    }

    /** The subscriptions the subject reaches. */
    public MatchResult result() {
        return result;
    }

    /** Whether the subject is a valid literal (publishable) subject. */
    public boolean literal() {
        return literal;
    }

    /** The subject as text. */
    public String subject() {
        return subject;
    }

    /**
     * The verdict {@code asker} (a client's permission checker) gave this subject last, if it was the
     * last to give one; {@code null} otherwise.
     */
    public Boolean verdictOf(Object asker) {
        return verdictAsker == asker ? Boolean.valueOf(verdict) : null;
    }

    /** Keeps {@code asker}'s verdict on this subject, replacing any other's. */
    public void keepVerdict(Object asker, boolean allowed) {
        verdictAsker = asker;
        verdict = allowed;
    }

    byte[] key() {
        return key;
    }
}
