package ditto.transport.ble;

import java.nio.ByteBuffer;
import java.util.Optional;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Rejoins the chunks a {@link Fragmenter} produced into whole frames, refusing anything a
 * well-behaved fragmenter would not send.
 *
 * <p>Role and invariants: one reassembler per receiving direction of a link. It expects the
 * running sequence number to advance by one per chunk (modulo 64), so a lost, repeated or
 * reordered chunk is detected. A frame's buffer is allocated only after its declared total
 * length has been checked against the maximum frame size, and it never grows beyond that
 * length. After the first refused chunk the reassembler is failed: every later chunk is refused
 * too, and the caller closes the link. Not thread-safe: the link's single receiving thread owns
 * it.
 */
final class Reassembler {
    private final int mtu;
    private final int maxFrameSize;
    private int expectedSequence;
    private ByteBuffer pending;
    private String failure;

    /**
     * Creates a reassembler.
     *
     * @param mtu the largest chunk accepted, header included, in bytes; between
     *        {@link ChunkHeader#MIN_MTU} and {@link ChunkHeader#MAX_MTU}
     * @param maxFrameSize the largest frame accepted, in bytes; positive
     * @throws DittoException {@code INVALID_ARGUMENTS} if a limit is out of range
     */
    Reassembler(int mtu, int maxFrameSize) {
        ChunkHeader.checkLimits(mtu, maxFrameSize);
        this.mtu = mtu;
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Takes the next chunk.
     *
     * @param chunk the chunk's bytes between position and limit; consumed
     * @return the whole frame when this chunk completes one (a new buffer ready to read), empty
     *         while a frame is still incomplete
     * @throws DittoException {@code PROTOCOL} if the chunk is empty, longer than the MTU, out of
     *         sequence, of a kind not allowed at this point, declares a frame larger than the
     *         maximum, overruns or underruns the declared length, or if an earlier chunk was
     *         refused
     */
    Optional<ByteBuffer> accept(ByteBuffer chunk) {
        if (failure != null) {
            throw new DittoException(ErrorCode.PROTOCOL, "ble reassembler: refused after an earlier error (" + failure + ")");
        }
        try {
            return acceptChecked(chunk);
        } catch (DittoException e) {
            failure = e.getMessage();
            pending = null;
            throw e;
        }
    }

    /** Tells whether part of a frame has arrived and the rest is awaited. */
    boolean isAssembling() {
        return pending != null;
    }

    private Optional<ByteBuffer> acceptChecked(ByteBuffer chunk) {
        int length = chunk.remaining();
        if (length == 0) {
            throw refused("empty chunk");
        }
        if (length > mtu) {
            throw refused("chunk of " + length + " bytes exceeds the mtu of " + mtu + " bytes");
        }
        byte header = chunk.get();
        int kind = ChunkHeader.kind(header);
        int sequence = ChunkHeader.sequence(header);
        if (sequence != expectedSequence) {
            throw refused("chunk out of sequence: expected " + expectedSequence + ", got " + sequence);
        }
        expectedSequence = (expectedSequence + 1) & ChunkHeader.SEQUENCE_MASK;
        switch (kind) {
            case ChunkHeader.KIND_ONLY -> {
                requireIdle(kind);
                ByteBuffer frame = ByteBuffer.allocate(chunk.remaining());
                frame.put(chunk);
                return Optional.of(frame.flip());
            }
            case ChunkHeader.KIND_FIRST -> {
                requireIdle(kind);
                if (chunk.remaining() < Integer.BYTES) {
                    throw refused("FIRST chunk too short to hold the frame length");
                }
                long total = Integer.toUnsignedLong(chunk.getInt());
                if (total > maxFrameSize) {
                    throw refused("declared frame of " + total + " bytes exceeds the maximum of " + maxFrameSize + " bytes");
                }
                if (total <= chunk.remaining()) {
                    throw refused("FIRST chunk declares " + total + " bytes but already carries " + chunk.remaining());
                }
                pending = ByteBuffer.allocate((int) total);
                pending.put(chunk);
                return Optional.empty();
            }
            default -> {
                if (pending == null) {
                    throw refused(ChunkHeader.kindName(kind) + " chunk without a FIRST chunk");
                }
                int payload = chunk.remaining();
                if (payload == 0) {
                    throw refused(ChunkHeader.kindName(kind) + " chunk without payload");
                }
                if (payload > pending.remaining()) {
                    throw refused("chunk overruns the declared frame length of " + pending.capacity() + " bytes");
                }
                boolean completes = payload == pending.remaining();
                if (kind == ChunkHeader.KIND_MIDDLE && completes) {
                    throw refused("MIDDLE chunk completes the frame; expected a LAST chunk");
                }
                if (kind == ChunkHeader.KIND_LAST && !completes) {
                    throw refused("LAST chunk leaves " + (pending.remaining() - payload) + " bytes of the frame missing");
                }
                pending.put(chunk);
                if (!completes) {
                    return Optional.empty();
                }
                ByteBuffer frame = pending.flip();
                pending = null;
                return Optional.of(frame);
            }
        }
    }

    private void requireIdle(int kind) {
        if (pending != null) {
            throw refused(ChunkHeader.kindName(kind) + " chunk while " + pending.remaining()
                    + " bytes of the previous frame are missing");
        }
    }

    private static DittoException refused(String why) {
        return new DittoException(ErrorCode.PROTOCOL, "ble reassembler: " + why);
    }
}
