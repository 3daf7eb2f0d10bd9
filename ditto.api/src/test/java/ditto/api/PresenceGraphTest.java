package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ditto.api.internal.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PresenceGraphTest {
    private static final Connection LAN_AB = Connection.between("pkA", "pkB", ConnectionType.ACCESS_POINT);
    private static final Connection BLE_BC = Connection.between("pkB", "pkC", ConnectionType.BLUETOOTH);

    private static Peer peer(String key, List<Connection> connections, PeerOS os, Map<String, Object> metadata) {
        return new Peer(new Address(AddressType.IPV4, "10.0.0.1", 4040), key, connections, "device-" + key, os,
                false, true, "0.1.0", metadata, Map.of("role", "tester"));
    }

    private static PresenceGraph sampleGraph() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "alice");
        metadata.put("tags", List.of("x", 1L));
        Peer local = peer("pkA", List.of(LAN_AB), PeerOS.LINUX, metadata);
        Peer b = peer("pkB", List.of(LAN_AB, BLE_BC), PeerOS.UNKNOWN, Map.of());
        Peer c = peer("pkC", List.of(BLE_BC), PeerOS.ANDROID, null);
        return PresenceGraph.of(local, List.of(b, c));
    }

    @Test
    void ofCollectsEveryConnectionOnceInNaturalOrder() {
        PresenceGraph graph = sampleGraph();

        assertEquals(List.of(LAN_AB.id(), BLE_BC.id()), new ArrayList<>(graph.allConnectionsById().keySet()));
        assertEquals(LAN_AB, graph.allConnectionsById().get(LAN_AB.id()));
    }

    @Test
    void toJsonUsesTheReferenceShape() {
        Peer local = new Peer(null, "pkA", List.of(LAN_AB), "laptop", PeerOS.UNKNOWN, true, true, "1.2.3",
                Map.of("k", "v"), null);

        String json = PresenceGraph.of(local, List.of()).toJson();

        assertEquals("{\"localPeer\":{\"Address\":{\"AddressType\":0,\"IPAddress\":\"\",\"Port\":0},"
                + "\"peerKeyString\":\"pkA\",\"connections\":[{\"id\":\"" + LAN_AB.id() + "\","
                + "\"peerKeyString1\":\"pkA\",\"peerKeyString2\":\"pkB\",\"connectionType\":\"AccessPoint\"}],"
                + "\"deviceName\":\"laptop\",\"isConnectedToDittoCloud\":true,\"isCompatible\":true,"
                + "\"dittoSdkVersion\":\"1.2.3\",\"peerMetadata\":{\"k\":\"v\"},\"identityServiceMetadata\":{}}}", json);
    }

    @Test
    void toJsonWritesRemotePeersAndOperatingSystems() {
        Map<String, Object> json = Json.parseObject(sampleGraph().toJson());

        List<?> remotes = (List<?>) json.get("remotePeers");
        assertEquals(2, remotes.size());
        Map<?, ?> b = (Map<?, ?>) remotes.get(0);
        Map<?, ?> c = (Map<?, ?>) remotes.get(1);
        assertFalse(b.containsKey("os"));
        assertEquals("Android", c.get("os"));
        assertEquals("Linux", ((Map<?, ?>) json.get("localPeer")).get("os"));
        assertEquals(List.of("localPeer", "remotePeers"), new ArrayList<>(json.keySet()));
    }

    @Test
    void fromJsonRoundTripsAGraph() {
        PresenceGraph graph = sampleGraph();

        PresenceGraph back = PresenceGraph.fromJson(graph.toJson());

        assertEquals(graph, back);
        assertEquals(graph.allConnectionsById(), back.allConnectionsById());
    }

    @Test
    void fromJsonFillsAbsentFieldsAndIgnoresUnknownOnes() {
        PresenceGraph graph = PresenceGraph.fromJson("{\"localPeer\":{\"peerKeyString\":\"pk\",\"future\":1}}");

        Peer local = graph.localPeer();
        assertEquals("pk", local.peerKeyString());
        assertEquals(Address.UNKNOWN, local.address());
        assertEquals(PeerOS.UNKNOWN, local.os());
        assertEquals(List.of(), local.connections());
        assertEquals(Map.of(), local.peerMetadata());
        assertEquals(List.of(), graph.remotePeers());
        assertTrue(graph.allConnectionsById().isEmpty());
    }

    @Test
    void fromJsonRejectsMalformedGraphsWithInvalidArguments() {
        String[] bad = {
            "[]",
            "{}",
            "{\"localPeer\":1}",
            "{\"localPeer\":{\"peerKeyString\":5}}",
            "{\"localPeer\":{},\"remotePeers\":[1]}",
            "{\"localPeer\":{\"connections\":[{\"id\":\"x\",\"peerKeyString1\":\"a\",\"peerKeyString2\":\"b\",\"connectionType\":\"Carrier\"}]}}",
            "{\"localPeer\":{\"Address\":{\"Port\":70000}}}",
            "{\"localPeer\":{\"Address\":{\"AddressType\":7}}}",
            "{\"localPeer\":",
        };
        for (String json : bad) {
            DittoException e = assertThrows(DittoException.class, () -> PresenceGraph.fromJson(json), json);
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code(), json);
        }
        DittoException e = assertThrows(DittoException.class,
                () -> PresenceGraph.fromJson("{\"localPeer\":{},\"remotePeers\":[{\"isCompatible\":\"yes\"}]}"));
        assertEquals("invalid presence graph JSON: remotePeers[0].isCompatible must be a boolean, not a string", e.getMessage());
    }

    @Test
    void findsPeersByKey() {
        PresenceGraph graph = sampleGraph();

        assertEquals("device-pkA", graph.peer("pkA").orElseThrow().deviceName());
        assertEquals("device-pkC", graph.peer("pkC").orElseThrow().deviceName());
        assertEquals(Optional.empty(), graph.peer("nobody"));
    }

    @Test
    void rejectsConnectionMapsWithWrongKeys() {
        Peer local = peer("pkA", List.of(), PeerOS.LINUX, null);
        Map<String, Connection> wrong = new HashMap<>();
        wrong.put("not-the-id", LAN_AB);

        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> new PresenceGraph(local, List.of(), wrong)).code());
        assertThrows(NullPointerException.class, () -> PresenceGraph.of(null, List.of()));
    }

    @Test
    void peersAndRequestsAreImmutableCopies() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("n", 1);
        List<Connection> connections = new ArrayList<>(List.of(LAN_AB));
        Peer p = peer("pkA", connections, PeerOS.LINUX, metadata);
        ConnectionRequest request = new ConnectionRequest("pkB", metadata, null);

        metadata.put("added", true);
        connections.clear();

        assertEquals(Map.of("n", 1L), p.peerMetadata());
        assertEquals(List.of(LAN_AB), p.connections());
        assertEquals(Map.of("n", 1L), request.peerMetadata());
        assertEquals(Map.of(), request.identityData());
        assertThrows(UnsupportedOperationException.class, () -> p.peerMetadata().put("x", 1L));
        assertThrows(UnsupportedOperationException.class, () -> request.peerMetadata().put("x", 1L));
    }

    @Test
    void peerMetadataMustBeJsonModelValues() {
        DittoException e = assertThrows(DittoException.class,
                () -> new ConnectionRequest("pk", Map.of("bad", new Object()), null));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertThrows(DittoException.class, () -> peer("pk", List.of(), PeerOS.LINUX, Map.of("nan", Double.NaN)));
    }

    @Test
    void connectionRequestHandlerIsAFunctionalInterface() {
        ConnectionRequestHandler onlyFriends = request -> "friend".equals(request.peerMetadata().get("role"))
                ? ConnectionRequestAuthorization.ALLOW : ConnectionRequestAuthorization.DENY;

        assertEquals(ConnectionRequestAuthorization.ALLOW,
                onlyFriends.onConnectionRequest(new ConnectionRequest("a", Map.of("role", "friend"), Map.of())));
        assertEquals(ConnectionRequestAuthorization.DENY,
                onlyFriends.onConnectionRequest(new ConnectionRequest("b", Map.of(), Map.of())));
    }
}
