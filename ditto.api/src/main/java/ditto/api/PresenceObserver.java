package ditto.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A registration made with {@link Presence#observe(java.util.function.Consumer)}; keep it as
 * long as updates are wanted. Thread-safe.
 */
@ProviderType
public interface PresenceObserver extends AutoCloseable {

    /**
     * Stops the updates. A delivery already running finishes; no new one starts after this
     * returns. Idempotent; closing the Ditto instance stops every observer.
     */
    void stop();

    /** Returns whether {@link #stop()} was called or the Ditto instance was closed. */
    boolean isStopped();

    /** Same as {@link #stop()}; idempotent. */
    @Override
    default void close() {
        stop();
    }
}
