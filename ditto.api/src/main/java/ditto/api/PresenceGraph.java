package ditto.api;

import ditto.api.internal.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A snapshot of the mesh as this peer knows it: the local peer, every remote peer known
 * directly or through other peers, and every connection among them. Immutable.
 *
 * @param localPeer the peer of this Ditto instance, the entry point of the graph; never null
 * @param remotePeers all remote peers this peer knows of, directly or through other peers;
 *        empty if none, never null
 * @param allConnectionsById every connection appearing in the graph, by {@link Connection#id()};
 *        never null
 */
public record PresenceGraph(Peer localPeer, List<Peer> remotePeers, Map<String, Connection> allConnectionsById) {

    /**
     * Checks and copies the arguments.
     *
     * @param localPeer the local peer
     * @param remotePeers the remote peers; null is taken as empty
     * @param allConnectionsById the connections by id; null means "collect them from the peers"
     *        as {@link #of(Peer, List)} does
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a key of
     *         {@code allConnectionsById} is not the id of its connection
     * @throws NullPointerException if {@code localPeer} or an element of {@code remotePeers} is null
     */
    public PresenceGraph {
        Objects.requireNonNull(localPeer, "localPeer");
        remotePeers = remotePeers == null ? List.of() : List.copyOf(remotePeers);
        if (allConnectionsById == null) {
            allConnectionsById = collectConnections(localPeer, remotePeers);
        } else {
            Map<String, Connection> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Connection> e : allConnectionsById.entrySet()) {
                Connection c = Objects.requireNonNull(e.getValue(), "connection");
                if (!c.id().equals(e.getKey())) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "invalid presence graph: key \""
                            + e.getKey() + "\" maps to connection " + c.id());
                }
                copy.put(e.getKey(), c);
            }
            allConnectionsById = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * Returns the graph of the given peers, with {@code allConnectionsById} holding every
     * connection of every peer, in {@linkplain Connection#compareTo natural order}.
     *
     * @param localPeer the local peer, never null
     * @param remotePeers the remote peers, never null
     * @return the graph, never null
     * @throws NullPointerException if an argument or an element is null
     */
    public static PresenceGraph of(Peer localPeer, List<Peer> remotePeers) {
        return new PresenceGraph(localPeer, Objects.requireNonNull(remotePeers, "remotePeers"), null);
    }

    private static Map<String, Connection> collectConnections(Peer localPeer, List<Peer> remotePeers) {
        TreeSet<Connection> all = new TreeSet<>(localPeer.connections());
        for (Peer p : remotePeers) {
            all.addAll(p.connections());
        }
        Map<String, Connection> byId = new LinkedHashMap<>();
        for (Connection c : all) {
            byId.putIfAbsent(c.id(), c);
        }
        return Collections.unmodifiableMap(byId);
    }

    /**
     * Finds a peer of the graph, local or remote, by its key.
     *
     * @param peerKeyString the key to look for
     * @return the peer, or empty if the graph has no peer with that key
     */
    public Optional<Peer> peer(String peerKeyString) {
        if (localPeer.peerKeyString().equals(peerKeyString)) {
            return Optional.of(localPeer);
        }
        for (Peer p : remotePeers) {
            if (p.peerKeyString().equals(peerKeyString)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the graph as JSON in the reference SDK's shape:
     * {@code {"localPeer":{...},"remotePeers":[...]}}, where {@code remotePeers} is left out
     * when empty and {@code allConnectionsById} is not written (it is derivable from the
     * peers). Each peer is written as
     * {@code {"Address":{"AddressType":0,"IPAddress":"","Port":0},"peerKeyString":"...",
     * "connections":[{"id":"...","peerKeyString1":"...","peerKeyString2":"...",
     * "connectionType":"AccessPoint"}],"deviceName":"...","os":"Linux",
     * "isConnectedToDittoCloud":false,"isCompatible":true,"dittoSdkVersion":"...",
     * "peerMetadata":{},"identityServiceMetadata":{}}}, with {@code os} left out while unknown.
     *
     * @return compact JSON text, never null
     */
    public String toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("localPeer", localPeer.toJsonMap());
        if (!remotePeers.isEmpty()) {
            List<Object> remotes = new ArrayList<>(remotePeers.size());
            for (Peer p : remotePeers) {
                remotes.add(p.toJsonMap());
            }
            map.put("remotePeers", remotes);
        }
        return Json.write(map, Json.MAX_DEPTH_LIMIT);
    }

    /**
     * Reads a graph from the JSON {@link #toJson()} writes. {@code allConnectionsById} is
     * rebuilt from the peers' connections as {@link #of(Peer, List)} does. Absent peer fields
     * take their empty value; unknown keys are ignored.
     *
     * @param json the JSON text, never null
     * @return the graph, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the text is not JSON, not an
     *         object, lacks {@code localPeer}, or a field has the wrong type
     * @throws NullPointerException if {@code json} is null
     */
    public static PresenceGraph fromJson(String json) {
        JsonFields root = JsonFields.root(Json.parse(json, Json.MAX_DEPTH_LIMIT), "invalid presence graph JSON",
                ErrorCode.INVALID_ARGUMENTS);
        if (!root.has("localPeer")) {
            throw root.error("localPeer", "is missing");
        }
        Peer local = Peer.fromJsonMap(root.object("localPeer"));
        List<Object> remoteList = root.list("remotePeers");
        List<Peer> remotes = new ArrayList<>(remoteList.size());
        for (int i = 0; i < remoteList.size(); i++) {
            remotes.add(Peer.fromJsonMap(root.element("remotePeers", remoteList, i)));
        }
        return of(local, remotes);
    }
}
