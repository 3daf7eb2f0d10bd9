package ditto.engine.sync;

import java.util.Map;

import ditto.api.Ditto;
import ditto.api.SyncSubscription;

/**
 * A registered subscription: the query as given, the arguments as given and as normalized, and
 * whether it was cancelled. Cancelling removes it from its {@link SyncImpl}, which tells peers.
 * Thread-safe (the cancelled flag is volatile; the rest is immutable).
 */
final class SyncSubscriptionImpl implements SyncSubscription {

    private final SyncImpl sync;
    private final String query;
    private final Map<String, Object> givenArguments;
    private final SyncEngine.Subscription subscription;
    private volatile boolean cancelled;

    SyncSubscriptionImpl(SyncImpl sync, String query, Map<String, Object> givenArguments,
            SyncEngine.Subscription subscription) {
        this.sync = sync;
        this.query = query;
        this.givenArguments = givenArguments;
        this.subscription = subscription;
    }

    SyncEngine.Subscription subscription() {
        return subscription;
    }

    /** Marks it cancelled without telling the sync (the instance is closing). */
    void markCancelled() {
        cancelled = true;
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        sync.remove(this);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Ditto ditto() {
        return sync.ditto();
    }

    @Override
    public String queryString() {
        return query;
    }

    @Override
    public Map<String, Object> queryArguments() {
        return givenArguments;
    }

    @Override
    public String toString() {
        return "SyncSubscription[" + query + (cancelled ? ", cancelled]" : "]");
    }
}
