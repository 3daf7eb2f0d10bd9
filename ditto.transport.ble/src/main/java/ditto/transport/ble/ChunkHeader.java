package ditto.transport.ble;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Constants and helpers of the Bluetooth LE chunk format shared by {@link Fragmenter} and
 * {@link Reassembler}; the format itself is documented in the package documentation.
 *
 * <p>Role and invariants: the header byte holds the chunk kind in bits 7–6 and the sequence
 * number in bits 5–0; a FIRST chunk follows it with the frame's total length as a 4-byte
 * big-endian unsigned integer. Stateless.
 */
final class ChunkHeader {
    /** A chunk that carries a whole frame. */
    static final int KIND_ONLY = 0;
    /** The first chunk of a frame split over several chunks; carries the total length. */
    static final int KIND_FIRST = 1;
    /** A chunk between the first and the last of a split frame. */
    static final int KIND_MIDDLE = 2;
    /** The last chunk of a split frame. */
    static final int KIND_LAST = 3;

    /** Bytes of the header of every chunk kind except FIRST. */
    static final int HEADER_SIZE = 1;
    /** Bytes of the header of a FIRST chunk: the header byte and the total length. */
    static final int FIRST_HEADER_SIZE = 5;
    /** Mask of the sequence number bits; sequence numbers count modulo 64. */
    static final int SEQUENCE_MASK = 0x3F;
    /** The smallest usable MTU: a FIRST header plus one payload byte. */
    static final int MIN_MTU = FIRST_HEADER_SIZE + 1;
    /** The largest MTU accepted; above any Bluetooth LE ATT MTU (517). */
    static final int MAX_MTU = 65_535;

    private ChunkHeader() {
    }

    static byte headerByte(int kind, int sequence) {
        return (byte) ((kind << 6) | (sequence & SEQUENCE_MASK));
    }

    static int kind(byte header) {
        return (header >> 6) & 0x3;
    }

    static int sequence(byte header) {
        return header & SEQUENCE_MASK;
    }

    static String kindName(int kind) {
        return switch (kind) {
            case KIND_ONLY -> "ONLY";
            case KIND_FIRST -> "FIRST";
            case KIND_MIDDLE -> "MIDDLE";
            default -> "LAST";
        };
    }

    static void checkLimits(int mtu, int maxFrameSize) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "ble framing: mtu " + mtu + " is outside " + MIN_MTU + ".." + MAX_MTU);
        }
        if (maxFrameSize <= 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "ble framing: maximum frame size " + maxFrameSize + " is not positive");
        }
    }
}
