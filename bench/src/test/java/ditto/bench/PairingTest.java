package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PairingTest {

    @Test
    void alternatesWhichSideRunsFirstAndDiscardsWarmups() {
        // given sides that log the order they run in
        List<String> order = new ArrayList<>();

        // when run with one warm-up and four repetitions
        Pairing.Outcome<Integer> out = Pairing.run("t", 1, 4,
                round -> {
                    order.add("o" + round);
                    return round;
                },
                round -> {
                    order.add("p" + round);
                    return round * 10;
                });

        // then ours runs first in even rounds, the peer in odd ones, and warm-ups are not kept
        assertEquals(List.of("o-1", "p-1", "o0", "p0", "p1", "o1", "o2", "p2", "p3", "o3"), order);
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), out.ours(Integer::doubleValue));
        assertEquals(List.of(0.0, 10.0, 20.0, 30.0), out.peer(Integer::doubleValue));
        assertTrue(out.bothMeasured());
        assertTrue(out.oursWall() >= 0 && out.peerWall() >= 0);
    }

    @Test
    void aFailingSideIsReportedAndTheOtherGoesOn() {
        // given our side failing in its first round
        int[] peerRuns = {0};
        Pairing.Outcome<Integer> out = Pairing.run("t", 0, 5,
                round -> {
                    throw new IllegalStateException("engine incomplete");
                },
                round -> ++peerRuns[0]);

        // then the peer ran every repetition and ours is marked failed with the reason
        assertEquals(5, peerRuns[0]);
        assertNotNull(out.oursFailure);
        assertTrue(out.oursFailure.contains("engine incomplete"), out.oursFailure);
        assertFalse(out.bothMeasured());
        assertTrue(Double.isNaN(out.pairedRatio(Integer::doubleValue)));
        assertEquals(3.0, out.peerMedian(Integer::doubleValue));
    }
}
