package io.natsee.broker.subject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The subject trie; every test runs with the trie's match cache on and off. */
class SubjectTrieTest {

    /** A subscriber that is never closed. */
    record Owner(long id) implements Subscriber {
        @Override
        public boolean isClosed() {
            return false;
        }
    }

    private static final Owner OWNER = new Owner(1);
    private int sids;

    private Subscription subscription(String subject) {
        return subscription(subject, null);
    }

    private Subscription subscription(String subject, String queue) {
        return new Subscription(OWNER, subject, queue, Integer.toString(++sids));
    }

    private static Subscription insert(SubjectTrie trie, Subscription subscription) {
        trie.insert(subscription);
        return subscription;
    }

    private static List<Subscription> plain(MatchResult result) {
        return Arrays.asList(result.plain());
    }

    private static Set<Subscription> identitySet(Subscription... subscriptions) {
        Set<Subscription> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(Arrays.asList(subscriptions));
        return set;
    }

    // ---- matching ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void literal(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription foo = insert(trie, subscription("foo"));
        Subscription fooBar = insert(trie, subscription("foo.bar"));
        assertEquals(List.of(foo), plain(trie.match("foo")));
        assertEquals(List.of(fooBar), plain(trie.match("foo.bar")));
        assertTrue(trie.match("bar").isEmpty());
        assertTrue(trie.match("foo.bar.baz").isEmpty());
        assertTrue(trie.match("foo.baz").isEmpty());
        assertSame(MatchResult.EMPTY, trie.match("nothing.here"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void subjectsAreCaseSensitive(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        insert(trie, subscription("Foo"));
        assertTrue(trie.match("foo").isEmpty());
        assertEquals(1, trie.match("Foo").fanout());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void starMatchesExactlyOneToken(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription star = insert(trie, subscription("foo.*"));
        Subscription middle = insert(trie, subscription("foo.*.baz"));
        Subscription first = insert(trie, subscription("*"));
        assertEquals(List.of(star), plain(trie.match("foo.bar")));
        assertEquals(List.of(middle), plain(trie.match("foo.bar.baz")));
        assertEquals(List.of(first), plain(trie.match("foo")));
        assertTrue(trie.match("foo.bar.qux").isEmpty());
        assertTrue(trie.match("bar.baz").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fullWildcardMatchesOneOrMoreTrailingTokens(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription fooAll = insert(trie, subscription("foo.>"));
        assertEquals(List.of(fooAll), plain(trie.match("foo.bar")));
        assertEquals(List.of(fooAll), plain(trie.match("foo.bar.baz.qux")));
        assertTrue(trie.match("foo").isEmpty(), "foo.> does not match foo");
        assertTrue(trie.match("bar.foo").isEmpty());

        Subscription all = insert(trie, subscription(">"));
        assertEquals(List.of(all), plain(trie.match("foo")));
        assertEquals(identitySet(all, fooAll), identitySet(trie.match("foo.bar").plain()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void starThenFullWildcard(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription subscription = insert(trie, subscription("*.>"));
        assertTrue(trie.match("foo").isEmpty());
        assertEquals(List.of(subscription), plain(trie.match("foo.bar")));
        assertEquals(List.of(subscription), plain(trie.match("a.b.c")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void wildcardCharactersInsideATokenAreLiteral(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription starInside = insert(trie, subscription("foo*.bar"));
        Subscription fullInside = insert(trie, subscription("foo.b>"));
        assertEquals(List.of(starInside), plain(trie.match("foo*.bar")));
        assertTrue(trie.match("fooX.bar").isEmpty());
        assertTrue(trie.match("foo.bar").isEmpty());
        assertEquals(List.of(fullInside), plain(trie.match("foo.b>")));
        assertTrue(trie.match("foo.b.c").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sameSubjectManySubscriptions(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription a = insert(trie, subscription("foo"));
        Subscription b = insert(trie, subscription("foo"));
        Subscription c = insert(trie, new Subscription(new Owner(2), "foo", null, "1"));
        assertEquals(List.of(a, b, c), plain(trie.match("foo")));
        assertEquals(3, trie.match("foo").fanout());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void resultOrderIsNatsServers(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        // Inserted in an order unlike the expected result order.
        Subscription fooStar = insert(trie, subscription("foo.*"));
        Subscription fooBar = insert(trie, subscription("foo.bar"));
        Subscription starStar = insert(trie, subscription("*.*"));
        Subscription fooAll = insert(trie, subscription("foo.>"));
        Subscription starBar = insert(trie, subscription("*.bar"));
        Subscription starAll = insert(trie, subscription("*.>"));
        Subscription all = insert(trie, subscription(">"));
        // Root: '>' subs, then the '*' branch (its '>', literal 'bar', its '*'), then the literal
        // 'foo' branch (its '>', then at the last token the literal node before the '*' node).
        assertEquals(List.of(all, starAll, starBar, starStar, fooAll, fooBar, fooStar), plain(trie.match("foo.bar")));
        assertEquals(List.of(all, starAll, starStar, fooAll, fooStar), plain(trie.match("foo.baz")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void hasInterest(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        assertFalse(trie.hasInterest("foo.bar"));
        insert(trie, subscription("foo.*", "q"));
        assertTrue(trie.hasInterest("foo.bar"));
        assertFalse(trie.hasInterest("foo"));
    }

    // ---- queue groups --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void queueGroupsAreGroupedByNameAcrossNodes(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription plain = insert(trie, subscription("foo.bar"));
        Subscription q1Literal = insert(trie, subscription("foo.bar", "q1"));
        Subscription q1Star = insert(trie, subscription("foo.*", "q1"));
        Subscription q1All = insert(trie, subscription(">", "q1"));
        Subscription q2Literal = insert(trie, subscription("foo.bar", "q2"));
        Subscription q2Second = insert(trie, subscription("foo.bar", "q2"));
        insert(trie, subscription("other", "q1"));

        MatchResult result = trie.match("foo.bar");
        assertEquals(List.of(plain), plain(result));
        assertEquals(2, result.queues().length);
        Map<Set<Subscription>, Integer> groups = new HashMap<>();
        for (Subscription[] group : result.queues()) {
            String name = group[0].queue();
            for (Subscription member : group) {
                assertEquals(name, member.queue(), "one group holds one queue name");
            }
            groups.put(identitySet(group), group.length);
        }
        assertTrue(groups.containsKey(identitySet(q1All, q1Star, q1Literal)), groups.toString());
        assertTrue(groups.containsKey(identitySet(q2Literal, q2Second)), groups.toString());
        assertEquals(3, result.fanout(), "one plain subscription plus one delivery per group");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void queueGroupMembersFollowNatsServersOrder(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription literal = insert(trie, subscription("foo.bar", "q"));
        Subscription star = insert(trie, subscription("foo.*", "q"));
        Subscription all = insert(trie, subscription(">", "q"));
        assertArrayEquals(new Subscription[][] {{all, literal, star}}, trie.match("foo.bar").queues());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void queueOnlyMatchIsNotEmpty(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription member = insert(trie, subscription("foo", "q"));
        MatchResult result = trie.match("foo");
        assertFalse(result.isEmpty());
        assertEquals(0, result.plain().length);
        assertArrayEquals(new Subscription[][] {{member}}, result.queues());
    }

    // ---- removal -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void removeReturnsWhetherTheSubscriptionWasPresent(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription a = insert(trie, subscription("foo.bar"));
        Subscription b = insert(trie, subscription("foo.bar"));
        assertTrue(trie.remove(a));
        assertFalse(trie.remove(a), "removing twice");
        assertEquals(List.of(b), plain(trie.match("foo.bar")));
        assertFalse(trie.remove(subscription("foo.bar")), "an equal-looking subscription that was never inserted");
        assertFalse(trie.remove(subscription("not.there")), "a subject with no node");
        assertFalse(trie.remove(subscription("foo.bar", "q")), "a queue group that does not exist");
        assertFalse(trie.remove(subscription("foo.*")));
        assertFalse(trie.remove(subscription("foo.>")));
        assertEquals(1, trie.count());
        assertEquals(List.of(b), trie.all());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void removeQueueMembers(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription first = insert(trie, subscription("foo", "q"));
        Subscription second = insert(trie, subscription("foo", "q"));
        Subscription other = insert(trie, subscription("foo", "r"));
        assertTrue(trie.remove(first));
        assertArrayEquals(new Subscription[][] {{second}, {other}}, trie.match("foo").queues());
        assertFalse(trie.remove(first));
        assertTrue(trie.remove(second));
        assertArrayEquals(new Subscription[][] {{other}}, trie.match("foo").queues());
        assertTrue(trie.remove(other));
        assertTrue(trie.match("foo").isEmpty());
        assertTrue(isPruned(trie));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void removePrunesEmptyNodesButKeepsUsedOnes(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription deep = insert(trie, subscription("a.b.c.d"));
        Subscription middle = insert(trie, subscription("a.b"));
        Subscription star = insert(trie, subscription("a.*.c"));
        Subscription full = insert(trie, subscription("a.>"));

        assertTrue(trie.remove(deep));
        assertEquals(List.of(full, middle), plain(trie.match("a.b")));
        assertEquals(List.of(full, star), plain(trie.match("a.b.c")));
        assertTrue(trie.remove(full));
        assertEquals(List.of(middle), plain(trie.match("a.b")));
        assertTrue(trie.remove(middle));
        assertTrue(trie.match("a.b").isEmpty());
        assertEquals(List.of(star), plain(trie.match("a.x.c")));
        assertFalse(isPruned(trie));
        assertTrue(trie.remove(star));
        assertTrue(isPruned(trie), "every node is gone once the last subscription is");
        assertEquals(0, trie.count());
        assertTrue(trie.all().isEmpty());

        // The pruned trie works as new.
        Subscription again = insert(trie, subscription("a.b.c.d"));
        assertEquals(List.of(again), plain(trie.match("a.b.c.d")));
    }

    /** Whether the root holds nothing: no subscriptions and no children. */
    private static boolean isPruned(SubjectTrie trie) {
        try {
            Field root = SubjectTrie.class.getDeclaredField("root");
            root.setAccessible(true);
            Object node = root.get(trie);
            Method isEmpty = node.getClass().getDeclaredMethod("isEmpty");
            isEmpty.setAccessible(true);
            return (Boolean) isEmpty.invoke(node);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("SubjectTrie's root node changed shape", e);
        }
    }

    // ---- generation, cache and statistics ------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyChangeMovesTheGeneration(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        long start = trie.generation();
        Subscription a = insert(trie, subscription("foo"));
        assertEquals(start + 1, trie.generation());
        insert(trie, subscription("foo.*", "q"));
        assertEquals(start + 2, trie.generation());
        trie.match("foo");
        trie.match("foo.bar");
        assertEquals(start + 2, trie.generation(), "matching changes nothing");
        assertTrue(trie.remove(a));
        assertEquals(start + 3, trie.generation());
        assertFalse(trie.remove(a));
        assertEquals(start + 3, trie.generation(), "a failed remove changes nothing");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void matchAfterAChangeSeesTheChange(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription literal = insert(trie, subscription("foo.bar"));
        assertEquals(List.of(literal), plain(trie.match("foo.bar")));
        assertTrue(trie.match("foo.baz").isEmpty());

        Subscription star = insert(trie, subscription("foo.*"));
        assertEquals(List.of(literal, star), plain(trie.match("foo.bar")));
        assertEquals(List.of(star), plain(trie.match("foo.baz")));

        Subscription all = insert(trie, subscription(">", "q"));
        assertArrayEquals(new Subscription[][] {{all}}, trie.match("foo.bar").queues());
        assertArrayEquals(new Subscription[][] {{all}}, trie.match("foo.baz").queues());

        Subscription second = insert(trie, subscription("foo.bar"));
        assertEquals(List.of(literal, second, star), plain(trie.match("foo.bar")));

        assertTrue(trie.remove(star));
        assertEquals(List.of(literal, second), plain(trie.match("foo.bar")));
        assertTrue(trie.match("foo.baz").plain().length == 0);
        assertTrue(trie.remove(all));
        assertTrue(trie.match("foo.baz").isEmpty());
        assertTrue(trie.remove(literal));
        assertEquals(List.of(second), plain(trie.match("foo.bar")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void repeatedMatchesAreAnsweredFromTheCacheWhenItIsOn(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        assertEquals(cache, trie.cacheEnabled());
        insert(trie, subscription("foo.*"));
        MatchResult first = trie.match("foo.bar");
        MatchResult second = trie.match("foo.bar");
        if (cache) {
            assertSame(first, second);
            assertEquals(1, trie.statistics().cacheEntries());
            assertEquals(0.5, trie.statistics().cacheHitRate());
        } else {
            assertNotSame(first, second);
            assertArrayEquals(first.plain(), second.plain());
            assertEquals(0, trie.statistics().cacheEntries());
            assertEquals(0.0, trie.statistics().cacheHitRate());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void changesDropOnlyTheCacheEntriesTheyCouldMatch(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        for (String subject : List.of("foo.bar", "foo.baz", "other", "foo.bar.deep")) {
            trie.match(subject);
        }
        int cached = cache ? 4 : 0;
        assertEquals(cached, trie.statistics().cacheEntries());
        insert(trie, subscription("unrelated"));
        assertEquals(cached, trie.statistics().cacheEntries(), "a literal subscription on an uncached subject");
        insert(trie, subscription("foo.bar"));
        assertEquals(cache ? 3 : 0, trie.statistics().cacheEntries(), "the literal subject's entry only");
        insert(trie, subscription("foo.*"));
        assertEquals(cache ? 2 : 0, trie.statistics().cacheEntries(), "foo.baz goes, foo.bar was gone already");
        trie.match("foo.bar");
        trie.match("foo.baz");
        insert(trie, subscription("foo.>"));
        assertEquals(cache ? 1 : 0, trie.statistics().cacheEntries(), "only 'other' is left");
        assertEquals(3, trie.match("foo.bar").fanout());
        assertEquals(1, trie.match("foo.bar.deep").fanout());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void cacheIsBoundedAndRefillsAfterItIsEmptied(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        Subscription all = insert(trie, subscription(">"));
        for (int i = 0; i < SubjectTrie.CACHE_SIZE; i++) {
            assertEquals(List.of(all), plain(trie.match("s." + i)));
        }
        assertEquals(cache ? SubjectTrie.CACHE_SIZE : 0, trie.statistics().cacheEntries());
        for (int i = SubjectTrie.CACHE_SIZE; i < SubjectTrie.CACHE_SIZE * 3 + 5; i++) {
            assertEquals(List.of(all), plain(trie.match("s." + i)));
            assertTrue(trie.statistics().cacheEntries() <= SubjectTrie.CACHE_SIZE);
        }
        assertEquals(cache ? 5 : 0, trie.statistics().cacheEntries(), "emptied when full, then refilled");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void statistics(boolean cache) {
        SubjectTrie trie = new SubjectTrie(cache);
        SubjectTrie.Statistics empty = trie.statistics();
        assertEquals(new SubjectTrie.Statistics(0, 0, 0, 0, 0, 0.0, 0, 0.0), empty);

        Subscription a = insert(trie, subscription("foo.bar"));
        insert(trie, subscription("foo.*"));
        insert(trie, subscription("foo.>", "q"));
        insert(trie, subscription("foo.>", "q"));
        assertTrue(trie.remove(a));
        trie.match("foo.bar"); // fan-out 2: foo.* and the group
        trie.match("foo.bar");
        trie.match("foo.bar.baz"); // fan-out 1: the group
        trie.match("nothing"); // fan-out 0

        SubjectTrie.Statistics statistics = trie.statistics();
        assertEquals(3, statistics.subscriptions());
        assertEquals(4, statistics.inserts());
        assertEquals(1, statistics.removes());
        assertEquals(4, statistics.matches());
        assertEquals(2, statistics.maxFanout());
        if (cache) {
            assertEquals(3, statistics.cacheEntries());
            assertEquals(0.25, statistics.cacheHitRate());
            assertEquals(1.0, statistics.averageFanout(), 1e-9, "3 deliveries over 3 computed matches");
        } else {
            assertEquals(0, statistics.cacheEntries());
            assertEquals(0.0, statistics.cacheHitRate());
            assertEquals(1.25, statistics.averageFanout(), 1e-9, "5 deliveries over 4 computed matches");
        }
        assertEquals(3, trie.count());
        assertEquals(3, trie.all().size());
    }

    // ---- against a brute-force matcher ---------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void randomSubscriptionsMatchLikeBruteForce(boolean cache) {
        Random random = new Random(cache ? 20240611L : 7L);
        SubjectTrie trie = new SubjectTrie(cache);
        List<Subscription> live = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            subjects.add(randomSubject(random, false));
        }
        String[] queues = {null, null, null, "q1", "q2"};
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 800; i++) {
                Subscription subscription = subscription(randomSubject(random, true),
                        queues[random.nextInt(queues.length)]);
                trie.insert(subscription);
                live.add(subscription);
                if (random.nextInt(4) == 0) {
                    // Interleave a removal, and a second removal of the same subscription.
                    Subscription gone = live.remove(random.nextInt(live.size()));
                    assertTrue(trie.remove(gone));
                    assertFalse(trie.remove(gone));
                }
                if (i % 20 == 0) {
                    String subject = subjects.get(random.nextInt(subjects.size()));
                    assertMatchesLikeBruteForce(trie, live, subject);
                }
            }
            for (String subject : subjects) {
                assertMatchesLikeBruteForce(trie, live, subject);
            }
            Collections.shuffle(live, random);
            for (int i = live.size() / 3; i > 0; i--) {
                assertTrue(trie.remove(live.remove(live.size() - 1)));
            }
            for (String subject : subjects) {
                assertMatchesLikeBruteForce(trie, live, subject);
            }
            assertEquals(live.size(), trie.count());
        }
        for (Subscription subscription : live) {
            assertTrue(trie.remove(subscription));
        }
        assertTrue(isPruned(trie));
    }

    private static final String[] TOKENS = {"a", "b", "c", "d", "foo", "bar"};

    private static String randomSubject(Random random, boolean wildcards) {
        int length = 1 + random.nextInt(4);
        StringBuilder subject = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                subject.append('.');
            }
            int pick = random.nextInt(wildcards ? 10 : 6);
            if (pick < 6) {
                subject.append(TOKENS[pick]);
            } else if (pick < 9) {
                subject.append('*');
            } else {
                subject.append('>');
                break;
            }
        }
        return subject.toString();
    }

    private static void assertMatchesLikeBruteForce(SubjectTrie trie, List<Subscription> live, String subject) {
        Set<Subscription> expectedPlain = identitySet();
        Map<String, Set<Subscription>> expectedQueues = new HashMap<>();
        for (Subscription subscription : live) {
            if (Subjects.matches(subscription.subject(), subject)) {
                if (subscription.queue() == null) {
                    expectedPlain.add(subscription);
                } else {
                    expectedQueues.computeIfAbsent(subscription.queue(), q -> identitySet()).add(subscription);
                }
            }
        }
        // Twice: the second answer may come from the trie's cache.
        for (int pass = 0; pass < 2; pass++) {
            assertResult(trie.match(subject), subject, expectedPlain, expectedQueues);
        }
    }

    private static void assertResult(MatchResult result, String subject, Set<Subscription> expectedPlain,
                                     Map<String, Set<Subscription>> expectedQueues) {
        assertEquals(expectedPlain.size(), result.plain().length, subject + ": no duplicates");
        assertEquals(expectedPlain, identitySet(result.plain()), subject);
        Map<String, Set<Subscription>> actualQueues = new HashMap<>();
        for (Subscription[] group : result.queues()) {
            Set<Subscription> members = identitySet(group);
            assertEquals(group.length, members.size(), subject + ": no duplicates in a group");
            assertTrue(actualQueues.put(group[0].queue(), members) == null, subject + ": one group per name");
        }
        assertEquals(expectedQueues, actualQueues, subject);
        assertEquals(expectedPlain.isEmpty() && expectedQueues.isEmpty(), result.isEmpty(), subject);
    }
}
