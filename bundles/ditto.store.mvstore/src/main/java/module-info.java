/**
 * The embedded default storage backend on H2 MVStore. Exports nothing: it is reached through
 * {@link ditto.api.spi.storage.StorageProvider} only.
 */
module ditto.store.mvstore {
    requires ditto.api;
    requires com.h2database.mvstore;
    requires static org.osgi.service.component.annotations;

    provides ditto.api.spi.storage.StorageProvider with ditto.store.mvstore.MvStoreStorageProvider;
}
