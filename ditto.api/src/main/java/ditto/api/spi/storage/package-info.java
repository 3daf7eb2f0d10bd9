/**
 * The storage backend plug-in contract.
 *
 * <p>A storage backend offers ordered key-value spaces with snapshot reads, atomic multi-key
 * commits and explicit durability. The engine keeps documents, indexes and sync state in it
 * and never relies on anything else. A bundle registers one
 * {@link ditto.api.spi.storage.StorageProvider}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package ditto.api.spi.storage;
