package ditto.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One peer of the mesh as presence sees it: the local peer or a remote one. Immutable: the
 * list and maps are unmodifiable copies taken at construction (metadata maps deeply so).
 *
 * @param address the peer's network address; deprecated in the reference in favour of
 *        {@code peerKeyString}; {@link Address#UNKNOWN} when not known, never null
 * @param peerKeyString the peer's unique key, equal to or derived from the public key that
 *        authenticates it; empty for peers too old to announce one, never null
 * @param connections the peer's currently active connections; empty if none, never null
 * @param deviceName the human-readable device name, by default the host name; not necessarily
 *        unique, never null
 * @param os the peer's operating system, {@link PeerOS#UNKNOWN} until known, never null
 * @param isConnectedToDittoCloud whether the peer has a live connection to a server
 * @param isCompatible whether the peer's protocol version can sync with this peer
 * @param dittoSdkVersion the version of the SDK the peer runs; empty if unknown, never null
 * @param peerMetadata the metadata the peer published with {@link Presence#setPeerMetadata(Map)};
 *        empty until it has synced, never null
 * @param identityServiceMetadata the metadata the identity service attached to the peer; empty
 *        if none, never null
 */
public record Peer(
        Address address,
        String peerKeyString,
        List<Connection> connections,
        String deviceName,
        PeerOS os,
        boolean isConnectedToDittoCloud,
        boolean isCompatible,
        String dittoSdkVersion,
        Map<String, Object> peerMetadata,
        Map<String, Object> identityServiceMetadata) {

    /**
     * Checks and copies the arguments.
     *
     * @param address the network address; null is taken as {@link Address#UNKNOWN}
     * @param peerKeyString the peer key string
     * @param connections the active connections; null is taken as empty
     * @param deviceName the device name
     * @param os the operating system
     * @param isConnectedToDittoCloud whether the peer is connected to a server
     * @param isCompatible whether the peer is compatible
     * @param dittoSdkVersion the SDK version
     * @param peerMetadata the peer metadata; null is taken as empty
     * @param identityServiceMetadata the identity service metadata; null is taken as empty
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a metadata map holds a value
     *         outside the JSON model
     * @throws NullPointerException if {@code peerKeyString}, {@code deviceName}, {@code os},
     *         {@code dittoSdkVersion} or an element of {@code connections} is null
     */
    public Peer {
        address = address == null ? Address.UNKNOWN : address;
        Objects.requireNonNull(peerKeyString, "peerKeyString");
        connections = connections == null ? List.of() : List.copyOf(connections);
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(dittoSdkVersion, "dittoSdkVersion");
        peerMetadata = ConnectionRequest.freeze(peerMetadata, "peer metadata");
        identityServiceMetadata = ConnectionRequest.freeze(identityServiceMetadata, "identity service metadata");
    }

    /** Returns this peer in the reference's JSON shape, as a JSON-model map. */
    Map<String, Object> toJsonMap() {
        Map<String, Object> addressMap = new LinkedHashMap<>();
        addressMap.put("AddressType", (long) address.addressType().wireValue());
        addressMap.put("IPAddress", address.ipAddress());
        addressMap.put("Port", (long) address.port());
        List<Object> connectionMaps = new ArrayList<>(connections.size());
        for (Connection c : connections) {
            connectionMaps.add(c.toJsonMap());
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("Address", addressMap);
        map.put("peerKeyString", peerKeyString);
        map.put("connections", connectionMaps);
        map.put("deviceName", deviceName);
        if (os != PeerOS.UNKNOWN) {
            map.put("os", os.wireName());
        }
        map.put("isConnectedToDittoCloud", isConnectedToDittoCloud);
        map.put("isCompatible", isCompatible);
        map.put("dittoSdkVersion", dittoSdkVersion);
        map.put("peerMetadata", peerMetadata);
        map.put("identityServiceMetadata", identityServiceMetadata);
        return map;
    }

    /**
     * Reads the shape {@link #toJsonMap()} writes. Absent or null fields take the Go zero value
     * (empty, false, {@link PeerOS#UNKNOWN}); unknown keys are ignored for forward compatibility.
     */
    static Peer fromJsonMap(JsonFields fields) {
        JsonFields addressFields = fields.object("Address");
        long port = addressFields.integer("Port", 0);
        if (port < 0 || port > 65535) {
            throw addressFields.error("Port", "must be between 0 and 65535, not " + port);
        }
        long addressType = addressFields.integer("AddressType", 0);
        if (addressType < 0 || addressType >= AddressType.values().length) {
            throw addressFields.error("AddressType", "must be 0, 1 or 2, not " + addressType);
        }
        Address address = new Address(AddressType.fromWire(addressType), addressFields.string("IPAddress", ""), (int) port);
        List<Object> connectionList = fields.list("connections");
        List<Connection> connections = new ArrayList<>(connectionList.size());
        for (int i = 0; i < connectionList.size(); i++) {
            connections.add(Connection.fromJsonMap(fields.element("connections", connectionList, i)));
        }
        return new Peer(address,
                fields.string("peerKeyString", ""),
                connections,
                fields.string("deviceName", ""),
                PeerOS.fromWire(fields.string("os", "")),
                fields.bool("isConnectedToDittoCloud", false),
                fields.bool("isCompatible", false),
                fields.string("dittoSdkVersion", ""),
                fields.map("peerMetadata"),
                fields.map("identityServiceMetadata"));
    }
}
