package ditto.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells a store observer registered with a {@code BiConsumer<QueryResult, SignalNext>} that the
 * application is ready for the next result. Until it is called the observer delivers nothing;
 * changes in the meantime are coalesced into that next result. Calling it more than once per
 * delivery, or after the observer was cancelled, does nothing. May be called from any thread,
 * inside or after the callback.
 */
@ProviderType
@FunctionalInterface
public interface SignalNext {

    /** Allows the next delivery. */
    void run();
}
