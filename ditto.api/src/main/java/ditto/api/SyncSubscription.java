package ditto.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A query whose matching documents this peer asks other peers to send; created with
 * {@link Sync#registerSubscription}. It stays active until {@link #cancel()} or until the Ditto
 * instance closes. Cancelling it does not remove documents already received. Thread-safe.
 */
@ProviderType
public interface SyncSubscription extends AutoCloseable {

    /** Stops the subscription; peers are told at the next exchange. Idempotent. */
    void cancel();

    /** Returns whether the subscription was cancelled (directly or by closing the instance). */
    boolean isCancelled();

    /** Returns the instance this subscription belongs to, never null (also after close). */
    Ditto ditto();

    /** Returns the DQL text given at registration, never null. */
    String queryString();

    /**
     * Returns the merged query arguments given at registration.
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
