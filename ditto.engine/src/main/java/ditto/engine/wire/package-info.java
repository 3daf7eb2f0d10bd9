/**
 * The replication wire protocol: the messages two peers exchange over a link, their versioned,
 * bounded CBOR encoding, and the frame envelope (format byte, message, CRC-32C). See
 * {@code docs/protocol.md}.
 *
 * <p>Everything here treats input as hostile: every length, count and nesting depth is checked
 * against {@link ditto.engine.wire.WireLimits} and against the bytes actually present before
 * anything is allocated for it, and every problem is a {@link ditto.api.DittoException} with
 * {@link ditto.api.ErrorCode#PROTOCOL}. Stateless and thread-safe; engine-internal (not exported).
 */
package ditto.engine.wire;
