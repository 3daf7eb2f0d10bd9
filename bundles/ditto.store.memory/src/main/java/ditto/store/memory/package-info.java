/**
 * The in-memory storage backend ({@code "memory"}).
 *
 * <p>Each space is a persistent (path-copying) treap; a commit builds new roots and publishes
 * them, with the new sequence number, in one volatile write, so a snapshot is just the set of
 * roots it saw and is isolated from every later commit at no cost. Nothing is persisted,
 * nothing is encrypted ({@code isEncrypted()} is false and a key is refused with
 * {@code UNSUPPORTED}), {@code sizeOnDisk()} is zero and the backend takes no options.
 * Internal: the bundle exports no package and is reached through
 * {@link ditto.store.memory.MemoryStorageProvider} as a service.
 */
package ditto.store.memory;
