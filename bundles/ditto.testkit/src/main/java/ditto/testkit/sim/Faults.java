package ditto.testkit.sim;

import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The faults a {@link SimNetwork} injects into the frames of one direction of a link, or of
 * every link.
 *
 * <p>With {@link #NONE} (the default) a simulated link keeps the {@link ditto.api.spi.transport.Link}
 * contract exactly: every frame arrives once, whole and in order, or the link closes. Every
 * other setting deliberately breaks that contract, to check that the engine notices (its TLS
 * and protocol layers must close the session with a typed error) and that the replication
 * protocol converges anyway (RELIABILITY.md R4). Decisions are drawn from the network's seeded
 * generator when a frame is sent, except reordering, which is drawn when a frame is delivered.
 *
 * @param loss the chance that a sent frame is lost, 0 to 1
 * @param duplication the chance that a frame that was not lost is delivered twice (the two
 *        copies get independent latency and corruption), 0 to 1
 * @param reorder the chance, at each delivery on a direction that has two or more frames ready,
 *        that a frame other than the oldest is delivered (it overtakes the older ones), 0 to 1.
 *        When 0, frames of one direction are delivered in the order they were sent (latency
 *        samples that would reorder them are raised to keep the order)
 * @param truncation the chance that a copy of a non-empty frame is cut to a uniformly chosen
 *        shorter length (possibly 0), 0 to 1
 * @param bitFlip the chance that one uniformly chosen bit of a copy of a non-empty frame is
 *        flipped, 0 to 1 (independent of truncation, applied after it)
 * @param delay the latency of each frame copy, never null; with {@link Delay#none()} frames are
 *        deliverable as soon as they are sent
 */
public record Faults(double loss, double duplication, double reorder, double truncation, double bitFlip, Delay delay) {

    /** No faults and no latency: the link contract holds. */
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, Delay.none());

    /**
     * Validates the components.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming a probability that is not
     *         between 0 and 1
     * @throws NullPointerException if {@code delay} is null
     */
    public Faults {
        requireProbability("loss", loss);
        requireProbability("duplication", duplication);
        requireProbability("reorder", reorder);
        requireProbability("truncation", truncation);
        requireProbability("bitFlip", bitFlip);
        Objects.requireNonNull(delay, "delay");
    }

    /**
     * Returns a copy with another loss probability.
     *
     * @param probability 0 to 1
     * @return the copy, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if out of range
     */
    public Faults withLoss(double probability) {
        return new Faults(probability, duplication, reorder, truncation, bitFlip, delay);
    }

    /**
     * Returns a copy with another duplication probability.
     *
     * @param probability 0 to 1
     * @return the copy, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if out of range
     */
    public Faults withDuplication(double probability) {
        return new Faults(loss, probability, reorder, truncation, bitFlip, delay);
    }

    /**
     * Returns a copy with another reorder probability.
     *
     * @param probability 0 to 1
     * @return the copy, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if out of range
     */
    public Faults withReorder(double probability) {
        return new Faults(loss, duplication, probability, truncation, bitFlip, delay);
    }

    /**
     * Returns a copy with another truncation probability.
     *
     * @param probability 0 to 1
     * @return the copy, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if out of range
     */
    public Faults withTruncation(double probability) {
        return new Faults(loss, duplication, reorder, probability, bitFlip, delay);
    }

    /**
     * Returns a copy with another bit-flip probability.
     *
     * @param probability 0 to 1
     * @return the copy, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if out of range
     */
    public Faults withBitFlip(double probability) {
        return new Faults(loss, duplication, reorder, truncation, probability, delay);
    }

    /**
     * Returns a copy with another latency distribution.
     *
     * @param delay the distribution, never null
     * @return the copy, never null
     * @throws NullPointerException if {@code delay} is null
     */
    public Faults withDelay(Delay delay) {
        return new Faults(loss, duplication, reorder, truncation, bitFlip, delay);
    }

    static void requireProbability(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network faults: " + name + " probability "
                    + value + " is not between 0 and 1");
        }
    }
}
