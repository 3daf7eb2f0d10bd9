package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RELIABILITY.md R1: the merge of every type, and of whole documents, is commutative,
 * associative and idempotent, and equal states have byte-identical canonical encodings.
 * Replica states come from random concurrent histories ({@link Histories}), one profile per
 * type; 1,000 tries per law and type in the PR tier, 100,000 with {@code -Dditto.reliability=true}.
 */
class CrdtDocumentLawsTest {
    private static final int TRIES = Property.tries(1_000, 100_000);

    private static Histories history(long seed, Histories.Profile profile) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        return new Histories(seed, profile, false).run(4 + r.nextInt(24));
    }

    private static void assertSameState(CrdtDocument x, CrdtDocument y, String law) {
        assertArrayEquals(x.encode(), y.encode(), () -> law + ":\n  " + x + "\n  " + y);
        assertEquals(x.isDeleted(), y.isDeleted(), law + ": deleted flags");
        assertTrue(JsonValues.equal(x.value().orElse(null), y.value().orElse(null)), law + ": materialized values");
        assertEquals(x.versionVector(), y.versionVector(), law + ": version vectors");
    }

    @ParameterizedTest
    @EnumSource(Histories.Profile.class)
    void mergeIsCommutative(Histories.Profile profile) {
        Property.check("R1 commutative " + profile, TRIES, seed -> {
            // given two states of one document reached by different replicas
            Histories h = history(seed, profile);
            CrdtDocument a = h.randomState();
            CrdtDocument b = h.randomState();

            // when merged in both orders, then the states are identical
            assertSameState(a.merge(b), b.merge(a), "a+b = b+a");
        });
    }

    @ParameterizedTest
    @EnumSource(Histories.Profile.class)
    void mergeIsAssociative(Histories.Profile profile) {
        Property.check("R1 associative " + profile, TRIES, seed -> {
            // given three states of one document
            Histories h = history(seed, profile);
            CrdtDocument a = h.randomState();
            CrdtDocument b = h.randomState();
            CrdtDocument c = h.randomState();

            // when grouped both ways, then the states are identical
            assertSameState(a.merge(b).merge(c), a.merge(b.merge(c)), "(a+b)+c = a+(b+c)");
        });
    }

    @ParameterizedTest
    @EnumSource(Histories.Profile.class)
    void mergeIsIdempotent(Histories.Profile profile) {
        Property.check("R1 idempotent " + profile, TRIES, seed -> {
            // given a state, an independent copy of it (through the wire form) and another state
            Histories h = history(seed, profile);
            CrdtDocument a = h.randomState();
            CrdtDocument b = h.randomState();
            CrdtDocument copy = CrdtDocument.decode(a.encode());

            // when merged with itself or given the same changes twice
            CrdtDocument self = a.merge(copy);
            CrdtDocument ab = a.merge(b);

            // then nothing changes: the receiver itself comes back, and a repeat delivery adds nothing
            assertSame(a, self, "a+a returns a");
            assertSame(ab, ab.merge(b), "(a+b)+b returns a+b");
            assertSame(ab, ab.merge(a), "(a+b)+a returns a+b");
            assertSameState(ab, ab.merge(CrdtDocument.decode(b.encode())), "(a+b)+b = a+b");
        });
    }

    @ParameterizedTest
    @EnumSource(Histories.Profile.class)
    void canonicalEncodingRoundTripsByteForByte(Histories.Profile profile) {
        Property.check("R1 canonical " + profile, TRIES, seed -> {
            // given any state, and the convergence of all replicas
            Histories h = history(seed, profile);
            CrdtDocument a = h.randomState();
            CrdtDocument all = h.convergeAll();

            // when decoded from their encodings (untrusted and trusted paths)
            CrdtDocument viaWire = CrdtDocument.decode(a.encode());
            CrdtDocument viaStore = CrdtDocument.decodeTrusted(all.encode());

            // then the state and the bytes are unchanged, and merging all replicas in another order agrees
            assertSameState(a, viaWire, "decode(encode(a))");
            assertSameState(all, viaStore, "decodeTrusted(encode(all))");
            assertSameState(all, h.convergeAll(), "merge order");
        });
    }
}
