package ditto.engine.crdt;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A per-peer hybrid logical clock (HLC) that stamps this peer's operations.
 *
 * <p>A value is one {@code long}: the upper 48 bits hold epoch milliseconds, the lower 16 bits a
 * logical counter. Treating the value as one number makes the rules simple: {@link #now()}
 * returns {@code max(last + 1, physical << 16)}, so values strictly increase even when the
 * physical clock stands still or jumps backwards (the logical part counts up and carries into
 * the millisecond part), and they follow physical time whenever it is ahead.
 * {@link #observe(long)} raises the clock to a received value so that anything this peer writes
 * afterwards is stamped later than what it has seen, which keeps last-writer-wins consistent
 * with causality.
 *
 * <p>Received values more than {@code maxDriftMillis} ahead of the local physical clock are
 * rejected with {@link ClockDriftException} and counted ({@link #rejectedCount()}), so one peer
 * with a wrong or hostile clock cannot push every clock into the future (RELIABILITY.md R9).
 *
 * <p>Physical time comes from an injected {@link LongSupplier} of epoch milliseconds, so tests
 * and the simulator control it. Thread-safe and lock-free.
 */
public final class HybridClock {
    /** The default allowed drift of received timestamps: 10 minutes. */
    public static final long DEFAULT_MAX_DRIFT_MILLIS = 10 * 60 * 1000L;

    private static final int LOGICAL_BITS = 16;
    // 47 bits keep every value a positive long (until the year 6429), so signed and unsigned order agree
    private static final long MAX_PHYSICAL = (1L << 47) - 1;

    private final SiteId site;
    private final LongSupplier physicalMillis;
    private final long maxDriftMillis;
    private final AtomicLong last = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /**
     * Creates a clock with the default allowed drift of 10 minutes.
     *
     * @param site this peer's site id, never null
     * @param physicalMillis the physical clock in epoch milliseconds (e.g. {@code System::currentTimeMillis}), never null
     */
    public HybridClock(SiteId site, LongSupplier physicalMillis) {
        this(site, physicalMillis, DEFAULT_MAX_DRIFT_MILLIS);
    }

    /**
     * Creates a clock.
     *
     * @param site this peer's site id, never null
     * @param physicalMillis the physical clock in epoch milliseconds, never null
     * @param maxDriftMillis how far ahead of the local physical clock a received timestamp may be, &ge; 0
     * @throws DittoException {@code INVALID_ARGUMENTS} if {@code maxDriftMillis} is negative
     */
    public HybridClock(SiteId site, LongSupplier physicalMillis, long maxDriftMillis) {
        this.site = Objects.requireNonNull(site, "site");
        this.physicalMillis = Objects.requireNonNull(physicalMillis, "physicalMillis");
        if (maxDriftMillis < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "clock: max drift " + maxDriftMillis + " ms is negative");
        }
        this.maxDriftMillis = maxDriftMillis;
    }

    /** Returns the site whose operations this clock stamps. */
    public SiteId site() {
        return site;
    }

    /** Returns the allowed drift of received timestamps, in milliseconds. */
    public long maxDriftMillis() {
        return maxDriftMillis;
    }

    /**
     * Returns a new timestamp for a local operation, strictly greater than every timestamp this
     * clock issued or observed before.
     */
    public Timestamp now() {
        long physical = hlc(physical(), 0);
        long next;
        long prev;
        do {
            prev = last.get();
            next = Math.max(prev + 1, physical);
        } while (!last.compareAndSet(prev, next));
        return new Timestamp(next, site.value());
    }

    /** Returns the greatest value issued or observed so far (0 for a fresh clock); the store persists it. */
    public long current() {
        return last.get();
    }

    /**
     * Merges a timestamp received from another peer: later calls to {@link #now()} return greater
     * values. Call it with {@link VersionVector#maxHlc()} of every document received, before
     * merging the document.
     *
     * @param remoteHlc the received hybrid-logical-clock value
     * @throws ClockDriftException if {@code remoteHlc} is more than the allowed drift ahead of
     *     the local physical clock; the clock is unchanged and {@link #rejectedCount()} grows by one
     */
    public void observe(long remoteHlc) {
        long physical = physical();
        long limit = hlc(Math.min(MAX_PHYSICAL, physical + Math.min(maxDriftMillis, MAX_PHYSICAL)), 0xFFFF);
        if (Long.compareUnsigned(remoteHlc, limit) > 0) {
            rejected.incrementAndGet();
            throw new ClockDriftException(remoteHlc, limit);
        }
        last.accumulateAndGet(remoteHlc, Math::max);
    }

    /**
     * Raises the clock to a value this peer issued before it restarted, without a drift check, so
     * a peer whose physical clock went back while it was down still never reuses a timestamp.
     *
     * @param persistedHlc the value {@link #current()} returned before the restart, &ge; 0
     */
    public void restore(long persistedHlc) {
        if (persistedHlc < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "clock: persisted value " + persistedHlc + " is negative");
        }
        last.accumulateAndGet(persistedHlc, Math::max);
    }

    /** Returns how many received timestamps {@link #observe(long)} rejected. */
    public long rejectedCount() {
        return rejected.get();
    }

    /**
     * Builds a clock value.
     *
     * @param physicalMillis epoch milliseconds, 0 to 2<sup>47</sup>-1
     * @param logical 0 to 65535
     */
    public static long hlc(long physicalMillis, int logical) {
        return (physicalMillis << LOGICAL_BITS) | (logical & 0xFFFFL);
    }

    /** Returns the epoch milliseconds of a clock value. */
    public static long physicalOf(long hlc) {
        return hlc >>> LOGICAL_BITS;
    }

    /** Returns the logical counter of a clock value. */
    public static int logicalOf(long hlc) {
        return (int) (hlc & 0xFFFF);
    }

    private long physical() {
        long p = physicalMillis.getAsLong();
        return p < 0 ? 0 : Math.min(p, MAX_PHYSICAL);
    }
}
