package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthenticationProviderTest {

    @Test
    void toStringIsRawName() {
        assertEquals("my-webhook", AuthenticationProvider.of("my-webhook").toString());
        assertEquals("my-webhook", AuthenticationProvider.of("my-webhook").name());
    }

    @Test
    void developmentProviderHasFixedName() {
        AuthenticationProvider dev = AuthenticationProvider.development();
        assertEquals("__ditto_dev_provider", dev.toString());
        assertTrue(dev.isDevelopment());
        assertEquals(dev, AuthenticationProvider.of(AuthenticationProvider.DEVELOPMENT_NAME));
        assertFalse(AuthenticationProvider.of("other").isDevelopment());
    }

    @Test
    void equalityIsByName() {
        assertEquals(AuthenticationProvider.of("a"), AuthenticationProvider.of("a"));
        assertEquals(AuthenticationProvider.of("a").hashCode(), AuthenticationProvider.of("a").hashCode());
        assertNotEquals(AuthenticationProvider.of("a"), AuthenticationProvider.of("A"));
    }

    @Test
    void rejectsBlankAndNullNames() {
        DittoException e = assertThrows(DittoException.class, () -> AuthenticationProvider.of("  "));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertThrows(NullPointerException.class, () -> AuthenticationProvider.of(null));
    }
}
