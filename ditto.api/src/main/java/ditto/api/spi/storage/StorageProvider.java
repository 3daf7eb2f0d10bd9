package ditto.api.spi.storage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A storage backend, registered by a plug-in.
 *
 * <p>In OSGi the plug-in registers its provider as a service under this interface; on the module
 * path it declares {@code provides ditto.api.spi.storage.StorageProvider with …}. The engine
 * opens one {@link Storage} per Ditto instance and closes it when the instance closes.
 * Implementations are public with a public no-argument constructor and are thread-safe.
 */
@ConsumerType
public interface StorageProvider {

    /**
     * Returns the stable short name of this backend, such as {@code "mvstore"} or
     * {@code "memory"}; unique among the storage providers of one engine.
     *
     * @return the id, never null
     */
    String id();

    /**
     * Tells whether data written through this backend survives the process. The engine prefers
     * a persistent backend unless the configuration names one.
     *
     * @return true if committed data survives a restart
     */
    boolean isPersistent();

    /**
     * Opens (creating if needed) the storage in the given directory.
     *
     * @param parameters where and how to open; never null
     * @return the open storage, never null
     * @throws ditto.api.DittoException {@code ENCRYPTION} if the data is encrypted and the key is
     *         missing or wrong (never garbage), {@code STORE} if the files are damaged or cannot be
     *         read, {@code PERSISTENCE_DIRECTORY} if the directory cannot be used
     */
    Storage open(StorageParameters parameters);
}
