package ditto.store.mvstore;

import java.util.Objects;

import org.osgi.service.component.annotations.Component;

import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.StorageProvider;

/**
 * The embedded default storage backend, id {@value #ID}: one H2 MVStore file per Ditto
 * instance, persistent, optionally encrypted.
 *
 * <p>See the package documentation for the files, the options, durability and encryption.
 * Registered as a Declarative Services component under {@link StorageProvider}, in
 * {@code module-info} for {@link java.util.ServiceLoader}, and in {@code META-INF/services}.
 * Stateless and thread-safe; each {@link #open} returns an independent storage.
 */
@Component(service = StorageProvider.class)
public final class MvStoreStorageProvider implements StorageProvider {

    /** The provider id. */
    public static final String ID = "mvstore";

    /** Creates the provider. */
    public MvStoreStorageProvider() {
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
     * Returns true: committed data survives a restart.
     *
     * @return true
     */
    @Override
    public boolean isPersistent() {
        return true;
    }

    /**
     * Opens the store in the given directory, creating the directory and the store if needed.
     * Blocks for file I/O (and, for a new encrypted store, one forced write of the key check
     * file).
     *
     * @param parameters the directory, the optional encryption key and the options
     *        ({@code cacheSizeMb}, {@code autoCompactFillRate}, {@code compress}); never null
     * @return the open storage, never null
     * @throws ditto.api.DittoException {@code INVALID_CONFIG} for an unknown option, a bad option
     *         value or an empty key; {@code ENCRYPTION} if the store is encrypted and the key is
     *         missing or wrong, if a key is given for an existing unencrypted store, or if an
     *         encrypted file fails its integrity checks; {@code STORE} if the file is damaged or
     *         is not a Ditto store; {@code PERSISTENCE_DIRECTORY} if the directory or file
     *         cannot be created or written, or the file is locked by another open storage
     * @throws NullPointerException if {@code parameters} is null
     */
    @Override
    public Storage open(StorageParameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        MvStoreOptions options = MvStoreOptions.parse(parameters.options());
        return MvStoreStorage.open(parameters.directory(), parameters.encryptionKey(), options);
    }
}
