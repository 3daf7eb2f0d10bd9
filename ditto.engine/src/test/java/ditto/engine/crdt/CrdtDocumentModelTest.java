package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md R2: under random concurrent histories (2–4 peers, skewed clocks, backward
 * jumps, random merges), every replica's document equals a tiny sequential specification
 * ({@link Histories.Spec}: LWW by (HLC, site), add-wins maps, summed counters, delete and unset
 * removing only what they had seen) after every step, and all replicas converge to the spec of
 * all events. 1,000 histories in the PR tier, 50,000 with {@code -Dditto.reliability=true}.
 */
class CrdtDocumentModelTest {
    private static final Histories.Profile[] PROFILES = {
        Histories.Profile.REGISTER, Histories.Profile.MAP, Histories.Profile.COUNTER, Histories.Profile.PN_COUNTER,
        Histories.Profile.ATTACHMENT, Histories.Profile.DOCUMENT, Histories.Profile.DOCUMENT, Histories.Profile.DOCUMENT,
    };

    @Test
    void replicasMatchTheSequentialSpecAndConverge() {
        Property.check("R2 model", Property.tries(1_000, 50_000), seed -> {
            // given a random concurrent history checked against the spec at every step
            Random r = new Random(seed ^ 0xC0FFEEL);
            Histories.Profile profile = PROFILES[r.nextInt(PROFILES.length)];
            Histories h = new Histories(seed, profile, true).run(8 + r.nextInt(30));

            // when every replica's changes reach one place, in two different orders
            CrdtDocument x = h.convergeAll();
            CrdtDocument y = h.convergeAll();

            // then both are byte-identical and equal the spec over all events
            assertArrayEquals(x.encode(), y.encode(), "merge order changed the result");
            Histories.Spec.Result expected = h.spec.evaluate(h.allEvents());
            assertEquals(expected.deleted(), x.isDeleted(), () -> profile + ": deleted flag " + x);
            if (!expected.deleted()) {
                Map<String, Object> actual = x.value().orElseThrow();
                assertTrue(JsonValues.equal(expected.value(), actual),
                        () -> profile + ":\n  spec " + expected.value() + "\n  doc  " + actual + h.spec.describe(h.allEvents()));
            }
        });
    }
}
