package ditto.engine.crdt;

import java.util.function.LongConsumer;

/**
 * Test support: runs a randomized property over many seeds, RELIABILITY.md style.
 *
 * <ul>
 *   <li>{@code -Dditto.seed=N} replays exactly one seed (for every property run in that JVM);</li>
 *   <li>{@code -Dditto.reliability=true} switches from the PR-tier count to the profile count;</li>
 *   <li>seeds listed in {@link RegressionSeeds} for the property run first, every time;</li>
 *   <li>the first seed of the run is printed, and a failure names its seed and how to replay it.</li>
 * </ul>
 */
final class Property {
    private Property() {
    }

    static boolean reliability() {
        return Boolean.getBoolean("ditto.reliability");
    }

    /** Returns {@code pr} tries normally, {@code profile} with {@code -Dditto.reliability=true}. */
    static int tries(int pr, int profile) {
        return reliability() ? profile : pr;
    }

    /**
     * Runs {@code body} once per seed: regression seeds first, then {@code tries} fresh ones
     * (or only {@code -Dditto.seed}).
     */
    static void check(String name, int tries, LongConsumer body) {
        String replay = System.getProperty("ditto.seed");
        if (replay != null && !replay.isBlank()) {
            long seed = Long.parseLong(replay.trim());
            System.out.println("[" + name + "] replaying seed " + seed);
            run(name, seed, body);
            return;
        }
        for (long seed : RegressionSeeds.forProperty(name)) {
            run(name, seed, body);
        }
        long first = System.nanoTime() ^ Double.doubleToLongBits(Math.random());
        System.out.println("[" + name + "] " + tries + " tries, seeds " + first + " + i * 0x9E3779B97F4A7C15");
        for (int i = 0; i < tries; i++) {
            run(name, first + i * 0x9E3779B97F4A7C15L, body);
        }
    }

    private static void run(String name, long seed, LongConsumer body) {
        try {
            body.accept(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("[" + name + "] failed for seed " + seed + " (replay with -Dditto.seed=" + seed
                    + ", keep it in RegressionSeeds): " + e.getMessage(), e);
        }
    }
}
