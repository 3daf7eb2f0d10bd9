package ditto.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the JVM's used heap ({@link MemoryMXBean}) every 5 ms on a daemon thread and keeps the
 * peak; W5's peak heap. The whole process is sampled, so both sync peers (and the harness's own
 * copy of the data set) are in it. Thread-safe.
 */
final class HeapSampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final long baseline;
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts sampling; the baseline is the used heap now (take it after a GC). */
    HeapSampler() {
        baseline = used();
        peak.set(baseline);
        thread = new Thread(() -> {
            while (running) {
                peak.accumulateAndGet(used(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private long used() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Returns the peak used heap seen so far minus the baseline, in bytes (0 or more). */
    long peakGrowth() {
        peak.accumulateAndGet(used(), Math::max);
        return Math.max(0, peak.get() - baseline);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
