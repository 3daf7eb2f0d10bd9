package ditto.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A live SELECT query: its callback receives the query's full result soon after registration
 * and again whenever a change to the local store (a local write or one received by sync) changes
 * that result. Created with {@link Store#registerObserver}.
 *
 * <p>The observer stays active until {@link #cancel()} or until the Ditto instance closes. To
 * learn what changed between two results, feed them to a {@link Differ}. Thread-safe.
 */
@ProviderType
public interface StoreObserver extends AutoCloseable {

    /**
     * Stops the observer: no callback starts after this returns (one already running
     * finishes). Idempotent.
     */
    void cancel();

    /**
     * Runs an action once, on an engine thread, when this observer is cancelled (directly or by
     * closing the instance), or soon after this call if it already is. A callback in progress may
     * still be running when the action runs; none starts afterwards. An exception thrown by the
     * action is logged and otherwise ignored.
     *
     * @param action the action, never null
     * @throws NullPointerException if {@code action} is null
     */
    void onCancel(Runnable action);

    /** Returns whether the observer was cancelled, directly or by closing the instance. */
    boolean isCanceled();

    /** Returns the instance this observer belongs to, never null (also after close). */
    Ditto ditto();

    /** Returns the DQL text given at registration, never null. */
    String queryString();

    /**
     * Returns the query arguments given at registration.
     *
     * @return an unmodifiable copy, never null, empty when there were none
     */
    Map<String, Object> queryArguments();

    /** Same as {@link #cancel()}; idempotent. */
    @Override
    default void close() {
        cancel();
    }
}
