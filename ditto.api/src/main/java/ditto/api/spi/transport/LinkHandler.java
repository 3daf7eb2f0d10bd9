package ditto.api.spi.transport;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives the frames of one link; implemented by the engine.
 *
 * <p>The transport calls {@link #onFrame} for each whole frame, in the order the remote sent
 * them, from one thread at a time per link, and calls {@link #onClosed} exactly once when the
 * link ends, after the last frame. Neither method throws.
 */
@ProviderType
public interface LinkHandler {

    /**
     * Delivers one whole frame.
     *
     * @param frame the frame's bytes between position and limit; the engine may keep the buffer,
     *        so the transport must not reuse it; never null
     */
    void onFrame(ByteBuffer frame);

    /**
     * Reports that the link is closed, by either side or by failure.
     *
     * @param cause the failure that closed the link, or null for an orderly close
     */
    void onClosed(Throwable cause);
}
