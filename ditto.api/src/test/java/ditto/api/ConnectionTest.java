package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionTest {

    @Test
    void betweenIsIndependentOfArgumentOrder() {
        Connection ab = Connection.between("pkA", "pkB", ConnectionType.ACCESS_POINT);
        Connection ba = Connection.between("pkB", "pkA", ConnectionType.ACCESS_POINT);

        assertEquals(ab, ba);
        assertEquals("pkA", ab.peerKeyString1());
        assertEquals("pkB", ab.peerKeyString2());
    }

    @Test
    void idIsStableAndDocumented() {
        Connection c = Connection.between("pkB", "pkA", ConnectionType.BLUETOOTH);

        assertTrue(c.id().matches("Bluetooth-[0-9a-f]{32}"), c.id());
        assertEquals(c.id(), Connection.between("pkA", "pkB", ConnectionType.BLUETOOTH).id());
    }

    @Test
    void idDependsOnTypeAndBothKeys() {
        Set<String> ids = new HashSet<>();
        ids.add(Connection.between("a", "b", ConnectionType.BLUETOOTH).id());
        ids.add(Connection.between("a", "b", ConnectionType.WEB_SOCKET).id());
        ids.add(Connection.between("a", "c", ConnectionType.BLUETOOTH).id());
        ids.add(Connection.between("ab", "c", ConnectionType.BLUETOOTH).id());
        ids.add(Connection.between("a", "bc", ConnectionType.BLUETOOTH).id());

        assertEquals(5, ids.size());
    }

    @Test
    void idMatchesTheDocumentedHashScheme() throws Exception {
        Connection c = Connection.between("x", "y", ConnectionType.P2P_WIFI);
        byte[] input = ditto.api.internal.Cbor.encodeCanonical(List.of("P2PWiFi", "x", "y"));
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(input);

        assertEquals("P2PWiFi-" + java.util.HexFormat.of().formatHex(hash, 0, 16), c.id());
    }

    @Test
    void rejectsSelfConnectionsAndEmptyKeys() {
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> Connection.between("a", "a", ConnectionType.BLUETOOTH)).code());
        assertThrows(DittoException.class, () -> Connection.between("", "a", ConnectionType.BLUETOOTH));
        assertThrows(NullPointerException.class, () -> Connection.between("a", "b", null));
    }

    @Test
    void naturalOrderingIsByKeysThenTypeAndConsistentWithEquals() {
        Connection ab = Connection.between("a", "b", ConnectionType.WEB_SOCKET);
        Connection abBle = Connection.between("a", "b", ConnectionType.BLUETOOTH);
        Connection ac = Connection.between("a", "c", ConnectionType.BLUETOOTH);
        Connection bc = Connection.between("b", "c", ConnectionType.BLUETOOTH);
        List<Connection> list = new ArrayList<>(List.of(bc, ac, ab, abBle));

        Collections.sort(list);

        assertEquals(List.of(abBle, ab, ac, bc), list);
        assertEquals(0, ab.compareTo(Connection.between("b", "a", ConnectionType.WEB_SOCKET)));
        Connection sameButOtherId = new Connection("other", "a", "b", ConnectionType.WEB_SOCKET);
        assertNotEquals(0, ab.compareTo(sameButOtherId));
        assertNotEquals(ab, sameButOtherId);
    }

    @Test
    void knowsItsEnds() {
        Connection c = Connection.between("a", "b", ConnectionType.ACCESS_POINT);

        assertTrue(c.involves("a"));
        assertFalse(c.involves("z"));
        assertEquals("b", c.otherEnd("a"));
        assertEquals("a", c.otherEnd("b"));
        assertThrows(DittoException.class, () -> c.otherEnd("z"));
    }
}
