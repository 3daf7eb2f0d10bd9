package ditto.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class SeedsTest {

    @Test
    void parsesOneSeedPerLineIgnoringCommentsAndBlankLines() {
        List<Long> seeds = Seeds.parse("# header\n1\n\n  -2  # why\r\n9223372036854775807\n", "test");

        assertEquals(List.of(1L, -2L, Long.MAX_VALUE), seeds);
    }

    @Test
    void namesTheSourceAndLineOfAMalformedSeed() {
        DittoException e = assertThrows(DittoException.class, () -> Seeds.parse("1\n2\nseven\n", "r3-seeds.txt"));

        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("r3-seeds.txt line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("\"seven\""), e.getMessage());
    }

    @Test
    void readsFixturesFromTheRootResourceOfTheAnchorModule() {
        assertEquals(List.of(17L, -3L, 123456789012345L), Seeds.fixtures(SeedsTest.class, "simrun-demo"));
        assertEquals(List.of(), Seeds.fixtures(SeedsTest.class, "no-such-suite"));
    }

    @Test
    void readsTheReplaySeedAndTheProfileSwitchFromProperties() {
        Map<String, String> properties = Map.of(Seeds.SEED_PROPERTY, " 42 ", Seeds.RELIABILITY_PROPERTY, "true");

        assertEquals(OptionalLong.of(42), Seeds.replaySeed(properties::get));
        assertTrue(Seeds.reliability(properties::get));
        assertEquals(OptionalLong.empty(), Seeds.replaySeed(Map.<String, String>of()::get));
        assertEquals(false, Seeds.reliability(Map.<String, String>of()::get));
        DittoException e = assertThrows(DittoException.class, () -> Seeds.replaySeed(Map.of(Seeds.SEED_PROPERTY, "x")::get));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    }

    @Test
    void theReplayHintIsTheOneLineFailuresPrint() {
        assertEquals("seed=-7 (replay with -Dditto.seed=-7)", Seeds.replayHint(-7));
    }
}
