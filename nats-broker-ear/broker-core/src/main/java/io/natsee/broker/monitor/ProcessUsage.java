package io.natsee.broker.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Measures the process's memory and CPU use as nats-server's {@code pse} package does: resident
 * set size from {@code /proc/self/status}, CPU as the percentage of one core used over the last
 * sampling period of at least a second, with one decimal.
 */
public final class ProcessUsage {

    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final long SAMPLE_PERIOD_NANOS = Duration.ofSeconds(1).toNanos();

    private final Path statusFile;
    private final LongSupplier cpuTimeNanos;
    private final LongSupplier wallTimeNanos;
    private long lastCpuNanos;
    private long lastWallNanos;
    private double lastPercent;

    /** Usage of this process. */
    public ProcessUsage() {
        this(PROC_STATUS, ProcessUsage::processCpuNanos, System::nanoTime);
    }

    /** Usage read from the given sources; for tests. */
    ProcessUsage(Path statusFile, LongSupplier cpuTimeNanos, LongSupplier wallTimeNanos) {
        this.statusFile = statusFile;
        this.cpuTimeNanos = cpuTimeNanos;
        this.wallTimeNanos = wallTimeNanos;
        this.lastCpuNanos = cpuTimeNanos.getAsLong();
        this.lastWallNanos = wallTimeNanos.getAsLong();
    }

    /**
     * The resident set size in bytes ({@code VmRSS}); where the kernel does not offer it, the
     * heap in use, the best estimate the JVM gives.
     */
    public long residentBytes() {
        try {
            List<String> lines = Files.readAllLines(statusFile);
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    long kibibytes = Long.parseLong(parts[0]);
                    return kibibytes * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // No procfs (not Linux, or a sandbox): fall through to the heap.
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * The CPU the process used since the previous sample, in percent of one core (so up to 100
     * times the number of cores), rounded to one decimal. A new sample is taken when the previous
     * one is at least a second old; more frequent calls get the previous figure, so monitoring
     * polls do not turn into noise. 0 until the first second has passed.
     */
    public synchronized double cpuPercent() {
        long wall = wallTimeNanos.getAsLong();
        long elapsed = wall - lastWallNanos;
        if (elapsed >= SAMPLE_PERIOD_NANOS) {
            long cpu = cpuTimeNanos.getAsLong();
            if (cpu >= 0) {
                long used = Math.max(0, cpu - lastCpuNanos);
                lastPercent = Math.round(used * 1000.0 / elapsed) / 10.0;
                lastCpuNanos = cpu;
            }
            lastWallNanos = wall;
        }
        return lastPercent;
    }

    /**
     * The CPU time of this process in nanoseconds, or -1 when the JVM does not tell. On Linux the
     * JDK reads it from {@code /proc/self/stat} in clock ticks, as nats-server's pse does. (The
     * platform's OperatingSystemMXBean would give nanoseconds, but getting it loads the
     * management and flight-recorder beans, about 150 classes, 1 MiB, for every server.)
     */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
