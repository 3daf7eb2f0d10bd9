package ditto.testkit.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Runs a randomized simulation suite over many seeds, the way RELIABILITY.md asks: fixture seeds
 * first, then fresh ones; one seed alone with {@code -Dditto.seed=N}; large counts with
 * {@code -Dditto.reliability=true}; and on failure the seed, how to replay it and the network's
 * report.
 *
 * <pre>{@code
 * SimRun.suite("r5-partitions").counts(500, 20_000).fixtures(PartitionTest.class).run(trial -> {
 *     SimNetwork network = trial.network();      // seeded by the trial, reported on failure
 *     RandomGenerator random = trial.random();   // the test's own seeded choices
 *     ...
 * });
 * }</pre>
 *
 * <p>Fresh seeds are {@code first + i * }{@link Seeds#SEED_STRIDE}, with {@code first} drawn
 * from the system clock once per run and printed, so that successive CI runs explore different
 * seeds while every failure names the one seed that replays it. Add that seed to
 * {@code src/test/resources/<suite>-seeds.txt} so it runs first from then on.
 *
 * <p>Not thread-safe: configure and run it on one thread. Each seed's body runs on the calling
 * thread.
 */
public final class SimRun {

    /** The default number of fresh seeds in a normal (pull-request) run: {@value}. */
    public static final int DEFAULT_PULL_REQUEST_COUNT = 100;
    /** The default number of fresh seeds with {@code -Dditto.reliability=true}: {@value}. */
    public static final int DEFAULT_PROFILE_COUNT = 10_000;

    private final String suite;
    private final UnaryOperator<String> properties;
    private final LongSupplier freshBase;
    private final PrintStream out;
    private final List<Long> fixtures = new ArrayList<>();
    private int pullRequestCount = DEFAULT_PULL_REQUEST_COUNT;
    private int profileCount = DEFAULT_PROFILE_COUNT;
    private Long first;

    SimRun(String suite, UnaryOperator<String> properties, LongSupplier freshBase, PrintStream out) {
        Objects.requireNonNull(suite, "suite");
        if (!suite.matches("[A-Za-z0-9._-]+")) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulation suite name \"" + suite
                    + "\" must be letters, digits, '.', '_' or '-' (it names the fixtures file)");
        }
        this.suite = suite;
        this.properties = properties;
        this.freshBase = freshBase;
        this.out = out;
    }

    /**
     * Starts describing a suite that reads the system properties and prints to standard output.
     *
     * @param name the suite name, used in messages and in the fixtures file name
     *        {@code <name>-seeds.txt}; letters, digits, '.', '_' or '-'
     * @return the run, with {@value #DEFAULT_PULL_REQUEST_COUNT} / {@value #DEFAULT_PROFILE_COUNT}
     *         seeds and no fixtures; never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the name has other characters
     * @throws NullPointerException if {@code name} is null
     */
    public static SimRun suite(String name) {
        return new SimRun(name, System::getProperty,
                () -> System.nanoTime() ^ Double.doubleToLongBits(Math.random()), System.out);
    }

    /** Returns the suite name, never null. */
    public String name() {
        return suite;
    }

    /**
     * Sets how many fresh seeds to try.
     *
     * @param pullRequest the count of the normal test run, zero or more
     * @param profile the count with {@code -Dditto.reliability=true}, zero or more
     * @return this run, for chaining
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a count is negative
     */
    public SimRun counts(int pullRequest, int profile) {
        if (pullRequest < 0 || profile < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulation suite " + suite + ": seed counts "
                    + pullRequest + " and " + profile + " must not be negative");
        }
        this.pullRequestCount = pullRequest;
        this.profileCount = profile;
        return this;
    }

    /**
     * Adds the seeds of the suite's fixtures file, found through {@link Seeds#fixtures(Class, String)}.
     *
     * @param anchor a class of the test module, never null
     * @return this run, for chaining
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the file has a line that is not
     *         a seed or cannot be read
     */
    public SimRun fixtures(Class<?> anchor) {
        fixtures.addAll(Seeds.fixtures(anchor, suite));
        return this;
    }

    /**
     * Adds seeds that run before the fresh ones.
     *
     * @param seeds the seeds, in the order to run them
     * @return this run, for chaining
     */
    public SimRun fixtures(long... seeds) {
        for (long seed : seeds) {
            fixtures.add(seed);
        }
        return this;
    }

    /**
     * Returns the seeds {@link #run} will try, in order: the replay seed alone if
     * {@code -Dditto.seed} is set, otherwise the fixture seeds and then the fresh seeds.
     *
     * @return the seeds, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if {@code -Dditto.seed} is not a number
     */
    public List<Long> seeds() {
        OptionalLong replay = Seeds.replaySeed(properties);
        if (replay.isPresent()) {
            return List.of(replay.getAsLong());
        }
        List<Long> seeds = new ArrayList<>(fixtures);
        long base = firstFresh();
        int count = freshCount();
        for (int i = 0; i < count; i++) {
            seeds.add(base + i * Seeds.SEED_STRIDE);
        }
        return seeds;
    }

    /**
     * Runs the body once per seed of {@link #seeds()}, stopping at the first failure.
     *
     * @param body the simulation to run for one seed, never null
     * @return how many seeds ran
     * @throws AssertionError for the first seed whose body threw, with a message that starts
     *         with {@code [suite] failed for seed=N (replay with -Dditto.seed=N)}, then the
     *         failure, the trial's notes and its network's {@linkplain SimNetwork#report() report};
     *         the body's exception is the cause
     * @throws NullPointerException if {@code body} is null
     */
    public int run(Body body) {
        Objects.requireNonNull(body, "body");
        List<Long> seeds = seeds();
        OptionalLong replay = Seeds.replaySeed(properties);
        if (replay.isPresent()) {
            out.println("[" + suite + "] replaying " + Seeds.replayHint(replay.getAsLong()));
        } else {
            boolean profile = Seeds.reliability(properties);
            out.println("[" + suite + "] " + fixtures.size() + " fixture seeds, then " + freshCount()
                    + " fresh seeds from " + firstFresh() + " (stride " + Long.toHexString(Seeds.SEED_STRIDE) + "; "
                    + (profile ? "reliability profile" : "pull-request tier, -D" + Seeds.RELIABILITY_PROPERTY
                            + "=true for " + profileCount) + ")");
        }
        for (long seed : seeds) {
            Trial trial = new Trial(suite, seed);
            try {
                body.run(trial);
            } catch (Exception | AssertionError e) {
                String hint = "[" + suite + "] failed for " + Seeds.replayHint(seed);
                out.println(hint);
                throw new AssertionError(hint + "; keep it in src/test/resources/" + Seeds.fixtureFileName(suite)
                        + "\n" + e + "\n" + trial.diagnostics(), e);
            }
        }
        return seeds.size();
    }

    private int freshCount() {
        return Seeds.reliability(properties) ? profileCount : pullRequestCount;
    }

    private long firstFresh() {
        if (first == null) {
            first = freshBase.getAsLong();
        }
        return first;
    }

    /** The simulation of one seed; may throw anything, which fails the run for that seed. */
    @FunctionalInterface
    public interface Body {

        /**
         * Runs one seed.
         *
         * @param trial the seed and the seeded tools of this run, never null
         * @throws Exception to fail the run for this seed
         */
        void run(Trial trial) throws Exception;
    }

    /**
     * One seed of a {@link SimRun}: the seed, and seeded tools made from it on first use. Its
     * {@link #network()}'s report and its {@linkplain #note notes} are added to the failure
     * message. Not thread-safe.
     */
    public static final class Trial {
        private static final long RANDOM_SALT = 0x6A09E667F3BCC909L;

        private final String suite;
        private final long seed;
        private final List<Supplier<String>> notes = new ArrayList<>();
        private SimClock clock;
        private SimNetwork network;
        private RandomGenerator random;

        Trial(String suite, long seed) {
            this.suite = suite;
            this.seed = seed;
        }

        /** Returns the suite name, never null. */
        public String suite() {
            return suite;
        }

        /** Returns this trial's seed. */
        public long seed() {
            return seed;
        }

        /**
         * Returns the test's own generator for this seed (the same object on every call),
         * independent of the network's, so that the test's choices and the network's do not
         * shift each other.
         *
         * @return the generator, never null
         */
        public RandomGenerator random() {
            if (random == null) {
                random = new SplittableRandom(seed ^ RANDOM_SALT);
            }
            return random;
        }

        /**
         * Returns a new generator for one named participant (a peer's engine, a workload), fixed
         * by the seed and the name.
         *
         * @param name the participant, never null
         * @return a new generator, never null
         */
        public RandomGenerator randomFor(String name) {
            long salt = name.hashCode() * Seeds.SEED_STRIDE;
            return new SplittableRandom(seed ^ RANDOM_SALT ^ Long.rotateLeft(salt, 17) ^ name.length());
        }

        /** Returns this trial's clock, starting at {@link SimClock#DEFAULT_START_MILLIS}; the same object on every call. */
        public SimClock clock() {
            if (clock == null) {
                clock = new SimClock();
            }
            return clock;
        }

        /**
         * Returns this trial's network, seeded with {@link #seed()} on {@link #clock()}; the same
         * object on every call. It must be first used on the thread that runs the body.
         *
         * @return the network, never null
         */
        public SimNetwork network() {
            if (network == null) {
                network = new SimNetwork(seed, clock());
            }
            return network;
        }

        /**
         * Adds text to print if this seed fails, such as the state of each peer; the supplier is
         * called only on failure.
         *
         * @param note what to print, never null
         */
        public void note(Supplier<String> note) {
            notes.add(Objects.requireNonNull(note, "note"));
        }

        String diagnostics() {
            StringBuilder text = new StringBuilder();
            for (Supplier<String> note : notes) {
                try {
                    text.append(note.get()).append('\n');
                } catch (RuntimeException e) {
                    text.append("(a note failed: ").append(e).append(")\n");
                }
            }
            if (network != null) {
                text.append(network.report());
            } else {
                text.append(Seeds.replayHint(seed)).append('\n');
            }
            return text.toString();
        }
    }
}
