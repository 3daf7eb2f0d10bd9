package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ditto.api.ErrorCode;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** HLC behaviour, including RELIABILITY.md R9 at unit level: monotonicity, backward jumps, drift rejection. */
class HybridClockTest {
    private static final long T = 1_700_000_000_000L;
    private static final SiteId A = SiteId.of(0xA);

    @Test
    void followsPhysicalTimeWhenItMovesForward() {
        // given a clock whose physical time advances
        AtomicLong now = new AtomicLong(T);
        HybridClock clock = new HybridClock(A, now::get);

        // when timestamps are taken at two instants
        Timestamp first = clock.now();
        now.addAndGet(5);
        Timestamp second = clock.now();

        // then they carry the physical time with a zero logical part, and this site
        assertEquals(T, first.physicalMillis());
        assertEquals(0, first.logical());
        assertEquals(T + 5, second.physicalMillis());
        assertEquals(A.value(), second.site());
    }

    @Test
    void countsLogicallyWhenPhysicalTimeStandsStill() {
        // given a clock whose physical time does not move
        HybridClock clock = new HybridClock(A, () -> T);

        // when three timestamps are taken, then the logical part counts up
        assertEquals(0, clock.now().logical());
        assertEquals(1, clock.now().logical());
        Timestamp third = clock.now();
        assertEquals(2, third.logical());
        assertEquals(T, third.physicalMillis());
    }

    @Test
    void staysMonotonicWhenPhysicalTimeJumpsBackwards() {
        // given a clock that issued a timestamp, then its physical clock jumps back an hour
        AtomicLong now = new AtomicLong(T);
        HybridClock clock = new HybridClock(A, now::get);
        Timestamp before = clock.now();
        now.set(T - 3_600_000);

        // when more timestamps are taken
        Timestamp after = clock.now();
        Timestamp later = clock.now();

        // then they keep increasing, holding the old physical time
        assertTrue(after.compareTo(before) > 0);
        assertTrue(later.compareTo(after) > 0);
        assertEquals(T, later.physicalMillis());
    }

    @Test
    void logicalOverflowCarriesIntoTheMillisecondPart() {
        // given a clock stuck at one millisecond
        HybridClock clock = new HybridClock(A, () -> T);

        // when more than 65536 timestamps are taken
        Timestamp last = null;
        for (int i = 0; i < 65_537; i++) {
            Timestamp t = clock.now();
            if (last != null) {
                assertTrue(t.compareTo(last) > 0);
            }
            last = t;
        }

        // then the clock moved to the next millisecond instead of wrapping
        assertEquals(T + 1, last.physicalMillis());
        assertEquals(0, last.logical());
    }

    @Test
    void observedTimestampsMakeLaterLocalTimestampsGreater() {
        // given a clock behind a remote peer by two minutes
        HybridClock clock = new HybridClock(A, () -> T);
        long remote = HybridClock.hlc(T + 120_000, 7);

        // when the remote timestamp is observed
        clock.observe(remote);
        Timestamp next = clock.now();

        // then the next local timestamp follows it
        assertTrue(next.hlc() > remote);
        assertEquals(remote, next.hlc() - 1);
        assertEquals(0, clock.rejectedCount());
    }

    @Test
    void rejectsAndCountsTimestampsBeyondTheAllowedDrift() {
        // given a clock with the default 10-minute drift limit
        HybridClock clock = new HybridClock(A, () -> T);
        long ok = HybridClock.hlc(T + HybridClock.DEFAULT_MAX_DRIFT_MILLIS, 0xFFFF);
        long tooFar = HybridClock.hlc(T + HybridClock.DEFAULT_MAX_DRIFT_MILLIS + 1, 0);

        // when observing one timestamp at the limit and two beyond it (one a hostile negative value)
        clock.observe(ok);
        ClockDriftException e = assertThrows(ClockDriftException.class, () -> clock.observe(tooFar));
        assertThrows(ClockDriftException.class, () -> clock.observe(-1L));

        // then the rejections are typed, counted and leave the clock untouched
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertEquals(tooFar, e.remoteHlc());
        assertEquals(2, clock.rejectedCount());
        assertEquals(ok, clock.current());
        assertTrue(e.getMessage().startsWith("clock: "));
    }

    @Test
    void driftLimitIsConfigurable() {
        // given a clock allowing one second of drift
        HybridClock clock = new HybridClock(A, () -> T, 1_000);

        // when a timestamp two seconds ahead arrives, then it is rejected
        assertThrows(ClockDriftException.class, () -> clock.observe(HybridClock.hlc(T + 2_000, 0)));
        assertEquals(1_000, clock.maxDriftMillis());
    }

    @Test
    void restoreKeepsTimestampsAbovePersistedValueWithoutDriftCheck() {
        // given a peer that issued timestamps an hour ahead of its (now reset) physical clock
        long persisted = HybridClock.hlc(T + 3_600_000, 3);
        HybridClock clock = new HybridClock(A, () -> T);

        // when the persisted value is restored
        clock.restore(persisted);

        // then new timestamps are above it
        assertTrue(clock.now().hlc() > persisted);
    }

    @Test
    void issuesUniqueIncreasingTimestampsAcrossThreads() throws InterruptedException {
        // given one clock shared by four threads
        HybridClock clock = new HybridClock(A, () -> T);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                long last = 0;
                for (int i = 0; i < 5_000; i++) {
                    long h = clock.now().hlc();
                    assertTrue(h > last);
                    last = h;
                    seen.add(h);
                }
            }));
        }

        // when they all take timestamps
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        // then no value was issued twice
        assertEquals(20_000, seen.size());
    }

    @Test
    void randomSkewAndJumpsNeverBreakMonotonicity() {
        Property.check("R9 clock", Property.tries(500, 20_000), seed -> {
            // given a peer whose physical clock is skewed ±10 min, jumps back and receives timestamps
            Random r = new Random(seed);
            long[] physical = {T + r.nextInt(1_200_000) - 600_000};
            HybridClock clock = new HybridClock(SiteId.random(r), () -> physical[0]);
            long last = 0;
            Set<Long> issued = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                int k = r.nextInt(10);
                if (k == 0) {
                    physical[0] -= r.nextInt(600_000);
                } else if (k < 6) {
                    physical[0] += r.nextInt(100);
                } else if (k < 8) {
                    // a remote timestamp from a peer skewed up to ±20 minutes, sometimes hostile
                    long remote = HybridClock.hlc(physical[0] + r.nextInt(2_400_000) - 1_200_000, r.nextInt(65_536));
                    boolean beyond = HybridClock.physicalOf(remote) > physical[0] + HybridClock.DEFAULT_MAX_DRIFT_MILLIS;
                    long rejectedBefore = clock.rejectedCount();
                    try {
                        clock.observe(remote);
                        assertTrue(!beyond, "accepted a timestamp beyond the drift limit");
                    } catch (ClockDriftException e) {
                        assertTrue(beyond, "rejected a timestamp within the drift limit");
                        assertEquals(rejectedBefore + 1, clock.rejectedCount());
                    }
                    continue;
                }
                // then every local timestamp is greater than everything issued or accepted before
                long h = clock.now().hlc();
                assertTrue(h > last, "clock went backwards");
                assertTrue(issued.add(h));
                last = h;
                assertTrue(clock.current() >= h);
            }
        });
    }
}
