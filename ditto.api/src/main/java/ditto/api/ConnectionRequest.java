package ditto.api;

import java.util.Map;
import java.util.Objects;

/**
 * An incoming request of a remote peer to connect, handed to a {@link ConnectionRequestHandler}.
 * Immutable: the maps are deep, unmodifiable copies taken at construction.
 *
 * @param peerKey the remote peer's key string (as in {@link Peer#peerKeyString()}), never null
 * @param peerMetadata the metadata the remote peer published with
 *        {@link Presence#setPeerMetadata(Map)}; empty if none, never null
 * @param identityData the metadata the identity service attached to the remote peer; empty if
 *        none, never null
 */
public record ConnectionRequest(String peerKey, Map<String, Object> peerMetadata, Map<String, Object> identityData) {

    /**
     * Checks and copies the arguments.
     *
     * @param peerKey the remote peer's key string
     * @param peerMetadata the remote peer's metadata; null is taken as empty
     * @param identityData the identity service's metadata; null is taken as empty
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a map holds a value outside
     *         the JSON model
     * @throws NullPointerException if {@code peerKey} is null
     */
    public ConnectionRequest {
        Objects.requireNonNull(peerKey, "peerKey");
        peerMetadata = freeze(peerMetadata, "peer metadata");
        identityData = freeze(identityData, "identity data");
    }

    static Map<String, Object> freeze(Map<String, Object> map, String what) {
        return map == null ? Map.of() : JsonModelValues.freezeMap(map, ErrorCode.INVALID_ARGUMENTS, what);
    }
}
