package ditto.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The handle of a callback registered with {@link Authenticator#observeStatus}. Keep it for as
 * long as the callback should run. Thread-safe.
 */
@ProviderType
public interface AuthenticationStatusObserver extends AutoCloseable {

    /**
     * Stops the callbacks. A callback already running finishes; no later one starts. Idempotent.
     */
    void cancel();

    /** Returns whether {@link #cancel()} (or {@link #close()}) was called or the instance closed. */
    boolean isCanceled();

    /** Same as {@link #cancel()}; idempotent. */
    @Override
    default void close() {
        cancel();
    }
}
