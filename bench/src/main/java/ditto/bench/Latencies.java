package ditto.bench;

import org.HdrHistogram.Histogram;

/**
 * A latency recorder: an HdrHistogram of nanoseconds with three significant digits (so every
 * percentile it reports is within 0.1 % of the exact sample at that rank), from 1 ns to one
 * minute; longer samples are clamped to the maximum.
 *
 * <p>Thread-safe: every method locks the recorder, because observer callbacks record on engine
 * threads while the harness reads on its own.
 */
public final class Latencies {

    private static final long MAX_NANOS = 60_000_000_000L;

    private final Histogram histogram = new Histogram(1, MAX_NANOS, 3);

    /**
     * Records one sample.
     *
     * @param nanos the latency in nanoseconds; values below 1 ns count as 1 ns
     */
    public synchronized void record(long nanos) {
        histogram.recordValue(Math.max(1, Math.min(MAX_NANOS, nanos)));
    }

    /** Adds every sample of another recorder to this one. */
    public synchronized void addAll(Latencies other) {
        Histogram copy;
        synchronized (other) {
            copy = other.histogram.copy();
        }
        histogram.add(copy);
    }

    /** Returns how many samples were recorded. */
    public synchronized long count() {
        return histogram.getTotalCount();
    }

    /**
     * Returns the value at a percentile, in milliseconds.
     *
     * @param percentile 0 to 100
     * @return the value, or NaN if nothing was recorded
     */
    public synchronized double percentileMillis(double percentile) {
        if (histogram.getTotalCount() == 0) {
            return Double.NaN;
        }
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    /** Returns the median in milliseconds, or NaN if empty. */
    public double p50Millis() {
        return percentileMillis(50);
    }

    /** Returns the 99th percentile in milliseconds, or NaN if empty. */
    public double p99Millis() {
        return percentileMillis(99);
    }
}
