package ditto.api;

import java.util.Map;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The peers of the mesh and this peer's published metadata; from {@link Ditto#presence()}.
 *
 * <p>Peer metadata is a small JSON object this peer shares with every other peer: they see it
 * in {@link Peer#peerMetadata()} of the presence graph and in
 * {@link ConnectionRequest#peerMetadata()} when this peer asks to connect. It is empty by
 * default. Its UTF-8 JSON encoding may be at most {@value #MAX_PEER_METADATA_BYTES} bytes and
 * nest at most {@value #MAX_PEER_METADATA_DEPTH} levels.
 *
 * <p>All methods are thread-safe. Callbacks run on engine threads, never on the caller's; an
 * exception thrown by one is logged and does not stop later deliveries.
 */
@ProviderType
public interface Presence {

    /** The largest allowed peer metadata: 128 KB of UTF-8 JSON. */
    int MAX_PEER_METADATA_BYTES = 128 * 1024;

    /** The deepest allowed nesting of peer metadata, in levels of objects and arrays. */
    int MAX_PEER_METADATA_DEPTH = 64;

    /**
     * Returns this peer's metadata.
     *
     * @return an unmodifiable copy, empty if none was set; never null
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     */
    Map<String, Object> peerMetadata();

    /**
     * Returns this peer's metadata as UTF-8 JSON (an object; {@code {}} if none was set).
     *
     * @return a fresh array, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     */
    byte[] peerMetadataJsonData();

    /**
     * Replaces this peer's metadata; other peers see the change at their next presence update.
     *
     * @param metadata a JSON-model map (copied), never null; as the metadata travels as JSON, a
     *        {@code byte[]} value is kept as its base64 string
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the map holds a value outside
     *         the JSON model, its JSON is larger than {@value #MAX_PEER_METADATA_BYTES} bytes or
     *         nests deeper than {@value #MAX_PEER_METADATA_DEPTH} levels (the old metadata is then
     *         kept); {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code metadata} is null
     */
    void setPeerMetadata(Map<String, Object> metadata);

    /**
     * Replaces this peer's metadata with a UTF-8 JSON object.
     *
     * @param jsonData the UTF-8 JSON text of an object (copied), never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the data is not a JSON
     *         object, is larger than {@value #MAX_PEER_METADATA_BYTES} bytes or nests deeper than
     *         {@value #MAX_PEER_METADATA_DEPTH} levels (the old metadata is then kept);
     *         {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code jsonData} is null
     */
    void setPeerMetadataJsonData(byte[] jsonData);

    /**
     * Returns the current presence graph: all known peers and the connections among them.
     *
     * @return an immutable snapshot, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     */
    PresenceGraph graph();

    /**
     * Registers a callback for changes of the presence graph. The current graph is delivered
     * at once (on an engine thread, before or soon after this method returns); after that a
     * new graph is delivered whenever peers appear or disappear, their connections change, or
     * their metadata changes. Deliveries to one observer never overlap and arrive in order.
     *
     * @param observer receives each new graph, never null
     * @return the registration; stop it to end the updates
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code observer} is null
     */
    PresenceObserver observe(Consumer<PresenceGraph> observer);

    /**
     * Sets the handler that decides on every incoming connection request from a remote peer,
     * replacing any previous one. The handler is called on another thread, once per request;
     * a request is denied if the handler throws, returns null or takes longer than 10 seconds.
     * A denied peer may retry after a short delay. Without a handler (the default, or after
     * passing null) every request from a compatible peer is allowed.
     *
     * @param handler the handler, or null to remove it
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     */
    void setConnectionRequestHandler(ConnectionRequestHandler handler);
}
