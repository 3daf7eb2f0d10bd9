package ditto.api;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An open Ditto database: the entry point to the store, sync, presence and everything else.
 *
 * <p>Open one with {@link #open(DittoConfig)} (module path or class path) or, inside an OSGi
 * framework, through the engine's {@link DittoFactory} service. Close it when done: closing stops
 * sync, cancels every observer and subscription, closes network links, flushes data and releases
 * the persistence directory so another instance may open it.
 *
 * <p>Threading: every method may be called from any thread. Callbacks registered through this
 * instance run on engine threads, never on the caller's.
 *
 * <p>After {@link #close()}, {@link #close()}, {@link #isClosed()}, {@link #config()},
 * {@link #databaseId()} and {@link #absolutePersistenceDirectory()} keep answering; every other
 * method throws {@link DittoException} with {@link ErrorCode#CLOSED}, and so do the components it
 * handed out ({@link Store}, {@link Sync}, …) except where their documentation says otherwise.
 */
@ProviderType
public interface Ditto extends AutoCloseable {

    /**
     * Opens a Ditto instance, finding the engine with {@link ServiceLoader}.
     *
     * <p>The engine's {@link DittoFactory} is looked up first with the thread context class
     * loader (which on the module path finds every module that {@code provides} it), then with
     * this API's own class loader (class-path applications whose context loader cannot see the
     * engine). The first factory found opens the instance. Inside an OSGi framework
     * {@code ServiceLoader} cannot see other bundles; take the {@code ditto.api.DittoFactory}
     * service instead. The call blocks until the store is open.
     *
     * @param config the configuration, never null; checked with {@link DittoConfig#validate()}
     * @return the open instance; the caller must close it
     * @throws DittoException {@link ErrorCode#NOT_AVAILABLE} if no engine is on the module or class
     *         path (or its factory cannot be instantiated), {@link ErrorCode#INVALID_CONFIG} if the
     *         configuration is invalid, {@link ErrorCode#PERSISTENCE_DIRECTORY} if the directory is
     *         used by another open instance or unusable
     * @throws NullPointerException if {@code config} is null
     */
    static Ditto open(DittoConfig config) {
        Objects.requireNonNull(config, "config");
        config.validate();
        DittoFactory factory = findFactory(ServiceLoader.load(DittoFactory.class));
        if (factory == null) {
            factory = findFactory(ServiceLoader.load(DittoFactory.class, Ditto.class.getClassLoader()));
        }
        if (factory == null) {
            throw new DittoException(ErrorCode.NOT_AVAILABLE, "open: no Ditto engine was found on the module path"
                    + " or class path (add the ditto.engine module); inside OSGi applications take the"
                    + " ditto.api.DittoFactory service instead of calling Ditto.open");
        }
        return factory.open(config);
    }

    /**
     * Returns the first factory the loader yields, or null if it yields none.
     *
     * @throws DittoException {@link ErrorCode#NOT_AVAILABLE} if a provider is declared but
     *         cannot be loaded or instantiated
     */
    private static DittoFactory findFactory(ServiceLoader<DittoFactory> loader) {
        try {
            Iterator<DittoFactory> it = loader.iterator();
            return it.hasNext() ? it.next() : null;
        } catch (ServiceConfigurationError e) {
            throw new DittoException(ErrorCode.NOT_AVAILABLE,
                    "open: the Ditto engine's factory could not be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the version of this API module, for example {@code "0.1.0"} or
     * {@code "0.1.0-SNAPSHOT"}, read from the resource {@code ditto/api/version.properties} that
     * the build writes. Returns {@code "unknown"} if that resource is missing (an unpackaged
     * build). Thread-safe; the value never changes while the JVM runs.
     *
     * @return the version, never null
     */
    static String version() {
        return VersionHolder.VERSION;
    }

    /**
     * Returns the absolute directory where this instance persists its data: the configured
     * absolute path, a configured relative path resolved against
     * {@link DittoConfig#defaultRootDirectory()}, or {@code <root>/ditto-<databaseId>} by
     * default. Applications should not read or write inside it. Still answers after close.
     *
     * @return the absolute directory, never null
     */
    Path absolutePersistenceDirectory();

    /**
     * Returns the authenticator of a {@link DittoConfigConnect.Server server} connection.
     *
     * @return the authenticator, or empty for a {@link DittoConfigConnect.SmallPeersOnly
     *         small-peers-only} instance, which has none
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    Optional<Authenticator> auth();

    /**
     * Closes this instance: stops sync, cancels all observers, subscriptions and attachment
     * fetches, closes network links, flushes pending writes and releases the persistence
     * directory. Blocks until that is done, except that when called from one of this instance's
     * callbacks it does not wait for that callback to return. Idempotent: later calls return at
     * once.
     */
    @Override
    void close();

    /**
     * Returns the configuration this instance was opened with, with every secret replaced by
     * {@code "[REDACTED]"} (see {@link DittoConfig#redacted()}). Still answers after close.
     *
     * @return the redacted configuration, never null
     */
    DittoConfig config();

    /**
     * Returns the database id this instance was opened with; it groups the peers that sync with
     * each other. Still answers after close.
     *
     * @return the database id, never null
     */
    String databaseId();

    /**
     * Returns the human-readable name other peers see for this device (in presence). Defaults
     * to this host's name, truncated to 24 bytes of UTF-8. Names need not be unique.
     *
     * @return the device name, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    String deviceName();

    /**
     * Sets the name other peers see for this device. Names longer than 24 bytes of UTF-8 are
     * truncated at a character boundary. The new name reaches other peers the next time sync
     * starts.
     *
     * @param name the device name, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     * @throws NullPointerException if {@code name} is null
     */
    void setDeviceName(String name);

    /**
     * Returns whether sync may start as far as licensing is concerned. True unless the
     * deployment configures a license issuer public key; then true only after
     * {@link #setOfflineOnlyLicenseToken(String)} accepted a valid, unexpired token.
     *
     * @return whether this instance is activated
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    boolean isActivated();

    /** Returns whether {@link #close()} has been called; never throws. */
    boolean isClosed();

    /**
     * Returns whether the data at rest is encrypted.
     *
     * @return true if the store encrypts what it persists
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    boolean isEncrypted();

    /**
     * Returns the presence component, which reports the peers of the mesh and lets this peer
     * publish metadata. The same object is returned for the instance's lifetime.
     *
     * @return the presence component, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    Presence presence();

    /**
     * Activates this instance with an offline license token. Only needed when the deployment
     * configures a license issuer public key (see {@link #isActivated()}).
     *
     * @param token the base64-encoded token, never null
     * @throws DittoException {@link ErrorCode#ACTIVATION} if the token is malformed, not signed by
     *         the configured issuer, or expired; {@link ErrorCode#CLOSED} if this instance is closed
     * @throws NullPointerException if {@code token} is null
     */
    void setOfflineOnlyLicenseToken(String token);

    /**
     * Returns the small-peer-info component, which controls the device information this peer
     * reports into a system collection. The same object is returned for the instance's lifetime.
     *
     * @return the component, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    SmallPeerInfo smallPeerInfo();

    /**
     * Returns the store: DQL queries, live observers, transactions and attachments. The same
     * object is returned for the instance's lifetime.
     *
     * @return the store, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    Store store();

    /**
     * Returns the sync component: start and stop sync and manage subscriptions. The same object
     * is returned for the instance's lifetime.
     *
     * @return the sync component, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    Sync sync();

    /**
     * Returns the disk-usage component, which measures the persistence directory.
     *
     * @return the component, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    DiskUsage diskUsage();

    /**
     * Returns a snapshot copy of the current transport configuration. Changing the copy does
     * not affect this instance; pass it to {@link #setTransportConfig(TransportConfig)}.
     *
     * @return a fresh copy, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    TransportConfig transportConfig();

    /**
     * Replaces the whole transport configuration. Applies at once while sync runs (transports
     * are started and stopped as needed), otherwise when sync next starts. The argument is
     * copied.
     *
     * @param config the new configuration, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the configuration is invalid
     *         (it is then not applied), {@link ErrorCode#CLOSED} if this instance is closed
     * @throws NullPointerException if {@code config} is null
     */
    void setTransportConfig(TransportConfig config);

    /**
     * Changes the transport configuration atomically: hands a copy of the current configuration
     * to {@code update} on the calling thread, then applies the changed copy as
     * {@link #setTransportConfig(TransportConfig)} does. Concurrent updates are serialized, so
     * none is lost. If {@code update} throws, nothing is applied and the exception propagates.
     *
     * @param update changes the configuration in place, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the result is invalid,
     *         {@link ErrorCode#CLOSED} if this instance is closed
     * @throws NullPointerException if {@code update} is null
     */
    void updateTransportConfig(Consumer<TransportConfig> update);

    /**
     * Returns a snapshot of the transports' state: per transport, how many peers are connecting,
     * connected, disconnecting and disconnected. Transports the host cannot run are reported as
     * unavailable.
     *
     * @return the diagnostics, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this instance is closed
     */
    TransportDiagnostics transportDiagnostics();
}
