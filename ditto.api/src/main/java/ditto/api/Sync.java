package ditto.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Starts and stops replication with other peers and manages sync subscriptions; obtained from
 * {@link Ditto#sync()}.
 *
 * <p>While sync is active, the transports of the current {@link TransportConfig} run, this peer
 * connects to the peers they find, and each side sends the other the documents matching the
 * other side's subscriptions. Sync can be started and stopped any number of times; the store
 * stays usable locally while it is stopped. All methods are thread-safe. After the instance is
 * closed, {@link #isActive()} returns false, {@link #stop()} does nothing and every other method
 * throws {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface Sync {

    /**
     * Starts sync: starts the configured transports and begins replicating with the peers they
     * reach. Does nothing if sync is already active. Returns once the transports are starting;
     * connections are made in the background.
     *
     * @throws DittoException {@link ErrorCode#ACTIVATION} if a license is required and none is
     *         valid, {@link ErrorCode#EXPIRATION_HANDLER_NOT_SET} for a server connection without
     *         an expiration handler, {@link ErrorCode#CLOSED} if the instance is closed. A
     *         transport that fails to start does not fail this call; it is reported in
     *         {@link Ditto#transportDiagnostics()} and the log
     */
    void start();

    /**
     * Stops sync: closes every replication session and stops the transports. Subscriptions stay
     * registered and apply again at the next {@link #start()}. Does nothing if sync is not active
     * or the instance is closed.
     */
    void stop();

    /** Returns whether sync has been started and not stopped since; false after close. */
    boolean isActive();

    /**
     * Registers a subscription: peers will send this one every document matching the query, now
     * and as they change, for as long as the subscription is active. Allowed before
     * {@link #start()}. The arguments are copied.
     *
     * @param dql a SELECT statement, never null
     * @param args the query arguments, keyed by placeholder name without the leading ':', holding
     *        JSON-model values; never null (use an empty map for none)
     * @return the active subscription; cancel it to stop receiving updates
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} if the DQL does not parse,
     *         {@link ErrorCode#UNSUPPORTED} if it is not a SELECT, {@link ErrorCode#INVALID_ARGUMENTS}
     *         if an argument is missing or has an unsupported type, {@link ErrorCode#CLOSED} if the
     *         instance is closed
     * @throws NullPointerException if {@code dql} or {@code args} is null
     */
    SyncSubscription registerSubscription(String dql, Map<String, ?> args);

    /**
     * Registers a subscription without arguments; see {@link #registerSubscription(String, Map)}.
     *
     * @param dql a SELECT statement, never null
     * @return the active subscription
     */
    default SyncSubscription registerSubscription(String dql) {
        return registerSubscription(dql, Map.of());
    }

    /**
     * Registers a subscription whose arguments are several maps merged in order (a later map's
     * key replaces an earlier one's); see {@link #registerSubscription(String, Map)}.
     *
     * @param dql a SELECT statement, never null
     * @param args the argument maps, none of them null
     * @return the active subscription
     * @throws NullPointerException if {@code dql}, {@code args} or one of its maps is null
     */
    @SuppressWarnings("unchecked")
    default SyncSubscription registerSubscription(String dql, Map<String, ?>... args) {
        return registerSubscription(dql, JsonModelValues.mergeArguments(args));
    }

    /**
     * Returns the active subscriptions at the time of the call, in no defined order.
     *
     * @return an unmodifiable snapshot, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     */
    List<SyncSubscription> subscriptions();
}
