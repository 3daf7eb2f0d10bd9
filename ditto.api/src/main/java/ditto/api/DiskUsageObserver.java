package ditto.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The handle of a callback registered with {@link DiskUsage#registerObserver}. Keep it for as
 * long as the callback should run. Thread-safe.
 */
@ProviderType
public interface DiskUsageObserver extends AutoCloseable {

    /** Stops the callbacks; a callback already running finishes. Idempotent. */
    void cancel();

    /** Returns whether the observer was cancelled (directly or by closing the instance). */
    boolean isCanceled();

    /** Same as {@link #cancel()}; idempotent. */
    @Override
    default void close() {
        cancel();
    }
}
