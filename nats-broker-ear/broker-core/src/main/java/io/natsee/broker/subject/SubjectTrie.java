package io.natsee.broker.subject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscriptions of a broker, indexed by subject token: each level has literal children plus a
 * {@code *} and a {@code >} slot, and holds plain subscriptions and queue groups. Matching a
 * literal subject walks every branch that can match it.
 *
 * <p>Every change bumps a generation counter; per-thread caches ({@link MatchCache}) compare it
 * and drop their results when it moved. The trie keeps its own bounded cache of match results by
 * subject, kept right on every change (entries that the changed subscription could match are
 * dropped), so that a busy subscribe/unsubscribe pattern does not empty it.
 *
 * <p>Thread safety: every method synchronizes on the trie; {@link #generation()} reads a volatile.
 */
public final class SubjectTrie {

    /** Largest number of subjects the trie's own match cache holds before it is emptied. */
    public static final int CACHE_SIZE = 1024;

    private final Node root = new Node();
    private final boolean cacheEnabled;
    private final Map<String, MatchResult> cache = new HashMap<>();
    private volatile long generation;
    private int count;
    private long inserts;
    private long removes;
    private long matches;
    private long cacheHits;
    private int maxFanout;
    private long totalFanout;

    /** A trie with its match cache on. */
    public SubjectTrie() {
        this(true);
    }

    /** A trie with its match cache on or off (tests run both ways). */
    public SubjectTrie(boolean cacheEnabled) {
        this.cacheEnabled = cacheEnabled;
    }

    /** Whether match results are cached. */
    public boolean cacheEnabled() {
        return cacheEnabled;
    }

    /** Incremented by every insert and remove. */
    public long generation() {
        return generation;
    }

    /** Adds a subscription; its subject must be a valid subscribe subject. */
    public synchronized void insert(Subscription subscription) {
        Node node = root;
        for (String token : tokens(subscription.subject())) {
            node = node.child(token, true);
        }
        if (subscription.queue() == null) {
            node.plain.add(subscription);
        } else {
            if (node.queues == null) {
                node.queues = new LinkedHashMap<>();
            }
            node.queues.computeIfAbsent(subscription.queue(), q -> new ArrayList<>()).add(subscription);
        }
        count++;
        inserts++;
        invalidate(subscription.subject());
    }

    /** Removes a subscription; returns whether it was present. */
    public synchronized boolean remove(Subscription subscription) {
        String[] tokens = tokens(subscription.subject());
        Node[] path = new Node[tokens.length + 1];
        Node node = root;
        path[0] = node;
        for (int i = 0; i < tokens.length; i++) {
            node = node.child(tokens[i], false);
            if (node == null) {
                return false;
            }
            path[i + 1] = node;
        }
        boolean removed;
        if (subscription.queue() == null) {
            removed = removeIdentity(node.plain, subscription);
        } else {
            List<Subscription> members = node.queues == null ? null : node.queues.get(subscription.queue());
            removed = members != null && removeIdentity(members, subscription);
            if (removed && members.isEmpty()) {
                node.queues.remove(subscription.queue());
                if (node.queues.isEmpty()) {
                    node.queues = null;
                }
            }
        }
        if (!removed) {
            return false;
        }
        for (int i = tokens.length; i > 0; i--) {
            if (!path[i].isEmpty()) {
                break;
            }
            path[i - 1].prune(tokens[i - 1]);
        }
        count--;
        removes++;
        invalidate(subscription.subject());
        return true;
    }

    /** The subscriptions that a message published to the literal {@code subject} reaches. */
    public synchronized MatchResult match(String subject) {
        matches++;
        if (cacheEnabled) {
            MatchResult cached = cache.get(subject);
            if (cached != null) {
                cacheHits++;
                return cached;
            }
        }
        List<Subscription> plain = new ArrayList<>();
        Map<String, List<Subscription>> queues = null;
        String[] tokens = tokens(subject);
        if (!hasEmptyToken(tokens)) {
            // nats-server delivers a subject with an empty token ("a..b", ".a", "a.") to nobody.
            queues = collect(root, tokens, 0, plain, queues);
        }
        MatchResult result;
        if (plain.isEmpty() && queues == null) {
            result = MatchResult.EMPTY;
        } else {
            Subscription[][] groups = new Subscription[queues == null ? 0 : queues.size()][];
            if (queues != null) {
                int i = 0;
                for (List<Subscription> members : queues.values()) {
                    groups[i++] = members.toArray(new Subscription[0]);
                }
            }
            result = new MatchResult(plain.toArray(new Subscription[0]), groups);
        }
        int fanout = result.fanout();
        totalFanout += fanout;
        maxFanout = Math.max(maxFanout, fanout);
        if (cacheEnabled) {
            if (cache.size() >= CACHE_SIZE) {
                cache.clear();
            }
            cache.put(subject, result);
        }
        return result;
    }

    /** Whether any subscription matches the literal subject. */
    public boolean hasInterest(String subject) {
        return !match(subject).isEmpty();
    }

    /** The number of subscriptions. */
    public synchronized int count() {
        return count;
    }

    /** Every subscription, in no particular order (for monitoring). */
    public synchronized List<Subscription> all() {
        List<Subscription> out = new ArrayList<>(count);
        root.collectAll(out);
        return out;
    }

    /** Counters for monitoring ({@code /subsz}). */
    public synchronized Statistics statistics() {
        long hits = cacheHits;
        double hitRate = matches == 0 ? 0 : (double) hits / matches;
        double averageFanout = matches == 0 ? 0 : (double) totalFanout / Math.max(1, matches - hits);
        return new Statistics(count, cache.size(), inserts, removes, matches, hitRate, maxFanout, averageFanout);
    }

    /**
     * The trie's counters.
     *
     * @param subscriptions subscriptions registered
     * @param cacheEntries subjects in the trie's match cache
     * @param inserts insertions since start
     * @param removes removals since start
     * @param matches match requests that reached the trie (per-thread cache hits do not)
     * @param cacheHitRate fraction of those answered by the trie's cache
     * @param maxFanout largest number of deliveries one match produced
     * @param averageFanout deliveries per computed match
     */
    public record Statistics(int subscriptions, int cacheEntries, long inserts, long removes, long matches,
                             double cacheHitRate, int maxFanout, double averageFanout) {
    }

    /** Caller holds the trie's lock. */
    private void invalidate(String changedSubject) {
        generation++;
        if (!cacheEnabled || cache.isEmpty()) {
            return;
        }
        if (!Subjects.hasWildcard(changedSubject)) {
            cache.remove(changedSubject);
            return;
        }
        Iterator<String> subjects = cache.keySet().iterator();
        while (subjects.hasNext()) {
            if (Subjects.matches(changedSubject, subjects.next())) {
                subjects.remove();
            }
        }
    }

    /**
     * Collects in nats-server's order: at each level the {@code >} subscriptions, then what the
     * {@code *} branch matches, then the literal branch; at the last token the literal node
     * before the {@code *} node.
     */
    private static Map<String, List<Subscription>> collect(Node node, String[] tokens, int index,
                                                          List<Subscription> plain,
                                                          Map<String, List<Subscription>> queues) {
        if (node.full != null) {
            queues = addAll(node.full, plain, queues);
        }
        Node literal = node.literals == null ? null : node.literals.get(tokens[index]);
        if (index == tokens.length - 1) {
            if (literal != null) {
                queues = addAll(literal, plain, queues);
            }
            if (node.star != null) {
                queues = addAll(node.star, plain, queues);
            }
            return queues;
        }
        if (node.star != null) {
            queues = collect(node.star, tokens, index + 1, plain, queues);
        }
        if (literal != null) {
            queues = collect(literal, tokens, index + 1, plain, queues);
        }
        return queues;
    }

    private static Map<String, List<Subscription>> addAll(Node node, List<Subscription> plain,
                                                         Map<String, List<Subscription>> queues) {
        plain.addAll(node.plain);
        if (node.queues != null) {
            if (queues == null) {
                queues = new LinkedHashMap<>();
            }
            for (Map.Entry<String, List<Subscription>> group : node.queues.entrySet()) {
                queues.computeIfAbsent(group.getKey(), q -> new ArrayList<>()).addAll(group.getValue());
            }
        }
        return queues;
    }

    private static boolean removeIdentity(List<Subscription> list, Subscription subscription) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == subscription) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }

    private static boolean hasEmptyToken(String[] tokens) {
        for (String token : tokens) {
            if (token.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    static String[] tokens(String subject) {
        int parts = 1;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                parts++;
            }
        }
        String[] out = new String[parts];
        int start = 0;
        int n = 0;
        for (int i = 0; i <= subject.length(); i++) {
            if (i == subject.length() || subject.charAt(i) == '.') {
                out[n++] = subject.substring(start, i);
                start = i + 1;
            }
        }
        return out;
    }

    /** One level of the trie. */
    private static final class Node {
        Map<String, Node> literals;
        Node star;
        Node full;
        final List<Subscription> plain = new ArrayList<>(1);
        Map<String, List<Subscription>> queues;

        Node child(String token, boolean create) {
            if (token.equals("*")) {
                if (star == null && create) {
                    star = new Node();
                }
                return star;
            }
            if (token.equals(">")) {
                if (full == null && create) {
                    full = new Node();
                }
                return full;
            }
            if (literals == null) {
                if (!create) {
                    return null;
                }
                literals = new HashMap<>();
            }
            Node next = literals.get(token);
            if (next == null && create) {
                next = new Node();
                literals.put(token, next);
            }
            return next;
        }

        void prune(String token) {
            if (token.equals("*")) {
                star = null;
            } else if (token.equals(">")) {
                full = null;
            } else if (literals != null) {
                literals.remove(token);
                if (literals.isEmpty()) {
                    literals = null;
                }
            }
        }

        boolean isEmpty() {
            return plain.isEmpty() && queues == null && literals == null && star == null && full == null;
        }

        void collectAll(List<Subscription> out) {
            out.addAll(plain);
            if (queues != null) {
                queues.values().forEach(out::addAll);
            }
            if (literals != null) {
                literals.values().forEach(n -> n.collectAll(out));
            }
            if (star != null) {
                star.collectAll(out);
            }
            if (full != null) {
                full.collectAll(out);
            }
        }
    }
}
