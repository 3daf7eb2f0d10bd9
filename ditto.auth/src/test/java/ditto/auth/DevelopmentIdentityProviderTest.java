package ditto.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ditto.api.AuthenticationProvider;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.LogLevel;
import ditto.api.spi.auth.AuthenticationRequest;
import ditto.api.spi.auth.AuthenticationResult;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.auth.Permissions;
import ditto.testkit.auth.IdentityProviderContract;

class DevelopmentIdentityProviderTest extends IdentityProviderContract {

    private static final String DATABASE = "3c1d9a52-7e0f-4b6a-8c2d-1f0e9d8c7b6a";
    private static final String DEV = AuthenticationProvider.DEVELOPMENT_NAME;
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    @Override
    protected IdentityProvider provider() {
        return new DevelopmentIdentityProvider();
    }

    @Override
    protected IdentityParameters workingParameters() {
        return new IdentityParameters(DATABASE, true, Map.of(DevelopmentIdentityProvider.EXPIRATION_SECONDS, 3600));
    }

    @Override
    protected AuthenticationRequest grantedRequest() {
        return AuthenticationRequest.ofToken(DEV, "any-token-at-all", "pkAclient");
    }

    @Override
    protected AuthenticationRequest deniedRequest() {
        return AuthenticationRequest.ofToken(DEV, "   ", "pkAclient");
    }

    @AfterEach
    void removeLogCallback() {
        DittoLogger.setCustomLogCallback(null);
    }

    private static IdentityVerifier verifier(boolean developmentMode, Map<String, Object> settings) {
        return new DevelopmentIdentityProvider(Clock.fixed(NOW, ZoneOffset.UTC))
                .create(new IdentityParameters(DATABASE, developmentMode, settings));
    }

    @Test
    void idIsTheNameTheApiUsesForTheDevelopmentProvider() {
        assertEquals(AuthenticationProvider.development().name(), new DevelopmentIdentityProvider().id());
    }

    @Test
    void grantsAnyTokenWithEverythingForTwentyFourHoursByDefault() {
        // given
        IdentityVerifier verifier = verifier(true, Map.of());
        // when
        AuthenticationResult result = verifier.authenticate(AuthenticationRequest.ofToken(DEV, "jane", "pkA"));
        // then
        assertTrue(result.authenticated());
        assertEquals("jane", result.userId().orElseThrow());
        assertEquals(NOW.plus(Duration.ofHours(24)), result.expiresAt().orElseThrow());
        assertEquals(Permissions.everything(), result.permissions());
        assertTrue(result.clientInfo().isEmpty());
    }

    @Test
    void usesTheFirst64CharactersOfTheTokenAsUserId() {
        IdentityVerifier verifier = verifier(true, Map.of());
        String token = "a".repeat(64) + "bcdef";
        AuthenticationResult result = verifier.authenticate(AuthenticationRequest.ofToken(DEV, token, "pkA"));
        assertEquals("a".repeat(64), result.userId().orElseThrow());
    }

    @Test
    void neverSplitsASurrogatePairWhenShorteningTheToken() {
        IdentityVerifier verifier = verifier(true, Map.of());
        String token = "a".repeat(63) + "\uD83D\uDE00" + "tail";
        AuthenticationResult result = verifier.authenticate(AuthenticationRequest.ofToken(DEV, token, "pkA"));
        assertEquals("a".repeat(63), result.userId().orElseThrow());
    }

    @Test
    void grantsCredentialLoginsWithTheUsernameAsUserId() {
        IdentityVerifier verifier = verifier(true, Map.of());
        AuthenticationResult result = verifier.authenticate(
                AuthenticationRequest.ofCredentials(DEV, "alice", "whatever", "pkA"));
        assertTrue(result.authenticated());
        assertEquals("alice", result.userId().orElseThrow());
        assertEquals(Permissions.everything(), result.permissions());
    }

    @Test
    void deniesEveryLoginOutsideDevelopmentMode() {
        IdentityVerifier verifier = verifier(false, Map.of());
        for (AuthenticationRequest request : List.of(AuthenticationRequest.ofToken(DEV, "jane", "pkA"),
                AuthenticationRequest.ofCredentials(DEV, "alice", "pw", "pkA"))) {
            AuthenticationResult result = verifier.authenticate(request);
            assertFalse(result.authenticated());
            assertTrue(result.reason().orElseThrow().contains("not in development mode"), result.reason().toString());
            assertEquals(Permissions.none(), result.permissions());
        }
    }

    @Test
    void deniesBlankTokensAndUsernames() {
        IdentityVerifier verifier = verifier(true, Map.of());
        assertFalse(verifier.authenticate(AuthenticationRequest.ofToken(DEV, " \t", "pkA")).authenticated());
        assertFalse(verifier.authenticate(AuthenticationRequest.ofCredentials(DEV, "", "pw", "pkA")).authenticated());
    }

    @Test
    void deniesARequestNamingAnotherProvider() {
        IdentityVerifier verifier = verifier(true, Map.of());
        AuthenticationResult result = verifier.authenticate(AuthenticationRequest.ofToken("jwt", "jane", "pkA"));
        assertFalse(result.authenticated());
        assertTrue(result.reason().orElseThrow().contains("'jwt'"));
    }

    @Test
    void expirationSecondsOverridesTheLifetimeAsNumberOrString() {
        assertEquals(NOW.plusSeconds(90), verifier(true, Map.of("expirationSeconds", 90))
                .authenticate(grantedRequest()).expiresAt().orElseThrow());
        assertEquals(NOW.plusSeconds(7200), verifier(true, Map.of("expirationSeconds", 7200L))
                .authenticate(grantedRequest()).expiresAt().orElseThrow());
        assertEquals(NOW.plusSeconds(60), verifier(true, Map.of("expirationSeconds", " 60 "))
                .authenticate(grantedRequest()).expiresAt().orElseThrow());
        assertEquals(NOW.plusSeconds(30), verifier(true, Map.of("expirationSeconds", 30.0))
                .authenticate(grantedRequest()).expiresAt().orElseThrow());
    }

    @Test
    void refusesAnUnusableExpirationWithInvalidConfigNamingTheSetting() {
        for (Object bad : List.of(0, -5, "soon", 1.5, DevelopmentIdentityProvider.MAX_EXPIRATION_SECONDS + 1, List.of(1))) {
            DittoException e = assertThrows(DittoException.class, () -> verifier(true, Map.of("expirationSeconds", bad)),
                    "accepted " + bad);
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
            assertTrue(e.getMessage().contains("expirationSeconds"), e.getMessage());
        }
    }

    @Test
    void logsOneWarningPerVerifierInDevelopmentMode() {
        // given
        DittoLogger.setCustomLogCallback((level, message) -> {
            if (level == LogLevel.WARNING && message.contains("development authentication is on")) {
                warnings.add(message);
            }
        });
        // when two verifiers are created and used many times
        IdentityVerifier first = verifier(true, Map.of());
        IdentityVerifier second = verifier(true, Map.of());
        for (int i = 0; i < 10; i++) {
            first.authenticate(grantedRequest());
            second.authenticate(grantedRequest());
        }
        verifier(false, Map.of()).authenticate(grantedRequest());
        // then
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(DATABASE));
    }

    @Test
    void isRegisteredForServiceLoaderAndTheClassPath() throws Exception {
        Module module = DevelopmentIdentityProvider.class.getModule();
        if (module.isNamed()) {
            assertTrue(module.getDescriptor().provides().stream().anyMatch(p ->
                    p.service().equals(IdentityProvider.class.getName())
                            && p.providers().contains(DevelopmentIdentityProvider.class.getName())));
        }
        try (var in = DevelopmentIdentityProvider.class.getResourceAsStream(
                "/META-INF/services/" + IdentityProvider.class.getName())) {
            assertTrue(new String(in.readAllBytes()).lines().map(String::trim).toList()
                    .contains(DevelopmentIdentityProvider.class.getName()));
        }
    }
}
