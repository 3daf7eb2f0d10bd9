package ditto.engine.crdt;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Thrown by {@link HybridClock#observe(long)} when a received timestamp lies further in the future
 * than the clock's allowed drift. The code is {@link ErrorCode#PROTOCOL}: the data carrying the
 * timestamp must be rejected, not merged, so one peer with a wrong (or hostile) clock cannot drag
 * every other peer's clock forward.
 */
public final class ClockDriftException extends DittoException {
    private static final long serialVersionUID = 1L;

    private final long remoteHlc;
    private final long limitHlc;

    ClockDriftException(long remoteHlc, long limitHlc) {
        super(ErrorCode.PROTOCOL, "clock: received timestamp " + HybridClock.physicalOf(remoteHlc)
                + " ms is more than the allowed drift ahead of local time (limit " + HybridClock.physicalOf(limitHlc) + " ms)");
        this.remoteHlc = remoteHlc;
        this.limitHlc = limitHlc;
    }

    /** Returns the rejected hybrid-logical-clock value. */
    public long remoteHlc() {
        return remoteHlc;
    }

    /** Returns the greatest value the clock would have accepted at the time. */
    public long limitHlc() {
        return limitHlc;
    }
}
