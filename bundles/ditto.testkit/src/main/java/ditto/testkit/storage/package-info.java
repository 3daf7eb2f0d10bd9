/**
 * The contract suite every storage backend passes.
 *
 * <p>A backend's test class extends {@link ditto.testkit.storage.StorageContract} and names its
 * provider; the suite then checks the whole {@link ditto.api.spi.storage.Storage} contract
 * (ordered spaces, snapshots, atomic batches, sequence numbers, durability across reopen,
 * encryption, concurrency and a seeded randomized comparison against a simple model).
 * Test support only: never deployed.
 */
package ditto.testkit.storage;
