package ditto.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens Ditto instances; implemented by the engine.
 *
 * <p>On the module path and class path, {@link Ditto#open(DittoConfig)} finds the engine's
 * factory through {@link java.util.ServiceLoader}. Inside an OSGi framework the engine
 * registers its factory as a service under this interface; applications there take the
 * service (for example with a Declarative Services reference) and call
 * {@link #open(DittoConfig)}. Implementations are thread-safe.
 */
@ProviderType
public interface DittoFactory {

    /**
     * Opens a Ditto instance with the given configuration.
     *
     * @param config the configuration, never null
     * @return the open instance; the caller closes it
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the configuration is invalid,
     *         {@link ErrorCode#PERSISTENCE_DIRECTORY} if the directory is in use or unusable,
     *         {@link ErrorCode#NOT_AVAILABLE} if no storage backend is available
     * @throws NullPointerException if {@code config} is null
     */
    Ditto open(DittoConfig config);

    /**
     * Returns the plug-ins the engine has loaded right now, by kind.
     *
     * <p>The keys are the plug-in kinds {@code "transport"}, {@code "storage"} and
     * {@code "identity"} (always present, possibly with an empty set); the values are the
     * {@code id()}s of the providers currently registered with the engine, sorted. The
     * answer is a snapshot: in OSGi, installing or uninstalling a plug-in bundle changes the
     * next answer. Inside OSGi the same information is published as the service properties
     * {@code ditto.plugins.transport}, {@code ditto.plugins.storage} and
     * {@code ditto.plugins.identity} (String arrays) of the {@code DittoFactory} service.
     *
     * @return an unmodifiable sorted map from kind to sorted provider ids, never null
     */
    java.util.SortedMap<String, java.util.SortedSet<String>> plugins();
}
