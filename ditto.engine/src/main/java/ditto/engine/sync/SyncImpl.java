package ditto.engine.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.Sync;
import ditto.api.SyncSubscription;
import ditto.engine.dql.Dql;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Statement;
import ditto.engine.store.StoreImpl;

/**
 * The application's {@link Sync}: checks and registers subscriptions, starts and stops the
 * instance's {@link SyncEngine}, and provides {@code system:data_sync_info}.
 *
 * <p>Subscriptions live in memory per instance (as in the reference SDK, an application
 * registers them again after opening); they may be registered before {@link #start()} and stay
 * registered across stop and start. Starting checks, through the {@link Environment}, what may
 * prevent sync (activation, a server connection) and then starts the engine with this peer's
 * identity, the TLS channel factory and the transports. Thread-safe: registration and
 * cancellation are serialized on this object, so peers learn subscription sets in order.
 */
public final class SyncImpl implements Sync, AutoCloseable {

    /** The virtual collection with one row per remote peer. */
    public static final String DATA_SYNC_INFO = "system:data_sync_info";

    /** What starting sync needs from the instance. */
    public interface Environment {

        /**
         * Throws if sync may not start now.
         *
         * @throws DittoException {@code ACTIVATION} when a license is required and none is valid,
         *         {@code UNSUPPORTED} or {@code EXPIRATION_HANDLER_NOT_SET} for a server connection
         */
        void checkStartable();

        /** Returns who this peer is on the wire, read at each start (the device name may have changed). */
        SyncEngine.LocalPeer localPeer();

        /** Returns how links become secure channels. */
        ChannelFactory channels();

        /** Returns the instance's transports. */
        LinkSource links();
    }

    private final Ditto ditto;
    private final Runnable checkOpen;
    private final StoreImpl store;
    private final SyncEngine engine;
    private final Environment environment;
    private final List<SyncSubscriptionImpl> subscriptions = new ArrayList<>();
    private boolean closed;

    /**
     * Creates the sync of an instance and registers {@value #DATA_SYNC_INFO} with its store.
     *
     * @param ditto the instance, for {@link SyncSubscription#ditto()}
     * @param checkOpen throws {@link ErrorCode#CLOSED} once the instance is closed
     * @param store the instance's store
     * @param engine the replication engine; closed by {@link #close()}
     * @param environment what starting needs
     */
    public SyncImpl(Ditto ditto, Runnable checkOpen, StoreImpl store, SyncEngine engine, Environment environment) {
        this.ditto = Objects.requireNonNull(ditto, "ditto");
        this.checkOpen = Objects.requireNonNull(checkOpen, "checkOpen");
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.environment = Objects.requireNonNull(environment, "environment");
        store.registerVirtualCollection(DATA_SYNC_INFO, engine::dataSyncInfo);
    }

    @Override
    public void start() {
        checkOpen.run();
        if (engine.isActive()) {
            return;
        }
        environment.checkStartable();
        engine.start(environment.localPeer(), environment.channels(), environment.links());
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        engine.stop();
    }

    @Override
    public boolean isActive() {
        synchronized (this) {
            if (closed) {
                return false;
            }
        }
        return engine.isActive();
    }

    @Override
    public SyncSubscription registerSubscription(String dql, Map<String, ?> args) {
        Objects.requireNonNull(dql, "dql");
        Objects.requireNonNull(args, "args");
        checkOpen.run();
        Statement statement = store.cache().parse(dql);
        Dql.requireSelect(statement, "registerSubscription");
        Statement.Select select = (Statement.Select) statement;
        if (select.from().isVirtual()) {
            throw new DittoException(ErrorCode.UNSUPPORTED, "registerSubscription: " + select.from().name()
                    + " is a system collection, which does not sync");
        }
        if (store.settings().restrictSubscriptions()
                && (!select.orderBy().isEmpty() || select.limit() != null || select.offset() != null)) {
            throw new DittoException(ErrorCode.UNSUPPORTED, "registerSubscription: ORDER BY, LIMIT and OFFSET are not"
                    + " allowed in subscriptions while DQL_RESTRICT_SUBSCRIPTIONS is true");
        }
        EvalContext context = EvalContext.of(args);
        context.requireParameters(select);
        Map<String, Object> normalized = context.arguments();
        // Fails now (INVALID_ARGUMENTS) if an argument cannot travel on the wire.
        LocalQuery.of(dql, normalized, select.from().name(), 0);
        Map<String, Object> given = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        SyncSubscriptionImpl subscription = new SyncSubscriptionImpl(this, dql, given,
                new SyncEngine.Subscription(dql, normalized, select.from().name()));
        synchronized (this) {
            checkOpen.run();
            subscriptions.add(subscription);
            publish();
        }
        return subscription;
    }

    @Override
    public List<SyncSubscription> subscriptions() {
        checkOpen.run();
        synchronized (this) {
            return List.copyOf(subscriptions);
        }
    }

    /** Returns the instance. */
    Ditto ditto() {
        return ditto;
    }

    /** Returns the engine (tests and diagnostics). */
    public SyncEngine engine() {
        return engine;
    }

    void remove(SyncSubscriptionImpl subscription) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (subscriptions.remove(subscription)) {
                publish();
            }
        }
    }

    /** Cancels every subscription and closes the engine (the instance is closing). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (SyncSubscriptionImpl s : subscriptions) {
                s.markCancelled();
            }
            subscriptions.clear();
        }
        engine.close();
    }

    private void publish() {
        List<SyncEngine.Subscription> current = new ArrayList<>(subscriptions.size());
        for (SyncSubscriptionImpl s : subscriptions) {
            current.add(s.subscription());
        }
        engine.setSubscriptions(current);
    }
}
