package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportDiagnosticsTest {
    private static final TransportSnapshot LAN = new TransportSnapshot("AccessPoint",
            List.of("c1"), List.of("p1", "p2"), List.of(), List.of("gone"));
    private static final TransportSnapshot WS = new TransportSnapshot("WebSocket",
            List.of(), List.of("p3"), List.of("d1"), List.of());
    private static final TransportSnapshot IDLE = new TransportSnapshot("TCP", null, null, null, List.of("old"));
    private static final TransportSnapshot AWDL = TransportSnapshot.unavailable("P2PWiFi", "AWDL needs Apple hardware");

    @Test
    void snapshotCountsPeersOverAllStates() {
        assertEquals(4, LAN.totalPeers());
        assertEquals(2, WS.totalPeers());
        assertEquals(1, IDLE.totalPeers());
        assertEquals(0, AWDL.totalPeers());
    }

    @Test
    void snapshotActivityIgnoresDisconnectedPeers() {
        assertTrue(LAN.hasActivity());
        assertTrue(LAN.isActive());
        TransportSnapshot onlyConnecting = new TransportSnapshot("Bluetooth", List.of("x"), null, null, null);
        assertTrue(onlyConnecting.hasActivity());
        assertFalse(onlyConnecting.isActive());
        TransportSnapshot onlyDisconnecting = new TransportSnapshot("Bluetooth", null, null, List.of("x"), null);
        assertTrue(onlyDisconnecting.hasActivity());
        assertFalse(IDLE.hasActivity());
        assertFalse(IDLE.isActive());
    }

    @Test
    void unavailableTransportsSayWhyAndHaveNoPeers() {
        assertFalse(AWDL.isAvailable());
        assertEquals(Optional.of("AWDL needs Apple hardware"), AWDL.unavailableReason());
        assertTrue(LAN.isAvailable());
        assertThrows(DittoException.class, () -> new TransportSnapshot("Bluetooth", null, List.of("p"), null, null,
                Optional.of("no adapter")));
    }

    @Test
    void snapshotListsAreImmutableCopies() {
        List<String> connected = new ArrayList<>(List.of("p"));
        TransportSnapshot s = new TransportSnapshot("Bluetooth", null, connected, null, null);

        connected.add("q");

        assertEquals(List.of("p"), s.connected());
        assertThrows(UnsupportedOperationException.class, () -> s.connected().add("z"));
    }

    @Test
    void diagnosticsAggregateOverTransports() {
        TransportDiagnostics diagnostics = new TransportDiagnostics(List.of(LAN, WS, IDLE, AWDL));

        assertEquals(2, diagnostics.activeTransports());
        assertEquals(3, diagnostics.totalConnectedPeers());
        assertEquals(Optional.of(WS), diagnostics.transportByType("WebSocket"));
        assertEquals(Optional.of(LAN), diagnostics.transportByType(ConnectionType.ACCESS_POINT));
        assertEquals(Optional.empty(), diagnostics.transportByType("websocket"));
    }

    @Test
    void emptyDiagnosticsHaveNoActivity() {
        TransportDiagnostics none = new TransportDiagnostics(null);

        assertEquals(0, none.activeTransports());
        assertEquals(0, none.totalConnectedPeers());
        assertEquals(Optional.empty(), none.transportByType("AccessPoint"));
    }

    @Test
    void toJsonUsesTheReferenceFieldNames() {
        String json = new TransportDiagnostics(List.of(WS, AWDL)).toJson();

        assertEquals("{\"transports\":[{\"connection_type\":\"WebSocket\",\"connecting\":[],\"connected\":[\"p3\"],"
                + "\"disconnecting\":[\"d1\"],\"disconnected\":[]},{\"connection_type\":\"P2PWiFi\",\"connecting\":[],"
                + "\"connected\":[],\"disconnecting\":[],\"disconnected\":[],"
                + "\"unavailable_reason\":\"AWDL needs Apple hardware\"}]}", json);
    }
}
