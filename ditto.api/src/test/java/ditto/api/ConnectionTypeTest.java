package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionTypeTest {

    @Test
    void usesTheReferenceWireNames() {
        assertEquals("Bluetooth", ConnectionType.BLUETOOTH.wireName());
        assertEquals("AccessPoint", ConnectionType.ACCESS_POINT.wireName());
        assertEquals("P2PWiFi", ConnectionType.P2P_WIFI.wireName());
        assertEquals("WebSocket", ConnectionType.WEB_SOCKET.wireName());
    }

    @Test
    void fromWireRoundTripsEveryConstant() {
        for (ConnectionType type : ConnectionType.values()) {
            assertEquals(type, ConnectionType.fromWire(type.wireName()));
        }
    }

    @Test
    void fromWireRejectsUnknownNamesExactly() {
        DittoException e = assertThrows(DittoException.class, () -> ConnectionType.fromWire("bluetooth"));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("\"bluetooth\""), e.getMessage());
        assertThrows(NullPointerException.class, () -> ConnectionType.fromWire(null));
    }
}
