package ditto.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Follows the fetch of one attachment, created by {@link Store#fetchAttachment}. The fetch does
 * not begin until {@link #start()} is called; it then runs in the background, reporting to the
 * callback given at creation: any number of progress events, then exactly one terminal event
 * (completed, failed or canceled). Thread-safe: every method may be called from any thread.
 */
@ProviderType
public interface AttachmentFetcher extends AutoCloseable {

    /**
     * Begins fetching: from the local store if the attachment is there (completing at once),
     * otherwise from connected peers as they offer it.
     *
     * @throws DittoException {@link ErrorCode#ATTACHMENT} if the fetcher was already started or
     *         was canceled, {@link ErrorCode#CLOSED} if the instance is closed
     */
    void start();

    /**
     * Stops fetching. If the fetch had not reached a terminal event, the callback receives a
     * {@linkplain AttachmentFetchEvent.Type#CANCELED canceled} event (also when it was never
     * started). Idempotent; does nothing after a terminal event. A canceled fetcher cannot be
     * restarted.
     */
    void cancel();

    /** Returns the bytes received so far, from 0 to {@link #totalBytes()}. */
    long bytesDownloaded();

    /** Returns the attachment's size in bytes, known from the token before the fetch begins. */
    long totalBytes();

    /**
     * Returns the fraction fetched, from 0.0 (nothing yet) to 1.0 (complete); 1.0 for an empty
     * attachment once completed.
     */
    double progress();

    /** Returns whether the fetch completed successfully; false if it failed or was canceled. */
    boolean isCompleted();

    /** Returns the token of the attachment being fetched, never null. */
    AttachmentToken token();

    /** Same as {@link #cancel()}; idempotent. */
    @Override
    default void close() {
        cancel();
    }
}
