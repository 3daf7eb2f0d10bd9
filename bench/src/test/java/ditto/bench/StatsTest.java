package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddCountIsTheMiddleValue() {
        assertEquals(3.0, Stats.median(List.of(5.0, 1.0, 3.0, 4.0, 2.0)));
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void medianIgnoresNonFiniteValues() {
        assertEquals(2.0, Stats.median(List.of(Double.NaN, 2.0, Double.POSITIVE_INFINITY)));
        assertTrue(Double.isNaN(Stats.median(List.of(Double.NaN))));
    }

    @Test
    void pairedRatioIsTheMedianOfPerRepetitionRatios() {
        // given repetitions where both sides slowed down together in the middle one
        List<Double> ours = List.of(2.0, 20.0, 3.0);
        List<Double> peer = List.of(1.0, 10.0, 1.0);

        // then the paired ratio is the median of 2, 2, 3, not the ratio of the medians (3 / 1)
        assertEquals(2.0, Stats.pairedRatio(ours, peer));
    }

    @Test
    void pairedRatioSkipsPairsWithAZeroPeer() {
        assertEquals(4.0, Stats.pairedRatio(List.of(1.0, 8.0), List.of(0.0, 2.0)));
    }

    @Test
    void pairedRatioRejectsUnpairedLists() {
        assertThrows(IllegalArgumentException.class, () -> Stats.pairedRatio(List.of(1.0), List.of(1.0, 2.0)));
    }
}
