package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreWithinHistogramPrecision() {
        // given 1..1000 ms recorded in shuffled order
        Latencies l = new Latencies();
        for (int i = 0; i < 1000; i++) {
            l.record(((i * 379L) % 1000 + 1) * 1_000_000L);
        }

        // then p50 is 500 ms and p99 990 ms, within 0.1 %
        assertEquals(1000, l.count());
        assertEquals(500.0, l.p50Millis(), 0.5);
        assertEquals(990.0, l.p99Millis(), 1.0);
        assertEquals(1000.0, l.percentileMillis(100), 1.0);
    }

    @Test
    void emptyRecorderReportsNaN() {
        assertTrue(Double.isNaN(new Latencies().p50Millis()));
    }

    @Test
    void addAllPoolsSamples() {
        // given two recorders
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        a.record(1_000_000);
        b.record(3_000_000);
        b.record(5_000_000);

        // when pooled
        a.addAll(b);

        // then the pool holds all three samples
        assertEquals(3, a.count());
        assertEquals(3.0, a.p50Millis(), 0.01);
    }

    @Test
    void shortSamplesKeepTheirPrecision() {
        // given a 123.4 µs sample (a fast fsync)
        Latencies l = new Latencies();
        l.record(123_400);

        // then it reads back within 0.1 %
        assertEquals(0.1234, l.p50Millis(), 0.1234e-3);
    }

    @Test
    void negativeSamplesAreClampedToOneNanosecond() {
        Latencies l = new Latencies();
        l.record(-5);
        assertEquals(1e-6, l.p50Millis(), 1e-9);
    }
}
