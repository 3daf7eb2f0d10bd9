package ditto.store.memory;

import ditto.api.spi.storage.StorageProvider;
import ditto.testkit.storage.StorageContract;

/** Runs the storage contract against the in-memory backend. */
class MemoryStorageTest extends StorageContract {

    @Override
    protected StorageProvider provider() {
        return new MemoryStorageProvider();
    }

    @Override
    protected boolean persistent() {
        return false;
    }

    @Override
    protected boolean supportsEncryption() {
        return false;
    }
}
