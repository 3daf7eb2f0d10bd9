/**
 * The in-memory storage backend. Exports nothing: it is reached through
 * {@link ditto.api.spi.storage.StorageProvider} only.
 */
module ditto.store.memory {
    requires ditto.api;
    requires static org.osgi.service.component.annotations;

    provides ditto.api.spi.storage.StorageProvider with ditto.store.memory.MemoryStorageProvider;
}
