package ditto.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class SimRunTest {

    private final Map<String, String> properties = new HashMap<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private SimRun suite(String name) {
        return new SimRun(name, properties::get, () -> 1000L, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @Test
    void runsFixtureSeedsFirstThenThePullRequestCountOfFreshSeeds() {
        List<Long> ran = new ArrayList<>();

        int count = suite("simrun-demo").counts(3, 50).fixtures(SimRunTest.class).fixtures(5L).run(t -> ran.add(t.seed()));

        assertEquals(List.of(17L, -3L, 123456789012345L, 5L, 1000L, 1000L + Seeds.SEED_STRIDE, 1000L + 2 * Seeds.SEED_STRIDE),
                ran);
        assertEquals(7, count);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("[simrun-demo] 4 fixture seeds, then 3 fresh seeds"),
                printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReliabilityProfileRunsTheLargeCount() {
        properties.put(Seeds.RELIABILITY_PROPERTY, "true");
        List<Long> ran = new ArrayList<>();

        suite("big").counts(2, 40).run(t -> ran.add(t.seed()));

        assertEquals(40, ran.size());
    }

    @Test
    void aReplaySeedRunsAloneWithoutFixtures() {
        properties.put(Seeds.SEED_PROPERTY, "99");
        List<Long> ran = new ArrayList<>();

        suite("simrun-demo").counts(100, 1000).fixtures(SimRunTest.class).run(t -> ran.add(t.seed()));

        assertEquals(List.of(99L), ran);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("replaying seed=99 (replay with -Dditto.seed=99)"));
    }

    @Test
    void aFailureNamesTheSeedHowToReplayItAndIncludesTheNetworkReport() {
        List<Long> ran = new ArrayList<>();
        IllegalStateException bug = new IllegalStateException("peers diverged");

        AssertionError failure = assertThrows(AssertionError.class, () -> suite("demo").counts(10, 10).fixtures(8L, 9L)
                .run(trial -> {
                    ran.add(trial.seed());
                    SimNetwork network = trial.network();
                    network.transportProvider("a");
                    trial.note(() -> "peer a: 3 documents");
                    if (trial.seed() == 9L) {
                        throw bug;
                    }
                }));

        assertEquals(List.of(8L, 9L), ran, "stops at the first failing seed");
        assertSame(bug, failure.getCause());
        String message = failure.getMessage();
        assertTrue(message.startsWith("[demo] failed for seed=9 (replay with -Dditto.seed=9); keep it in "
                + "src/test/resources/demo-seeds.txt"), message);
        assertTrue(message.contains("peers diverged"), message);
        assertTrue(message.contains("peer a: 3 documents"), message);
        assertTrue(message.contains(" join a"), "the network's trace is in the report: " + message);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("[demo] failed for seed=9 (replay with -Dditto.seed=9)"));
    }

    @Test
    void aTrialsToolsAreSeededStableAndIndependent() {
        List<Object> first = new ArrayList<>();
        List<Long> draws = new ArrayList<>();
        suite("tools").counts(0, 0).fixtures(77L, 77L, 78L).run(trial -> {
            assertSame(trial.network(), trial.network());
            assertSame(trial.clock(), trial.network().clock());
            assertSame(trial.random(), trial.random());
            assertEquals(trial.seed(), trial.network().seed());
            first.add(trial.random().nextLong());
            draws.add(trial.randomFor("peer-1").nextLong());
            assertNotEquals(trial.randomFor("peer-1").nextLong(), trial.randomFor("peer-2").nextLong());
        });

        assertEquals(first.get(0), first.get(1), "same seed, same test randomness");
        assertNotEquals(first.get(0), first.get(2));
        assertEquals(draws.get(0), draws.get(1));
        assertNotEquals(draws.get(0), draws.get(2));
    }

    @Test
    void rejectsSuiteNamesThatCannotNameAFile() {
        DittoException e = assertThrows(DittoException.class, () -> suite("r3/partitions"));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }
}
