package ditto.engine.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.Permissions;
import ditto.api.spi.transport.HttpRequest;
import ditto.api.spi.transport.HttpResponse;
import ditto.engine.security.IssuedCredentials;
import ditto.engine.security.PeerGrant;
import ditto.engine.security.PeerIdentity;
import ditto.engine.security.ServerAuthority;
import ditto.testkit.auth.TestTokens;

/** The server peer's login endpoint with the real identity provider plug-ins of ditto.auth. */
class LoginServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerAuthority authority = ServerAuthority.ephemeral();
    private final PeerIdentity client = PeerIdentity.ephemeral();
    private LoginService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void validTokenGetsACertificateCarryingItsPermissions() throws Exception {
        // given
        service = service(false);
        String token = TestTokens.hs256("alice", Instant.now().plusSeconds(600),
                "{\"read\":{\"*\":true},\"write\":{\"cars\":[\"_id.owner = 'alice'\"]}}");

        // when
        HttpResponse response = service.apply(login("{\"token\":\"" + token + "\",\"provider\":\"jwt\"}"));

        // then
        assertEquals(200, response.status(), text(response));
        JsonNode answer = JSON.readTree(response.body());
        assertEquals("alice", answer.get("user_id").asText());
        assertEquals("gold", answer.get("client_info").get("plan").asText());
        IssuedCredentials issued = new IssuedCredentials(
                IssuedCredentials.parsePem(answer.get("certificate").asText(), "certificate"),
                IssuedCredentials.parsePem(answer.get("authority").asText(), "authority"));
        issued.checkFor(client);
        PeerGrant grant = issued.grant();
        assertEquals("alice", grant.userId());
        assertTrue(grant.permissions().readRule("anything").all());
        assertEquals(Permissions.Rule.matching(java.util.List.of("_id.owner = 'alice'")),
                grant.permissions().writeRule("cars"));
        assertTrue(grant.permissions().writeRule("boats").isNothing());
        assertEquals(answer.get("expires_at").asLong() / 1000, issued.expiresAt().getEpochSecond());
    }

    @Test
    void namedProviderMapsToItsPluginType() throws Exception {
        // given: clients log in with "corp", checked by the jwt plug-in
        Map<String, Object> providers = new LinkedHashMap<>();
        providers.put("corp", Map.of("type", "jwt", "hs256Secret", TestTokens.SECRET));
        service = service(Map.of("identity_providers", providers));

        // when
        HttpResponse response = service.apply(login("{\"token\":\"" + TestTokens.hs256("bob",
                Instant.now().plusSeconds(60), null) + "\",\"provider\":\"corp\"}"));

        // then
        assertEquals(200, response.status(), text(response));
    }

    @Test
    void badExpiredAndUnknownLoginsAreRefusedWithReasons() throws Exception {
        // given
        service = service(false);
        String wrongKey = TestTokens.hs256("some-other-secret-of-32-bytes-len!!", "eve", Instant.now().plusSeconds(60), null);
        String expired = TestTokens.hs256("alice", Instant.now().minusSeconds(3600), null);

        // when
        HttpResponse bad = service.apply(login("{\"token\":\"" + wrongKey + "\",\"provider\":\"jwt\"}"));
        HttpResponse old = service.apply(login("{\"token\":\"" + expired + "\",\"provider\":\"jwt\"}"));
        HttpResponse unknown = service.apply(login("{\"token\":\"x\",\"provider\":\"nobody\"}"));
        HttpResponse development = service.apply(login("{\"token\":\"x\",\"provider\":\"__ditto_dev_provider\"}"));

        // then
        assertRefused(bad, "signature");
        assertRefused(old, "expired");
        assertRefused(unknown, "no identity provider named 'nobody'");
        assertRefused(development, "development mode");
    }

    @Test
    void developmentProviderWorksOnlyInDevelopmentMode() throws Exception {
        // given
        service = service(true);

        // when
        HttpResponse response = service.apply(login("{\"token\":\"anything\",\"provider\":\"__ditto_dev_provider\"}"));

        // then
        assertEquals(200, response.status(), text(response));
    }

    @Test
    void malformedRequestsGetA400NamingTheField() {
        // given
        service = service(false);
        String key = Base64.getEncoder().encodeToString(client.publicKey().getEncoded());

        // then
        assertEquals(400, service.apply(raw("POST", "{")).status());
        assertTrue(text(service.apply(raw("POST", "{\"provider\":\"jwt\",\"database_id\":\"db\",\"token\":\"t\"}")))
                .contains("'public_key'"));
        assertTrue(text(service.apply(raw("POST", "{\"provider\":\"jwt\",\"database_id\":\"db\",\"token\":\"t\","
                + "\"public_key\":\"AAAA\"}"))).contains("P-256"));
        assertTrue(text(service.apply(raw("POST", "{\"provider\":\"jwt\",\"database_id\":\"db\",\"public_key\":\""
                + key + "\"}"))).contains("neither 'token'"));
        assertEquals(405, service.apply(raw("GET", "")).status());
        assertEquals(404, service.apply(new HttpRequest("POST", "/_ditto/other", Map.of(), new byte[0], "test")).status());
    }

    @Test
    void loginForAnotherDatabaseIsRefused() throws Exception {
        // given
        service = service(true);
        String key = Base64.getEncoder().encodeToString(client.publicKey().getEncoded());

        // when
        HttpResponse response = service.apply(raw("POST", "{\"provider\":\"__ditto_dev_provider\",\"token\":\"t\","
                + "\"database_id\":\"other\",\"public_key\":\"" + key + "\"}"));

        // then
        assertRefused(response, "serves database 'db'");
    }

    @Test
    void missingPluginAnswers503() throws Exception {
        // given
        service = new LoginService("db", ServerConfig.of(Map.of("server", Map.of("identity_providers",
                Map.of("jwt", Map.of("hs256Secret", TestTokens.SECRET))))).orElseThrow(), authority, id -> Optional.empty(),
                Clock.systemUTC());

        // when
        HttpResponse response = service.apply(login("{\"token\":\"t\",\"provider\":\"jwt\"}"));

        // then
        assertEquals(503, response.status());
        assertTrue(text(response).contains("not deployed"), text(response));
    }

    @Test
    void serverConfigErrorsNameTheKey() {
        // then
        assertEquals(Optional.empty(), ServerConfig.of(Map.of()));
        DittoException notObject = assertThrows(DittoException.class, () -> ServerConfig.of(Map.of("server", 3L)));
        DittoException badMode = assertThrows(DittoException.class,
                () -> ServerConfig.of(Map.of("server", Map.of("development_mode", "yes"))));
        DittoException unknown = assertThrows(DittoException.class,
                () -> ServerConfig.of(Map.of("server", Map.of("port", 1L))));
        assertEquals(ErrorCode.INVALID_CONFIG, notObject.code());
        assertTrue(badMode.getMessage().contains("server.development_mode"), badMode.getMessage());
        assertTrue(unknown.getMessage().contains("server.port"), unknown.getMessage());
    }

    private LoginService service(boolean development) {
        return service(Map.of("development_mode", development,
                "identity_providers", Map.of("jwt", Map.of("hs256Secret", TestTokens.SECRET))));
    }

    private LoginService service(Map<String, Object> server) {
        return new LoginService("db", ServerConfig.of(Map.of("server", server)).orElseThrow(), authority,
                LoginServiceTest::plugin, Clock.systemUTC());
    }

    static Optional<IdentityProvider> plugin(String id) {
        return ServiceLoader.load(IdentityProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.id().equals(id)).findFirst();
    }

    private HttpRequest login(String partialJson) {
        String key = Base64.getEncoder().encodeToString(client.publicKey().getEncoded());
        String body = partialJson.substring(0, partialJson.length() - 1) + ",\"database_id\":\"db\",\"public_key\":\""
                + key + "\"}";
        return raw("POST", body);
    }

    private static HttpRequest raw(String method, String body) {
        return new HttpRequest(method, LoginService.LOGIN_PATH, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1:5555");
    }

    private static void assertRefused(HttpResponse response, String reason) throws Exception {
        assertEquals(401, response.status(), text(response));
        JsonNode answer = JSON.readTree(response.body());
        assertFalse(answer.get("authenticated").asBoolean());
        assertTrue(answer.get("reason").asText().contains(reason), answer.get("reason").asText());
    }

    private static String text(HttpResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
