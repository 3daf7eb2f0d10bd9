package ditto.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.AuthenticationRequest;
import ditto.api.spi.auth.AuthenticationResult;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.auth.Permissions;
import ditto.testkit.auth.IdentityProviderContract;

class WebhookIdentityProviderTest extends IdentityProviderContract {

    private static final String DATABASE = "3c1d9a52-7e0f-4b6a-8c2d-1f0e9d8c7b6a";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final String GRANT = "{\"authenticated\":true,\"userID\":\"jane\",\"expirationSeconds\":3600}";

    private LocalWebhook webhook;
    private final AtomicReference<String> lastBody = new AtomicReference<>();
    private final AtomicReference<LocalWebhook.Answer> answer = new AtomicReference<>();

    @BeforeEach
    void startWebhook() throws IOException {
        webhook = new LocalWebhook(body -> {
            lastBody.set(body);
            LocalWebhook.Answer fixed = answer.get();
            if (fixed != null) {
                return fixed;
            }
            return body.contains("\"token\":\"good-token\"") ? LocalWebhook.Answer.ok(GRANT)
                    : LocalWebhook.Answer.ok("{\"authenticated\":false,\"reason\":\"unknown token\"}");
        });
    }

    @AfterEach
    void stopWebhook() throws IOException {
        webhook.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new WebhookIdentityProvider();
    }

    @Override
    protected IdentityParameters workingParameters() {
        return new IdentityParameters(DATABASE, false, Map.of(WebhookIdentityProvider.URL, webhook.url(),
                WebhookIdentityProvider.TIMEOUT_MILLIS, 5000));
    }

    @Override
    protected AuthenticationRequest grantedRequest() {
        return AuthenticationRequest.ofToken(WebhookIdentityProvider.ID, "good-token", "pkAclient");
    }

    @Override
    protected AuthenticationRequest deniedRequest() {
        return AuthenticationRequest.ofToken(WebhookIdentityProvider.ID, "bad-token", "pkAclient");
    }

    private IdentityVerifier verifier(long timeoutMillis) {
        return new WebhookIdentityProvider(Clock.fixed(NOW, ZoneOffset.UTC)).create(new IdentityParameters(DATABASE,
                false, Map.of(WebhookIdentityProvider.URL, webhook.url(),
                        WebhookIdentityProvider.TIMEOUT_MILLIS, timeoutMillis)));
    }

    private AuthenticationResult answerWith(LocalWebhook.Answer fixed) {
        answer.set(fixed);
        try (IdentityVerifier verifier = verifier(5000)) {
            AuthenticationResult result = verifier.authenticate(grantedRequest());
            assertConsistent(result);
            return result;
        }
    }

    private static void assertDenied(AuthenticationResult result, String reasonPart) {
        assertFalse(result.authenticated(), "expected a denial");
        assertTrue(result.reason().orElseThrow().contains(reasonPart), result.reason().orElseThrow());
    }

    @Test
    void grantsWhatTheWebhookGrantsAndSendsTokenDatabaseAndPeerKey() {
        AuthenticationResult result = answerWith(LocalWebhook.Answer.ok("{\"authenticated\":true,\"userID\":\"jane\","
                + "\"expirationSeconds\":600,\"clientInfo\":{\"plan\":\"pro\"},\"identityMetadata\":{\"age\":42},"
                + "\"permissions\":{\"read\":{\"*\":true},\"write\":{\"orders\":[\"_id.owner == 'jane'\"]}}}"));
        assertTrue(result.authenticated(), result.reason().toString());
        assertEquals("jane", result.userId().orElseThrow());
        assertEquals(NOW.plusSeconds(600), result.expiresAt().orElseThrow());
        assertEquals(Map.of("plan", "pro"), result.clientInfo());
        assertEquals(Map.of("age", 42L), result.identityMetadata());
        assertEquals(Permissions.Rule.everything(), result.permissions().readRule("anything"));
        assertEquals(Permissions.Rule.matching(List.of("_id.owner == 'jane'")), result.permissions().writeRule("orders"));
        assertTrue(result.permissions().writeRule("cars").isNothing());
        assertEquals("{\"token\":\"good-token\",\"databaseId\":\"" + DATABASE + "\",\"peerKey\":\"pkAclient\"}",
                lastBody.get());
    }

    @Test
    void grantsEverythingWhenTheAnswerHasNoPermissions() {
        assertEquals(Permissions.everything(), answerWith(LocalWebhook.Answer.ok(GRANT)).permissions());
    }

    @Test
    void sendsCredentialsAsJsonWithEscaping() {
        try (IdentityVerifier verifier = verifier(5000)) {
            verifier.authenticate(AuthenticationRequest.ofCredentials(WebhookIdentityProvider.ID, "al\"ice",
                    "p\\w\n", "pkB"));
        }
        assertEquals("{\"username\":\"al\\\"ice\",\"password\":\"p\\\\w\\n\",\"databaseId\":\"" + DATABASE
                + "\",\"peerKey\":\"pkB\"}", lastBody.get());
    }

    @Test
    void deniesWhatTheWebhookDeniesWithItsReason() {
        answer.set(null);
        try (IdentityVerifier verifier = verifier(5000)) {
            assertDenied(verifier.authenticate(deniedRequest()), "unknown token");
        }
    }

    @Test
    void deniesOnAServerError() {
        assertDenied(answerWith(new LocalWebhook.Answer(500, "oops", 0)), "HTTP status 500");
    }

    @Test
    void deniesWhenTheWebhookIsTooSlow() {
        answer.set(new LocalWebhook.Answer(200, GRANT, 3000));
        try (IdentityVerifier verifier = verifier(300)) {
            long start = System.nanoTime();
            assertDenied(verifier.authenticate(grantedRequest()), "did not answer within 300 ms");
            assertTrue(System.nanoTime() - start < 2_500_000_000L, "the timeout was not honoured");
        }
    }

    @Test
    void deniesGarbageAndIncompleteAnswersNamingTheCause() {
        assertDenied(answerWith(LocalWebhook.Answer.ok("<html>hi</html>")), "malformed body");
        assertDenied(answerWith(LocalWebhook.Answer.ok("{\"authenticated\":\"yes\"}")), "authenticated must be");
        assertDenied(answerWith(LocalWebhook.Answer.ok("{\"authenticated\":true,\"expirationSeconds\":5}")), "userID");
        assertDenied(answerWith(LocalWebhook.Answer.ok("{\"authenticated\":true,\"userID\":\"j\"}")),
                "expirationSeconds");
        assertDenied(answerWith(LocalWebhook.Answer.ok("{\"authenticated\":true,\"userID\":\"j\",\"expirationSeconds\":5,"
                + "\"permissions\":{\"read\":{\"cars\":\"all\"}}}")), "permissions.read.cars");
    }

    @Test
    void deniesWhenTheWebhookCannotBeReached() throws IOException {
        IdentityParameters parameters = workingParameters();
        webhook.close();
        try (IdentityVerifier verifier = provider().create(parameters)) {
            assertDenied(verifier.authenticate(grantedRequest()), "could not be reached");
        }
    }

    @Test
    void refusesBadSettingsWithInvalidConfig() {
        for (Map<String, Object> settings : List.<Map<String, Object>>of(Map.of(),
                Map.of(WebhookIdentityProvider.URL, "ftp://example.com/x"),
                Map.of(WebhookIdentityProvider.URL, "not a url"),
                Map.of(WebhookIdentityProvider.URL, "http://localhost/x", WebhookIdentityProvider.TIMEOUT_MILLIS, 0),
                Map.of(WebhookIdentityProvider.URL, "http://localhost/x", WebhookIdentityProvider.TIMEOUT_MILLIS, 1.5))) {
            DittoException e = assertThrows(DittoException.class,
                    () -> provider().create(new IdentityParameters(DATABASE, false, settings)), settings.toString());
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        }
    }

    @Test
    void isRegisteredForServiceLoaderAndTheClassPath() throws Exception {
        Module module = WebhookIdentityProvider.class.getModule();
        if (module.isNamed()) {
            assertTrue(module.getDescriptor().provides().stream().anyMatch(p ->
                    p.service().equals(IdentityProvider.class.getName())
                            && p.providers().contains(WebhookIdentityProvider.class.getName())));
        }
        try (var in = WebhookIdentityProvider.class.getResourceAsStream(
                "/META-INF/services/" + IdentityProvider.class.getName())) {
            assertTrue(new String(in.readAllBytes()).lines().map(String::trim).toList()
                    .contains(WebhookIdentityProvider.class.getName()));
        }
    }
}
