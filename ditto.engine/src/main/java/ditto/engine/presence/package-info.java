/**
 * Presence: the graph of peers and connections across hops as the sync engine learns it from
 * presence records, peer metadata, the connection request handler, and small peer info.
 * Internal to the engine; the application sees {@link ditto.api.Presence} and
 * {@link ditto.api.SmallPeerInfo}.
 */
package ditto.engine.presence;
