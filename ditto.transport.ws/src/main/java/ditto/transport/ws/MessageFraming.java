package ditto.transport.ws;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Maps Ditto frames onto binary WebSocket messages of at most {@link #MESSAGE_LIMIT} bytes and
 * back, with the one-byte marker described in the package documentation.
 *
 * <p>Role and invariants: {@link #split} is stateless. A {@link Joiner} belongs to the receiving
 * side of one link and is driven by one thread at a time: it checks a split frame's declared
 * total length against the maximum frame size before allocating, never lets a frame grow past
 * its declared length, and after the first refused message refuses every later one.
 */
final class MessageFraming {
    /** The largest WebSocket message either side sends or accepts: 64 KiB, marker included. */
    static final int MESSAGE_LIMIT = 64 * 1024;
    /** Marker of a message that carries one whole frame. */
    static final byte WHOLE = 0x00;
    /** Marker of the first message of a split frame; a 4-byte big-endian total length follows. */
    static final byte FIRST = 0x01;
    /** Marker of a message that continues a split frame. */
    static final byte MORE = 0x02;

    private static final int FIRST_HEADER = 5;

    private MessageFraming() {
    }

    /**
     * Splits a frame into messages. The frame's position is left unchanged.
     *
     * @param frame the bytes between position and limit; the caller has checked its size
     * @return the messages in sending order, each a new buffer ready to read
     */
    static List<ByteBuffer> split(ByteBuffer frame) {
        ByteBuffer source = frame.duplicate();
        int total = source.remaining();
        List<ByteBuffer> messages = new ArrayList<>();
        if (total <= MESSAGE_LIMIT - 1) {
            messages.add(message(WHOLE, source, total, -1));
            return messages;
        }
        messages.add(message(FIRST, source, MESSAGE_LIMIT - FIRST_HEADER, total));
        while (source.hasRemaining()) {
            messages.add(message(MORE, source, Math.min(MESSAGE_LIMIT - 1, source.remaining()), -1));
        }
        return messages;
    }

    private static ByteBuffer message(byte marker, ByteBuffer source, int payload, int total) {
        ByteBuffer message = ByteBuffer.allocate((marker == FIRST ? FIRST_HEADER : 1) + payload);
        message.put(marker);
        if (marker == FIRST) {
            message.putInt(total);
        }
        ByteBuffer slice = source.slice();
        slice.limit(payload);
        message.put(slice);
        source.position(source.position() + payload);
        return message.flip();
    }

    /** Rejoins the messages of one link into frames; see {@link MessageFraming}. */
    static final class Joiner {
        private final int maxFrameSize;
        private ByteBuffer pending;
        private String failure;

        Joiner(int maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
        }

        /**
         * Takes the next message.
         *
         * @param message the message bytes between position and limit; consumed
         * @return the whole frame when this message completes one, empty while one is incomplete
         * @throws DittoException {@code PROTOCOL} if the message is empty, too long, carries an
         *         unknown marker, a marker not allowed at this point, a declared length above the
         *         maximum frame size or not above the first payload, or overruns the declared
         *         length; also for every message after a refused one
         */
        Optional<ByteBuffer> accept(ByteBuffer message) {
            if (failure != null) {
                throw new DittoException(ErrorCode.PROTOCOL, "ws framing: refused after an earlier error (" + failure + ")");
            }
            try {
                return acceptChecked(message);
            } catch (DittoException e) {
                failure = e.getMessage();
                pending = null;
                throw e;
            }
        }

        private Optional<ByteBuffer> acceptChecked(ByteBuffer message) {
            int length = message.remaining();
            if (length == 0) {
                throw refused("empty message");
            }
            if (length > MESSAGE_LIMIT) {
                throw refused("message of " + length + " bytes exceeds the limit of " + MESSAGE_LIMIT + " bytes");
            }
            byte marker = message.get();
            switch (marker) {
                case WHOLE -> {
                    requireIdle("WHOLE");
                    if (message.remaining() > maxFrameSize) {
                        throw refused("frame of " + message.remaining() + " bytes exceeds the maximum of "
                                + maxFrameSize + " bytes");
                    }
                    ByteBuffer frame = ByteBuffer.allocate(message.remaining());
                    return Optional.of(frame.put(message).flip());
                }
                case FIRST -> {
                    requireIdle("FIRST");
                    if (message.remaining() < Integer.BYTES) {
                        throw refused("FIRST message too short to hold the frame length");
                    }
                    long total = Integer.toUnsignedLong(message.getInt());
                    if (total > maxFrameSize) {
                        throw refused("declared frame of " + total + " bytes exceeds the maximum of "
                                + maxFrameSize + " bytes");
                    }
                    if (total <= message.remaining()) {
                        throw refused("FIRST message declares " + total + " bytes but already carries "
                                + message.remaining());
                    }
                    pending = ByteBuffer.allocate((int) total);
                    pending.put(message);
                    return Optional.empty();
                }
                case MORE -> {
                    if (pending == null) {
                        throw refused("MORE message without a FIRST message");
                    }
                    if (!message.hasRemaining()) {
                        throw refused("MORE message without payload");
                    }
                    if (message.remaining() > pending.remaining()) {
                        throw refused("message overruns the declared frame length of " + pending.capacity() + " bytes");
                    }
                    pending.put(message);
                    if (pending.hasRemaining()) {
                        return Optional.empty();
                    }
                    ByteBuffer frame = pending.flip();
                    pending = null;
                    return Optional.of(frame);
                }
                default -> throw refused(String.format("unknown marker 0x%02x", marker & 0xFF));
            }
        }

        private void requireIdle(String marker) {
            if (pending != null) {
                throw refused(marker + " message while " + pending.remaining()
                        + " bytes of the previous frame are missing");
            }
        }

        private static DittoException refused(String why) {
            return new DittoException(ErrorCode.PROTOCOL, "ws framing: " + why);
        }
    }
}
