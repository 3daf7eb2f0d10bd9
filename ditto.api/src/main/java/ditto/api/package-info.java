/**
 * The application API of Ditto: an offline-first document database that syncs peer to peer.
 *
 * <p>Open an instance with {@link ditto.api.Ditto#open(ditto.api.DittoConfig)}, read and write
 * documents through {@link ditto.api.Store#execute} with DQL, watch live results with store
 * observers, and let {@link ditto.api.Sync} replicate every change to reachable peers.
 * Every failure surfaces as an unchecked {@link ditto.api.DittoException} carrying a stable
 * {@link ditto.api.ErrorCode}. Handles that hold resources are {@link java.lang.AutoCloseable}
 * with idempotent {@code close()}. Callbacks run on engine threads, never on the caller's.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package ditto.api;
