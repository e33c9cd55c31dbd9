package io.natsee.broker.server;

import io.natsee.broker.subject.SubjectTrie;
import io.natsee.broker.subject.Subscription;

/**
 * The one place through which subscriptions reach the subject trie. Local subscriptions (those
 * of clients) are announced to a listener, which the route manager uses to send RS+ and RS- to
 * its peers; interest learned from routes is inserted without an announcement (the one-hop rule:
 * it is never advertised further).
 */
public final class Interest {

    /** Hears local interest appear and go; called on the subscribing client's event loop. */
    public interface Listener {
        void added(Subscription subscription);

        void removed(Subscription subscription);
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void added(Subscription subscription) {
        }

        @Override
        public void removed(Subscription subscription) {
        }
    };

    private final SubjectTrie trie;
    private volatile Listener listener = NONE;

    Interest(SubjectTrie trie) {
        this.trie = trie;
    }

    /** Installs the listener of local interest ({@code null} for none). */
    public void listen(Listener listener) {
        this.listener = listener == null ? NONE : listener;
    }

    void addLocal(Subscription subscription) {
        trie.insert(subscription);
        listener.added(subscription);
    }

    void removeLocal(Subscription subscription) {
        trie.remove(subscription);
        listener.removed(subscription);
    }

    /** Interest a route peer has: matched like any other, never announced. */
    public void addRemote(Subscription subscription) {
        trie.insert(subscription);
    }

    public void removeRemote(Subscription subscription) {
        trie.remove(subscription);
    }
}
