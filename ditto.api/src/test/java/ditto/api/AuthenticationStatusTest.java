package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AuthenticationStatusTest {

    @Test
    void unauthenticatedHasEmptyUserAndClientInfo() {
        AuthenticationStatus s = AuthenticationStatus.UNAUTHENTICATED;
        assertFalse(s.isAuthenticated());
        assertEquals("", s.userId());
        assertTrue(s.clientInfo().isEmpty());
    }

    @Test
    void clientInfoIsAnUnmodifiableCopy() {
        Map<String, Object> info = new HashMap<>();
        info.put("role", "admin");
        AuthenticationStatus s = new AuthenticationStatus(true, "u1", info);
        info.put("role", "guest");
        assertEquals(Map.of("role", "admin"), s.clientInfo());
        assertThrows(UnsupportedOperationException.class, () -> s.clientInfo().put("x", 1));
        assertEquals(new AuthenticationStatus(true, "u1", Map.of("role", "admin")), s);
    }

    @Test
    void rejectsNullFieldsAndNonJsonValues() {
        assertThrows(NullPointerException.class, () -> new AuthenticationStatus(false, null, Map.of()));
        assertThrows(NullPointerException.class, () -> new AuthenticationStatus(false, "", null));
        DittoException e = assertThrows(DittoException.class,
                () -> new AuthenticationStatus(true, "u", Map.of("t", new Thread())));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }
}
