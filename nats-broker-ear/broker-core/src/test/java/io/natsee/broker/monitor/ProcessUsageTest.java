package io.natsee.broker.monitor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessUsageTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void residentBytesComeFromVmRss(@TempDir Path directory) throws IOException {
        Path status = directory.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t   11388 kB\nThreads:\t20\n");
        ProcessUsage usage = new ProcessUsage(status, () -> 0, () -> 0);
        assertEquals(11388L * 1024, usage.residentBytes());
    }

    @Test
    void residentBytesFallBackToTheHeapWithoutProcfs(@TempDir Path directory) {
        ProcessUsage usage = new ProcessUsage(directory.resolve("missing"), () -> 0, () -> 0);
        long bytes = usage.residentBytes();
        assertTrue(bytes > 0 && bytes <= Runtime.getRuntime().totalMemory(), "heap in use: " + bytes);
    }

    @Test
    void residentBytesOfThisProcessArePlausible() {
        long bytes = new ProcessUsage().residentBytes();
        assertTrue(bytes > 1024 * 1024, "at least a megabyte: " + bytes);
    }

    @Test
    void cpuIsPercentOfOneCoreOverTheLastSecondWithOneDecimal() {
        AtomicLong cpu = new AtomicLong();
        AtomicLong wall = new AtomicLong();
        ProcessUsage usage = new ProcessUsage(Path.of("/nonexistent"), cpu::get, wall::get);
        assertEquals(0.0, usage.cpuPercent(), "nothing measured yet");

        cpu.set(SECOND / 4);
        wall.set(SECOND);
        assertEquals(25.0, usage.cpuPercent());

        // Less than a second later: the previous figure stands.
        cpu.addAndGet(SECOND / 2);
        wall.addAndGet(SECOND / 2);
        assertEquals(25.0, usage.cpuPercent());

        // Two cores busy for the next second and a half: above 100 %, as nats-server reports.
        cpu.addAndGet(3 * SECOND - SECOND / 2);
        wall.addAndGet(SECOND);
        assertEquals(200.0, usage.cpuPercent());

        cpu.addAndGet(SECOND / 3);
        wall.addAndGet(SECOND);
        assertEquals(33.3, usage.cpuPercent());
    }

    @Test
    void cpuOfThisProcessIsSeenAfterASecondOfWork() {
        ProcessUsage usage = new ProcessUsage();
        long start = System.nanoTime();
        long sink = 0;
        while (System.nanoTime() - start < SECOND + SECOND / 10) {
            sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        }
        double percent = usage.cpuPercent();
        assertTrue(percent > 0.0 && percent <= 100.0 * Runtime.getRuntime().availableProcessors() + 50,
                "a busy thread's second: " + percent + "% (" + sink + ")");
    }
}
