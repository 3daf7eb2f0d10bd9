package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VersionVectorTest {
    private static Timestamp dot(long hlc, long site) {
        return new Timestamp(hlc, site);
    }

    @Test
    void coversEveryDotUpToTheRecordedClockOfItsSite() {
        // given a vector that has seen site 1 up to 10
        VersionVector v = VersionVector.EMPTY.with(dot(10, 1));

        // then dots of site 1 up to 10 are covered, later ones and other sites are not
        assertTrue(v.covers(dot(3, 1)));
        assertTrue(v.covers(dot(10, 1)));
        assertFalse(v.covers(dot(11, 1)));
        assertFalse(v.covers(dot(3, 2)));
        assertEquals(10, v.get(1));
        assertEquals(-1, v.get(2));
    }

    @Test
    void mergeIsThePointwiseMaximumAndComparesByDominance() {
        // given two concurrent vectors
        VersionVector a = VersionVector.EMPTY.with(dot(5, 1)).with(dot(2, 2));
        VersionVector b = VersionVector.EMPTY.with(dot(3, 1)).with(dot(7, 3));

        // when merged
        VersionVector m = a.merge(b);

        // then every entry is the maximum and the merge dominates both
        assertEquals(5, m.get(1));
        assertEquals(2, m.get(2));
        assertEquals(7, m.get(3));
        assertEquals(VersionVector.Order.CONCURRENT, a.compare(b));
        assertEquals(VersionVector.Order.AFTER, m.compare(a));
        assertEquals(VersionVector.Order.BEFORE, b.compare(m));
        assertEquals(VersionVector.Order.EQUAL, m.compare(b.merge(a)));
        assertSame(m, m.merge(a), "merging something dominated returns the receiver");
        assertEquals(7, m.maxHlc());
    }

    @Test
    void ordersSitesAsUnsignedNumbers() {
        // given sites with the high bit set and not
        VersionVector v = VersionVector.EMPTY.with(dot(1, -1L)).with(dot(1, 5)).with(dot(1, Long.MIN_VALUE));

        // then iteration and encoding follow unsigned order
        assertEquals(List.of(5L, Long.MIN_VALUE, -1L), List.copyOf(v.asMap().keySet()));
    }

    @Test
    void encodingRoundTripsAndIsCanonical() {
        // given vectors built in different orders
        VersionVector a = VersionVector.EMPTY.with(dot(9, 3)).with(dot(4, -2L)).with(dot(0, 0));
        VersionVector b = VersionVector.EMPTY.with(dot(0, 0)).with(dot(4, -2L)).with(dot(9, 3));

        // then the encodings are identical and decode back to an equal vector
        assertArrayEquals(a.encode(), b.encode());
        assertEquals(a, VersionVector.decode(a.encode()));
        assertEquals(VersionVector.EMPTY, VersionVector.decode(VersionVector.EMPTY.encode()));
    }

    @Test
    void decodeRejectsMalformedInputWithProtocolErrors() {
        byte[] good = VersionVector.EMPTY.with(dot(9, 3)).with(dot(4, 7)).encode();
        byte[][] bad = {
            {},                                              // nothing
            {(byte) 0x82, 0x01},                             // truncated
            {(byte) 0x84, 0x07, 0x04, 0x03, 0x09},           // sites out of order
            {(byte) 0x82, 0x00, 0x05},                       // site 0 with a non-zero clock
            {(byte) 0x82, 0x01, 0x20},                       // negative clock
            {(byte) 0x81, 0x01},                             // odd count
            {(byte) 0xa0},                                   // a map, not an array
            java.util.Arrays.copyOf(good, good.length + 1),  // trailing data
        };
        for (byte[] b : bad) {
            DittoException e = assertThrows(DittoException.class, () -> VersionVector.decode(b));
            assertEquals(ErrorCode.PROTOCOL, e.code(), e.getMessage());
        }
    }

    @Test
    void randomVectorsFormASemilattice() {
        Property.check("R1 version vector", Property.tries(1_000, 100_000), seed -> {
            Random r = new Random(seed);
            VersionVector a = random(r);
            VersionVector b = random(r);
            VersionVector c = random(r);
            assertEquals(a.merge(b), b.merge(a));
            assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
            assertEquals(a, a.merge(a));
            assertTrue(a.merge(b).dominates(a));
            assertEquals(a.merge(b), VersionVector.decode(a.merge(b).encode()));
        });
    }

    private static VersionVector random(Random r) {
        VersionVector v = VersionVector.EMPTY;
        for (int i = r.nextInt(5); i > 0; i--) {
            v = v.with(dot(1 + r.nextInt(20), 1 + r.nextInt(4)));
        }
        return v;
    }
}
