package ditto.store.memory;

import java.util.Objects;

import org.osgi.service.component.annotations.Component;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.StorageProvider;

/**
 * The in-memory storage backend, id {@value #ID}: nothing is written to disk and everything is
 * gone when the storage is closed or the process ends.
 *
 * <p>Useful for tests, caches and throw-away peers. Each {@link #open} returns a new, empty
 * storage; the directory is ignored. Snapshots are O(1) and fully isolated (see
 * {@link MemoryStorage}). Registered as a Declarative Services component under
 * {@link StorageProvider}, in {@code module-info} for {@link java.util.ServiceLoader}, and in
 * {@code META-INF/services}. Stateless and thread-safe.
 */
@Component(service = StorageProvider.class)
public final class MemoryStorageProvider implements StorageProvider {

    /** The provider id. */
    public static final String ID = "memory";

    /** Creates the provider. */
    public MemoryStorageProvider() {
    }

    /**
     * Returns {@value #ID}.
     *
     * @return the id, never null
     */
    @Override
    public String id() {
        return ID;
    }

    /**
     * Returns false: data lives only as long as the storage.
     *
     * @return false
     */
    @Override
    public boolean isPersistent() {
        return false;
    }

    /**
     * Creates a new, empty in-memory storage.
     *
     * @param parameters the directory (ignored), which must carry no encryption key and no
     *        options; never null
     * @return the open storage, never null
     * @throws DittoException {@code UNSUPPORTED} if an encryption key is given (memory storage
     *         does not encrypt); {@code INVALID_CONFIG} if any option is given (this backend
     *         has none)
     * @throws NullPointerException if {@code parameters} is null
     */
    @Override
    public Storage open(StorageParameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        if (parameters.encryptionKey().isPresent()) {
            throw new DittoException(ErrorCode.UNSUPPORTED,
                    "memory storage: an encryption key was given, but memory storage does not encrypt");
        }
        if (!parameters.options().isEmpty()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "memory storage: unknown option(s) "
                    + parameters.options().keySet() + "; the memory backend has no options");
        }
        return new MemoryStorage();
    }
}
