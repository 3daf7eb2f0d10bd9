package ditto.engine.crdt;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * The 64-bit identity of one peer's replica, used to stamp its operations.
 *
 * <p>A site id is drawn at random once per peer and persisted by the store, so a restarted peer
 * keeps its identity. The value {@code 0} is reserved for {@link Timestamp#ZERO}, the timestamp
 * of INITIAL documents, and is never a valid site id. Site ids order as unsigned numbers; that
 * order breaks ties between last-writer-wins writes with equal clock values.
 *
 * @param value the id, never 0
 */
public record SiteId(long value) {

    /**
     * Validates the value.
     *
     * @throws DittoException {@code INVALID_ARGUMENTS} if {@code value} is 0
     */
    public SiteId {
        if (value == 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "site id: 0 is reserved for initial documents");
        }
    }

    /** Returns a site id for {@code value}; same as the constructor. */
    public static SiteId of(long value) {
        return new SiteId(value);
    }

    /** Draws a new random site id from a {@link SecureRandom}. */
    public static SiteId random() {
        return random(new SecureRandom());
    }

    /**
     * Draws a new random site id, never 0.
     *
     * @param rng the source of randomness (a seeded one in deterministic tests), never null
     */
    public static SiteId random(RandomGenerator rng) {
        long v;
        do {
            v = rng.nextLong();
        } while (v == 0);
        return new SiteId(v);
    }

    /**
     * Parses the form {@link #toString()} produces: exactly 16 hexadecimal digits.
     *
     * @throws DittoException {@code INVALID_ARGUMENTS} if {@code hex} is not 16 hex digits or is all zeros
     */
    public static SiteId parse(String hex) {
        if (hex == null || hex.length() != 16) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "site id: expected 16 hex digits, got " + hex);
        }
        try {
            return new SiteId(HexFormat.fromHexDigitsToLong(hex));
        } catch (NumberFormatException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "site id: expected 16 hex digits, got " + hex, e);
        }
    }

    /** Returns the id as 16 lower-case hexadecimal digits. */
    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(value);
    }
}
