package io.natsee.broker.bench;

import io.natsee.broker.subject.MatchCache;
import io.natsee.broker.subject.MatchResult;
import io.natsee.broker.subject.SubjectTrie;
import io.natsee.broker.subject.Subscriber;
import io.natsee.broker.subject.Subscription;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Match and insert/remove costs of {@link SubjectTrie}, with its cache on and off, over three
 * shapes of 10,000 subscriptions: literal subjects only, wildcard-heavy, and queue groups.
 *
 * <p>Run all benchmarks (the profile adds src/jmh/java and runs org.openjdk.jmh.Main):
 * <pre>
 * mvn -pl nats-broker-ear/broker-core -Pjmh test-compile exec:exec
 * mvn -pl nats-broker-ear/broker-core -Pjmh test-compile exec:exec -Djmh.args="-f 1 -wi 2 -i 2 SubjectTrie"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SubjectTrieBenchmark {

    private static final int SUBSCRIPTIONS = 10_000;
    private static final int SUBJECTS = 1_000;

    /** The shape of the subscriptions. */
    @Param({"literal", "wildcard", "queue"})
    public String shape;

    /** Whether the trie's own match cache and the byte-keyed {@link MatchCache} are on. */
    @Param({"true", "false"})
    public boolean cache;

    private SubjectTrie trie;
    private MatchCache matchCache;
    private String[] subjects;
    private ByteBuffer subjectBytes;
    private int[] offsets;
    private int[] lengths;
    private Subscription[] churn;
    private int next;

    record Owner(long id) implements Subscriber {
        @Override
        public boolean isClosed() {
            return false;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(1);
        Owner owner = new Owner(1);
        trie = new SubjectTrie(cache);
        matchCache = new MatchCache(trie, cache);
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            trie.insert(subscription(owner, i, random));
        }
        subjects = new String[SUBJECTS];
        StringBuilder all = new StringBuilder();
        offsets = new int[SUBJECTS];
        lengths = new int[SUBJECTS];
        for (int i = 0; i < SUBJECTS; i++) {
            // Nine in ten subjects have interest in every shape; one in ten has none.
            subjects[i] = i % 10 == 9 ? "nobody.listens." + i : "svc." + random.nextInt(100) + "." + random.nextInt(100);
            offsets[i] = all.length() + 4; // as in a read buffer: after "PUB "
            lengths[i] = subjects[i].length();
            all.append("PUB ").append(subjects[i]).append(" 0\r\n\r\n");
        }
        subjectBytes = ByteBuffer.wrap(all.toString().getBytes(StandardCharsets.US_ASCII));
        churn = new Subscription[256];
        for (int i = 0; i < churn.length; i++) {
            churn[i] = subscription(owner, SUBSCRIPTIONS + i, random);
        }
    }

    private Subscription subscription(Owner owner, int i, Random random) {
        String sid = Integer.toString(i);
        return switch (shape) {
            case "literal" -> new Subscription(owner, "svc." + (i % 100) + "." + (i / 100 % 100), null, sid);
            case "wildcard" -> switch (i % 4) {
                case 0 -> new Subscription(owner, "svc.*." + (i % 100), null, sid);
                case 1 -> new Subscription(owner, "svc." + (i % 100) + ".>", null, sid);
                case 2 -> new Subscription(owner, "*." + (i % 100) + ".*", null, sid);
                default -> new Subscription(owner, "svc." + (i % 100) + "." + random.nextInt(100), null, sid);
            };
            case "queue" -> new Subscription(owner, "svc." + (i % 100) + "." + (i / 100 % 100), "workers" + (i % 10), sid);
            default -> throw new IllegalArgumentException(shape);
        };
    }

    /** A match by string: the trie with its own cache on or off. */
    @Benchmark
    public MatchResult match() {
        int i = next++ & 1023;
        return trie.match(subjects[i % SUBJECTS]);
    }

    /** A match by bytes in a read buffer, as the message path does: the per-thread cache, on or off. */
    @Benchmark
    public MatchResult matchBytes() {
        int i = (next++ & 1023) % SUBJECTS;
        return matchCache.match(subjectBytes, offsets[i], lengths[i]).result();
    }

    /** One insert and one remove of a subscription of the same shape, in a trie of 10,000. */
    @Benchmark
    public boolean insertRemove() {
        Subscription subscription = churn[next++ & 255];
        trie.insert(subscription);
        return trie.remove(subscription);
    }
}
