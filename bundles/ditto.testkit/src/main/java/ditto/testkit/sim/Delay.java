package ditto.testkit.sim;

import java.util.Objects;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * A distribution of one-way network latency, in milliseconds of virtual time, sampled once per
 * frame (and per connection attempt) from the simulation's seeded random generator.
 *
 * <p>Immutable and thread-safe. Every sample is zero or more: negative samples from a
 * {@linkplain #of custom} distribution are treated as 0. {@link #toString()} describes the
 * distribution for reports.
 */
public final class Delay {
    private static final Delay NONE = new Delay("none", r -> 0L);

    private final String description;
    private final ToLongFunction<RandomGenerator> sampler;

    private Delay(String description, ToLongFunction<RandomGenerator> sampler) {
        this.description = description;
        this.sampler = sampler;
    }

    /** Returns the distribution that is always 0 ms: frames are deliverable as soon as they are sent. */
    public static Delay none() {
        return NONE;
    }

    /**
     * Returns a constant latency.
     *
     * @param millis the latency, zero or more
     * @return the distribution, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code millis} is negative
     */
    public static Delay fixed(long millis) {
        requireNonNegative("fixed latency", millis);
        return millis == 0 ? NONE : new Delay("fixed(" + millis + " ms)", r -> millis);
    }

    /**
     * Returns a latency drawn uniformly between two bounds, both included.
     *
     * @param minMillis the smallest latency, zero or more
     * @param maxMillis the largest latency, at least {@code minMillis}
     * @return the distribution, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a bound is negative or
     *         {@code maxMillis < minMillis}
     */
    public static Delay uniform(long minMillis, long maxMillis) {
        requireNonNegative("uniform latency minimum", minMillis);
        if (maxMillis < minMillis) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated latency: uniform maximum " + maxMillis
                    + " ms is below the minimum " + minMillis + " ms");
        }
        return new Delay("uniform(" + minMillis + ".." + maxMillis + " ms)",
                r -> minMillis == maxMillis ? minMillis : r.nextLong(minMillis, maxMillis + 1));
    }

    /**
     * Returns an exponentially distributed latency: mostly short, with a long tail, rounded down
     * to whole milliseconds.
     *
     * @param meanMillis the mean latency, positive
     * @return the distribution, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code meanMillis} is not positive
     */
    public static Delay exponential(long meanMillis) {
        if (meanMillis <= 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated latency: exponential mean " + meanMillis
                    + " ms is not positive");
        }
        return new Delay("exponential(mean " + meanMillis + " ms)",
                r -> (long) (-meanMillis * Math.log(1.0 - r.nextDouble())));
    }

    /**
     * Returns a distribution defined by a function of the random generator.
     *
     * @param description how the distribution reads in reports, never null
     * @param sampler draws one latency in milliseconds; must use only the generator it is given
     *        (so that runs stay replayable); never null
     * @return the distribution, never null
     * @throws NullPointerException if an argument is null
     */
    public static Delay of(String description, ToLongFunction<RandomGenerator> sampler) {
        return new Delay(Objects.requireNonNull(description, "description"), Objects.requireNonNull(sampler, "sampler"));
    }

    /**
     * Returns this distribution with occasional spikes: with a given probability a sample gets
     * an extra latency added.
     *
     * @param probability the chance of a spike per sample, 0 to 1
     * @param extraMillis the latency added by a spike, zero or more
     * @return the new distribution, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the probability is outside
     *         0 to 1 or the extra latency is negative
     */
    public Delay withSpikes(double probability, long extraMillis) {
        Faults.requireProbability("latency spike probability", probability);
        requireNonNegative("latency spike", extraMillis);
        Delay base = this;
        return new Delay(description + " + spikes(" + probability + ", " + extraMillis + " ms)", r -> {
            long sample = base.sampleMillis(r);
            return r.nextDouble() < probability ? sample + extraMillis : sample;
        });
    }

    /**
     * Draws one latency.
     *
     * @param random the simulation's generator, never null
     * @return milliseconds, zero or more
     */
    public long sampleMillis(RandomGenerator random) {
        return Math.max(0L, sampler.applyAsLong(random));
    }

    /** Tells whether this is {@link #none()}. */
    boolean isNone() {
        return this == NONE;
    }

    @Override
    public String toString() {
        return description;
    }

    private static void requireNonNegative(String what, long millis) {
        if (millis < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated latency: " + what + " " + millis
                    + " ms is negative");
        }
    }
}
