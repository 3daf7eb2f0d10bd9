/**
 * Replication: the transport-agnostic engine that keeps peers' stores in sync.
 *
 * <p>{@link ditto.engine.sync.SyncImpl} is the application's {@code Sync} (start, stop,
 * subscriptions, activation); {@link ditto.engine.sync.SyncEngine} runs one instance's sessions;
 * a {@code Session} is the message-driven state machine of one link. Everything runs on one
 * serial executor supplied by a {@link ditto.engine.sync.SyncRuntime} (a dedicated
 * {@code ditto-sync} thread in production, the test thread under simulation), with time,
 * timers and randomness from the same runtime, frames through a {@code Link} and the store
 * through {@link ditto.engine.store.Replication}: so a test can run many peers in one thread
 * and replay a run from its seed. See {@code docs/sync.md} and {@code docs/protocol.md}.
 */
package ditto.engine.sync;
