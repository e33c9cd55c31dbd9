package io.natsee.admin.live;

import io.natsee.admin.monitor.ServerVarz;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last minutes of one server's counters, one sample per period, and the rates between
 * consecutive samples (what the dashboard's chart draws). A counter that went down (the server
 * restarted) starts the rates afresh rather than drawing a negative rate. Thread-safe.
 */
public final class TrafficHistory {

    /** One sample of the counters. */
    public record Sample(Instant time, long inMsgs, long outMsgs, long inBytes, long outBytes,
                         int connections, int subscriptions, long slowConsumers) {

        static Sample of(Instant time, ServerVarz varz) {
            return new Sample(time, varz.inMsgs(), varz.outMsgs(), varz.inBytes(), varz.outBytes(),
                    varz.connections(), varz.subscriptions(), varz.slowConsumers());
        }
    }

    /** Per-second rates between two samples, at the later one's time. */
    public record Rate(Instant time, double inMsgs, double outMsgs, double inBytes, double outBytes) {
    }

    private final Duration window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private ServerVarz latest;

    /** A history keeping the samples of the last {@code window}. */
    public TrafficHistory(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.window = window;
    }

    /** Adds a sample taken at {@code time}; samples older than the window fall off. */
    public synchronized void add(Instant time, ServerVarz varz) {
        Sample sample = Sample.of(time, varz);
        Sample last = samples.peekLast();
        if (last != null && (sample.inMsgs() < last.inMsgs() || sample.outMsgs() < last.outMsgs()
                || !time.isAfter(last.time()))) {
            samples.clear();
        }
        samples.addLast(sample);
        latest = varz;
        Instant oldest = time.minus(window);
        while (samples.size() > 1 && samples.peekFirst().time().isBefore(oldest)) {
            samples.removeFirst();
        }
    }

    /** The last {@code /varz} read, or {@code null} before the first. */
    public synchronized ServerVarz latest() {
        return latest;
    }

    /** The samples, oldest first. */
    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The rates between consecutive samples, oldest first (one fewer than the samples). */
    public synchronized List<Rate> rates() {
        List<Rate> rates = new ArrayList<>(Math.max(0, samples.size() - 1));
        Sample previous = null;
        for (Sample sample : samples) {
            if (previous != null) {
                double seconds = Duration.between(previous.time(), sample.time()).toNanos() / 1e9;
                rates.add(new Rate(sample.time(),
                        (sample.inMsgs() - previous.inMsgs()) / seconds,
                        (sample.outMsgs() - previous.outMsgs()) / seconds,
                        (sample.inBytes() - previous.inBytes()) / seconds,
                        (sample.outBytes() - previous.outBytes()) / seconds));
            }
            previous = sample;
        }
        return rates;
    }
}
