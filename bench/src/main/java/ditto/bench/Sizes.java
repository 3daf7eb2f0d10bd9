package ditto.bench;

import java.util.Locale;

/**
 * How big one harness run is. {@link #SMOKE} keeps the whole run near two minutes on a 2-core
 * machine; {@link #FULL} uses the 100k documents of BENCHMARKS.md.
 *
 * @param name the size's name as given on the command line
 * @param docs documents in the data set (W1 writes them, W2–W4 read and observe them)
 * @param batch documents per transaction in W1's bulk insert (100, as BENCHMARKS.md says)
 * @param singleCommits single-document commits per repetition in W1
 * @param lookups point lookups per repetition in W2
 * @param queries queries of each W3 kind per repetition
 * @param writesAt1 W4 writes per repetition at 1 write/s
 * @param writesAt100 W4 writes per repetition at 100 writes/s
 * @param writesAt1000 W4 writes per repetition at 1,000 writes/s
 * @param reps measured repetitions per workload (at least 5)
 * @param warmups warm-up rounds per workload, discarded
 * @param seed the data generator's seed
 */
record Sizes(String name, int docs, int batch, int singleCommits, int lookups, int queries, int writesAt1,
        int writesAt100, int writesAt1000, int reps, int warmups, long seed) {

    static final long SEED = 20_260_101L;

    /** 10k documents; 2,000 single commits pooled over the 5 repetitions. */
    static final Sizes SMOKE = new Sizes("smoke", 10_000, 100, 400, 10_000, 10, 3, 150, 1_000, 5, 1, SEED);

    /** 100k documents; 2,000 single commits per repetition. */
    static final Sizes FULL = new Sizes("full", 100_000, 100, 2_000, 100_000, 10, 10, 500, 3_000, 5, 1, SEED);

    /**
     * Returns the named size.
     *
     * @param name {@code smoke} or {@code full}, any case
     * @return the size
     * @throws IllegalArgumentException for any other name
     */
    static Sizes named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> SMOKE;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("bench: unknown size '" + name + "' (expected smoke or full)");
        };
    }

    /** Returns a copy with other repetition and warm-up counts. */
    Sizes withRepetitions(int newReps, int newWarmups) {
        return new Sizes(name, docs, batch, singleCommits, lookups, queries, writesAt1, writesAt100, writesAt1000,
                newReps, newWarmups, seed);
    }

    /** Returns a copy with another data-set size (lookups follow it). */
    Sizes withDocs(int newDocs) {
        return new Sizes(name, newDocs, batch, singleCommits, newDocs, queries, writesAt1, writesAt100, writesAt1000,
                reps, warmups, seed);
    }

    /** One line describing the size, printed under the machine line. */
    String line() {
        return String.format(Locale.ROOT,
                "size: %s | %,d docs | tx of %d | %,d single commits/rep | %,d lookups/rep | %d queries/kind/rep"
                        + " | W4 writes/rep %d @1/s, %d @100/s, %d @1000/s | %d reps + %d warm-up | seed %d",
                name, docs, batch, singleCommits, lookups, queries, writesAt1, writesAt100, writesAt1000, reps, warmups,
                seed);
    }
}
