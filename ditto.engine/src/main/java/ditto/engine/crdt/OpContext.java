package ditto.engine.crdt;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.util.Objects;

/**
 * What a local write needs besides its arguments: its timestamp (which is also its dot, its
 * identity in causal contexts) and whether DQL strict mode is on.
 *
 * <p>Take one timestamp from {@link HybridClock#now()} per write transaction (or per statement);
 * all operations of that transaction on one document may share it. Never reuse a timestamp for
 * another commit: two different states under one dot break convergence.
 *
 * @param timestamp the operation's timestamp, never null and never {@link Timestamp#ZERO}
 * @param strictMode DQL_STRICT_MODE: when true, objects written without a MAP type hint are
 *     registers (replaced whole); when false (the default) they are add-wins maps
 */
public record OpContext(Timestamp timestamp, boolean strictMode) {

    /**
     * Validates the timestamp.
     *
     * @throws DittoException {@code INVALID_ARGUMENTS} if the timestamp has site 0 or clock value 0
     */
    public OpContext {
        Objects.requireNonNull(timestamp, "timestamp");
        if (timestamp.site() == 0 || timestamp.hlc() == 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "operation context: timestamp " + timestamp + " is reserved for initial documents");
        }
    }

    /** Returns a non-strict context for {@code timestamp}. */
    public static OpContext of(Timestamp timestamp) {
        return new OpContext(timestamp, false);
    }
}
