package ditto.api.spi.transport;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

import ditto.api.ConnectionType;

/**
 * A bidirectional, ordered, reliable channel of whole frames to one remote endpoint.
 *
 * <p>A frame sent with {@link #send} arrives at the remote as one frame with the same bytes, after
 * every frame sent before it, or the link closes. Frames are at most {@link #maxFrameSize()}
 * bytes; the engine never sends larger ones. Implementations are thread-safe: {@code send} may be
 * called from several engine threads and never blocks on the network (frames are queued; the
 * queue is bounded by {@link #maxQueuedBytes()}).
 */
@ConsumerType
public interface Link extends AutoCloseable {

    /**
     * Returns an id for this link, unique within its transport for the transport's lifetime.
     *
     * @return the id, never null
     */
    String id();

    /**
     * Returns the connection type of this link.
     *
     * @return the type, never null
     */
    ConnectionType connectionType();

    /**
     * Tells whether the remote opened this link (true) or this peer did (false).
     *
     * @return true for an accepted link
     */
    boolean isIncoming();

    /**
     * Returns a human-readable description of the remote end, such as {@code "127.0.0.1:4040"} or
     * {@code "wss://example.com/sync"}, for logs and diagnostics.
     *
     * @return the description, never null
     */
    String remoteDescription();

    /**
     * Returns the largest frame, in bytes, this link carries.
     *
     * @return a positive number of bytes
     */
    int maxFrameSize();

    /**
     * Returns how many bytes may wait in the send queue before {@link #send} refuses frames.
     *
     * @return a positive number of bytes
     */
    long maxQueuedBytes();

    /**
     * Returns how many bytes are queued and not yet handed to the network.
     *
     * @return a number of bytes, zero or more
     */
    long queuedBytes();

    /**
     * Queues one frame for sending.
     *
     * @param frame the bytes between position and limit; the link takes ownership of the buffer
     * @throws ditto.api.DittoException {@code TRANSPORT} if the link is closed or its queue is full,
     *         {@code INVALID_ARGUMENTS} if the frame is larger than {@link #maxFrameSize()}
     */
    void send(ByteBuffer frame);

    /**
     * Tells whether the link is open.
     *
     * @return false once closed by either side
     */
    boolean isOpen();

    /** Closes the link after trying to flush queued frames briefly; idempotent. */
    @Override
    void close();
}
