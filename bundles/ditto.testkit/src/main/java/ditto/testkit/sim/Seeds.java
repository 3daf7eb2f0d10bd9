package ditto.testkit.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The seed conventions of randomized suites (RELIABILITY.md): how a seed is replayed, how
 * regression seeds are kept, and how many seeds a run tries.
 *
 * <ul>
 * <li>{@code -D}{@value #SEED_PROPERTY}{@code =N} replays seed N alone;</li>
 * <li>{@code -D}{@value #RELIABILITY_PROPERTY}{@code =true} switches from the pull-request count
 * to the large count of the reliability profile;</li>
 * <li>a fixtures file {@code <suite>-seeds.txt} (one seed per line, decimal, {@code #} starts a
 * comment) holds seeds that once failed; they run first, every time.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe. {@link SimRun} applies all of this for a suite.
 */
public final class Seeds {

    /** The system property that replays one seed: {@value}. */
    public static final String SEED_PROPERTY = "ditto.seed";
    /** The system property that selects the large counts of the reliability profile: {@value}. */
    public static final String RELIABILITY_PROPERTY = "ditto.reliability";
    /** The odd constant between consecutive fresh seeds of a run (the 64-bit golden ratio). */
    public static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /**
     * Returns the line a failure prints so the seed can be replayed.
     *
     * @param seed the failing seed
     * @return {@code seed=N (replay with -Dditto.seed=N)}
     */
    public static String replayHint(long seed) {
        return "seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
    }

    /**
     * Tells whether the reliability profile is on ({@code -Dditto.reliability=true}).
     *
     * @return true for the large counts
     */
    public static boolean reliability() {
        return reliability(System::getProperty);
    }

    /**
     * Returns the number of seeds to try.
     *
     * @param pullRequest the count of the normal test run, zero or more
     * @param profile the count with {@code -Dditto.reliability=true}, zero or more
     * @return one of the two
     */
    public static int count(int pullRequest, int profile) {
        return reliability() ? profile : pullRequest;
    }

    /**
     * Returns the seed to replay, if {@code -Dditto.seed} is set.
     *
     * @return the seed, or empty when the property is absent or blank
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the property is not a number
     */
    public static OptionalLong replaySeed() {
        return replaySeed(System::getProperty);
    }

    /**
     * Parses the text of a fixtures file: one seed per line, decimal, optionally negative;
     * {@code #} starts a comment; blank lines are ignored.
     *
     * @param text the file's text, never null
     * @param source what the text came from, for error messages; never null
     * @return the seeds in file order, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the source and line of a
     *         line that is not a number
     */
    public static List<Long> parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        List<Long> seeds = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String value = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (value.isEmpty()) {
                continue;
            }
            try {
                seeds.add(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new DittoException(ErrorCode.INVALID_CONFIG, "seed fixtures " + source + " line " + (i + 1)
                        + ": \"" + value + "\" is not a decimal seed", e);
            }
        }
        return seeds;
    }

    /**
     * Reads the fixture seeds of a suite: the resource {@code /<suite>-seeds.txt} at the root of
     * the anchor class's module (or class path), which is where {@code src/test/resources/<suite>-seeds.txt}
     * ends up; or, if there is no such resource, the file {@code src/test/resources/<suite>-seeds.txt}
     * under the working directory. A root resource is used because it is readable across module
     * boundaries without {@code opens}.
     *
     * @param anchor a class of the test module, never null
     * @param suite the suite name, never null
     * @return the seeds in file order; empty if neither exists
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if a line is not a number or the
     *         file exists but cannot be read
     */
    public static List<Long> fixtures(Class<?> anchor, String suite) {
        Objects.requireNonNull(anchor, "anchor");
        String name = fixtureFileName(suite);
        try (InputStream in = anchor.getResourceAsStream("/" + name)) {
            if (in != null) {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "resource /" + name);
            }
            Path file = Path.of("src", "test", "resources", name);
            if (Files.isRegularFile(file)) {
                return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            }
            return List.of();
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "seed fixtures " + name + ": cannot read: " + e, e);
        }
    }

    /**
     * Returns the fixtures file name of a suite.
     *
     * @param suite the suite name, never null
     * @return {@code <suite>-seeds.txt}
     */
    public static String fixtureFileName(String suite) {
        return Objects.requireNonNull(suite, "suite") + "-seeds.txt";
    }

    static boolean reliability(UnaryOperator<String> properties) {
        return Boolean.parseBoolean(properties.apply(RELIABILITY_PROPERTY));
    }

    static OptionalLong replaySeed(UnaryOperator<String> properties) {
        String value = properties.apply(SEED_PROPERTY);
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "-D" + SEED_PROPERTY + "=" + value
                    + ": not a decimal seed", e);
        }
    }
}
