package ditto.transport.ble;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Splits the frames of one link direction into chunks of at most {@link #mtu()} bytes, in the
 * chunk format described in the package documentation ({@link ChunkHeader}).
 *
 * <p>Role and invariants: one fragmenter per sending direction of a link; it numbers every chunk
 * it produces with a running 6-bit sequence number, so the chunks of consecutive frames must be
 * sent in the order {@link #split} returns them and no chunk may be dropped. Not thread-safe: the
 * link's single sending thread owns it.
 */
final class Fragmenter {
    private final int mtu;
    private final int maxFrameSize;
    private int nextSequence;

    /**
     * Creates a fragmenter.
     *
     * @param mtu the largest chunk, header included, in bytes; between {@link ChunkHeader#MIN_MTU}
     *        and {@link ChunkHeader#MAX_MTU}
     * @param maxFrameSize the largest frame accepted by {@link #split}, in bytes; positive
     * @throws DittoException {@code INVALID_ARGUMENTS} if a limit is out of range
     */
    Fragmenter(int mtu, int maxFrameSize) {
        ChunkHeader.checkLimits(mtu, maxFrameSize);
        this.mtu = mtu;
        this.maxFrameSize = maxFrameSize;
    }

    /** Returns the largest chunk this fragmenter produces, header included, in bytes. */
    int mtu() {
        return mtu;
    }

    /**
     * Splits one frame into chunks. The frame's position is left unchanged.
     *
     * @param frame the bytes between position and limit, at most the maximum frame size
     * @return the chunks, in sending order, each a new buffer ready to read; never empty
     * @throws DittoException {@code INVALID_ARGUMENTS} if the frame is larger than the maximum
     *         frame size
     */
    List<ByteBuffer> split(ByteBuffer frame) {
        ByteBuffer source = frame.duplicate();
        int total = source.remaining();
        if (total > maxFrameSize) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "ble fragmenter: frame of " + total + " bytes exceeds the maximum of " + maxFrameSize + " bytes");
        }
        List<ByteBuffer> chunks = new ArrayList<>();
        if (total <= mtu - ChunkHeader.HEADER_SIZE) {
            chunks.add(chunk(ChunkHeader.KIND_ONLY, source, total, -1));
            return chunks;
        }
        int firstPayload = mtu - ChunkHeader.FIRST_HEADER_SIZE;
        chunks.add(chunk(ChunkHeader.KIND_FIRST, source, firstPayload, total));
        int perChunk = mtu - ChunkHeader.HEADER_SIZE;
        while (source.hasRemaining()) {
            int length = Math.min(perChunk, source.remaining());
            int kind = length == source.remaining() ? ChunkHeader.KIND_LAST : ChunkHeader.KIND_MIDDLE;
            chunks.add(chunk(kind, source, length, -1));
        }
        return chunks;
    }

    private ByteBuffer chunk(int kind, ByteBuffer source, int payloadLength, int totalLength) {
        boolean first = kind == ChunkHeader.KIND_FIRST;
        ByteBuffer chunk = ByteBuffer.allocate(
                (first ? ChunkHeader.FIRST_HEADER_SIZE : ChunkHeader.HEADER_SIZE) + payloadLength);
        chunk.put(ChunkHeader.headerByte(kind, nextSequence));
        nextSequence = (nextSequence + 1) & ChunkHeader.SEQUENCE_MASK;
        if (first) {
            chunk.putInt(totalLength);
        }
        ByteBuffer slice = source.slice();
        slice.limit(payloadLength);
        chunk.put(slice);
        source.position(source.position() + payloadLength);
        return chunk.flip();
    }
}
