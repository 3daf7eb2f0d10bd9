package ditto.engine.crdt;

/**
 * The merge type of a field, as declared by DQL type hints ({@code COLLECTION c (f MAP, n COUNTER)}).
 *
 * <p>Undeclared fields are {@link #REGISTER}s, except objects, which are {@link #MAP}s unless strict
 * mode is on. An object carrying the attachment-token marker is always an {@link #ATTACHMENT}.
 */
public enum CrdtType {
    /** Last writer wins by timestamp; the value (scalar, array or object) is replaced whole. */
    REGISTER,
    /** Add-wins map: each key merges by its own type; an update concurrent with an UNSET survives. */
    MAP,
    /** Summed increments; RESTART is last-writer-wins among restarts and discards the increments it had seen. */
    COUNTER,
    /** Legacy summed counter (PN_INCREMENT); shares COUNTER's state and merge rule. */
    PN_COUNTER,
    /** Last writer wins on an attachment token (stored like a REGISTER object). */
    ATTACHMENT
}
