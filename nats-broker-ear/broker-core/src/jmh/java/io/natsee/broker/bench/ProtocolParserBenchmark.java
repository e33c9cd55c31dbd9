package io.natsee.broker.bench;

import io.natsee.broker.protocol.ProtocolException;
import io.natsee.broker.protocol.ProtocolHandler;
import io.natsee.broker.protocol.PublishedMessage;
import io.natsee.broker.protocol.ProtocolParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a 64 KiB read full of PUBs with 16-byte payloads ({@code PUB foo.bar 16}), from a heap
 * and a direct buffer, whole and cut into 1,500-byte reads (the copies split reads cost). One
 * operation is one PUB.
 *
 * <p>Run with:
 * <pre>
 * mvn -pl nats-broker-ear/broker-core -Pjmh test-compile exec:exec -Djmh.args="-f 1 -wi 2 -i 2 ProtocolParser"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ProtocolParserBenchmark {

    private static final byte[] PUB = "PUB foo.bar 16\r\n0123456789abcdef\r\n".getBytes(StandardCharsets.US_ASCII);
    /** {@code PUB.length}, spelled out because annotation values must be constants. */
    private static final int PUB_LENGTH = 34;
    private static final int MESSAGES = 64 * 1024 / PUB_LENGTH;

    @Param({"heap", "direct"})
    public String buffer;

    /** Bytes per read: 0 for the whole buffer in one read. */
    @Param({"0", "1500"})
    public int readSize;

    private ByteBuffer read;
    private ProtocolParser parser;
    private CountingHandler handler;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        if (PUB.length != PUB_LENGTH) {
            throw new IllegalStateException("PUB_LENGTH is " + PUB_LENGTH + ", the PUB " + PUB.length);
        }
        read = buffer.equals("direct") ? ByteBuffer.allocateDirect(MESSAGES * PUB.length)
                : ByteBuffer.allocate(MESSAGES * PUB.length);
        for (int i = 0; i < MESSAGES; i++) {
            read.put(PUB);
        }
        read.flip();
        handler = new CountingHandler(blackhole);
        parser = new ProtocolParser(handler, 4096, 1024 * 1024);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long parse() throws ProtocolException {
        int end = read.capacity();
        if (readSize == 0) {
            read.limit(end).position(0);
            parser.parse(read);
        } else {
            for (int from = 0; from < end; from += readSize) {
                read.limit(Math.min(end, from + readSize)).position(from);
                parser.parse(read);
            }
        }
        return handler.count;
    }

    /** Consumes what a connection would read, so that nothing is optimized away. */
    static final class CountingHandler implements ProtocolHandler {
        private final Blackhole blackhole;
        long count;

        CountingHandler(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onPub(PublishedMessage m) {
            count++;
            blackhole.consume(m.arguments().get(m.subjectOffset()) + m.subjectLength() + m.totalLength()
                    + m.payload().get(m.payloadOffset()));
        }

        @Override
        public void onHpub(PublishedMessage m) {
            count++;
        }

        @Override
        public void onConnect(ByteBuffer buffer, int offset, int length) {
        }

        @Override
        public void onSub(ByteBuffer args, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                          int sidOffset, int sidLength) {
        }

        @Override
        public void onUnsub(ByteBuffer args, int sidOffset, int sidLength, long max) {
        }

        @Override
        public void onPing() {
        }

        @Override
        public void onPong() {
        }

        @Override
        public void onOk() {
        }

        @Override
        public void onErr(ByteBuffer buffer, int offset, int length) {
        }

        @Override
        public void onInfo(ByteBuffer buffer, int offset, int length) {
        }
    }
}
