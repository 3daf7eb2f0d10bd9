package ditto.api.spi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PermissionsTest {

    @Test
    void namedCollectionRuleWinsOverWildcard() {
        Permissions p = new Permissions(
                Map.of("cars", Permissions.Rule.matching(List.of("_id.owner = 'alice'")),
                        Permissions.ALL_COLLECTIONS, Permissions.Rule.everything()),
                Map.of("cars", Permissions.Rule.nothing()));

        assertEquals(List.of("_id.owner = 'alice'"), p.readRule("cars").idQueries());
        assertTrue(p.readRule("boats").all(), "wildcard applies to unnamed collections");
        assertTrue(p.writeRule("cars").isNothing());
        assertTrue(p.writeRule("boats").isNothing(), "no wildcard for writes: nothing allowed");
    }

    @Test
    void noneAllowsNothingAndEverythingAllowsAll() {
        assertTrue(Permissions.none().readRule("x").isNothing());
        assertTrue(Permissions.everything().writeRule("x").all());
        assertFalse(Permissions.Rule.matching(List.of("_id = 1")).isNothing());
    }

    @Test
    void requestNeedsTokenOrCredentialsAndHidesSecrets() {
        assertThrows(IllegalArgumentException.class, () -> new AuthenticationRequest("p",
                java.util.Optional.empty(), java.util.Optional.of("u"), java.util.Optional.empty(), "k"));
        AuthenticationRequest r = AuthenticationRequest.ofToken("jwt", "secret-token", "peer");
        assertFalse(r.toString().contains("secret-token"), r.toString());
        AuthenticationRequest c = AuthenticationRequest.ofCredentials("hook", "bob", "pw123", "peer");
        assertFalse(c.toString().contains("pw123"), c.toString());
    }

    @Test
    void verdictsCarryClientInfo() {
        AuthenticationResult denied = AuthenticationResult.denied("bad token", Map.of("hint", "refresh"));
        assertFalse(denied.authenticated());
        assertEquals("bad token", denied.reason().orElseThrow());
        assertEquals("refresh", denied.clientInfo().get("hint"));
        assertTrue(denied.permissions().readRule("any").isNothing());

        AuthenticationResult ok = AuthenticationResult.granted("u1", Instant.EPOCH, Permissions.everything(),
                Map.of(), Map.of("team", "blue"));
        assertTrue(ok.authenticated());
        assertEquals("u1", ok.userId().orElseThrow());
        assertThrows(UnsupportedOperationException.class, () -> ok.identityMetadata().put("x", 1));
    }

    @Test
    void parametersHideSettingValues() {
        IdentityParameters p = new IdentityParameters("db", false, Map.of("secret", "hunter2"));
        assertFalse(p.toString().contains("hunter2"), p.toString());
    }
}
