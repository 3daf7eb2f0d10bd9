package ditto.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

class JwtIdentityProviderTest extends IdentityProviderContract {

    private static final String DATABASE = "3c1d9a52-7e0f-4b6a-8c2d-1f0e9d8c7b6a";
    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";
    private static final KeyPair ED_KEYS = edKeys();
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @Override
    protected IdentityProvider provider() {
        return new JwtIdentityProvider();
    }

    @Override
    protected IdentityParameters workingParameters() {
        return new IdentityParameters(DATABASE, false, Map.of(JwtIdentityProvider.HS256_SECRET, SECRET,
                JwtIdentityProvider.ED25519_PUBLIC_KEY, publicKeyBase64()));
    }

    @Override
    protected AuthenticationRequest grantedRequest() {
        long exp = Instant.now().getEpochSecond() + 3600;
        return request(hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"jane\",\"exp\":" + exp + "}", SECRET));
    }

    @Override
    protected AuthenticationRequest deniedRequest() {
        long exp = Instant.now().getEpochSecond() + 3600;
        return request(hs256("{\"alg\":\"HS256\"}", "{\"sub\":\"jane\",\"exp\":" + exp + "}",
                "another-secret-of-at-least-32-bytes!!"));
    }

    private static AuthenticationRequest request(String token) {
        return AuthenticationRequest.ofToken(JwtIdentityProvider.ID, token, "pkAclient");
    }

    private static IdentityVerifier verifier() {
        return new JwtIdentityProvider(Clock.fixed(NOW, ZoneOffset.UTC)).create(
                new IdentityParameters(DATABASE, false, Map.of(JwtIdentityProvider.HS256_SECRET, SECRET,
                        JwtIdentityProvider.ED25519_PUBLIC_KEY, publicKeyBase64())));
    }

    private static AuthenticationResult verify(String token) {
        return verifier().authenticate(request(token));
    }

    private static String claims(long exp, String extra) {
        return "{\"sub\":\"jane\",\"exp\":" + exp + extra + "}";
    }

    private static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hs256(String header, String payload, String secret) {
        try {
            String signed = b64(header) + "." + b64(payload);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signed + "." + b64(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String eddsa(String payload, PrivateKey key) {
        try {
            String signed = b64("{\"alg\":\"EdDSA\"}") + "." + b64(payload);
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64(signature.sign());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static KeyPair edKeys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(ED_KEYS.getPublic().getEncoded());
    }

    private static void assertDenied(AuthenticationResult result, String reasonPart) {
        assertConsistent(result);
        assertFalse(result.authenticated(), "expected a denial");
        assertTrue(result.reason().orElseThrow().contains(reasonPart), result.reason().orElseThrow());
    }

    @Test
    void grantsAValidHs256TokenWithSubjectExpiryAndFullPermissions() {
        long exp = NOW.getEpochSecond() + 600;
        AuthenticationResult result = verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ""), SECRET));
        assertConsistent(result);
        assertTrue(result.authenticated(), result.reason().toString());
        assertEquals("jane", result.userId().orElseThrow());
        assertEquals(Instant.ofEpochSecond(exp), result.expiresAt().orElseThrow());
        assertEquals(Permissions.everything(), result.permissions());
    }

    @Test
    void grantsAValidEdDsaTokenAndPassesClientInfoAndMetadataOn() {
        long exp = NOW.getEpochSecond() + 600;
        AuthenticationResult result = verify(eddsa(claims(exp,
                ",\"clientInfo\":{\"role\":\"admin\"},\"identityMetadata\":{\"team\":[1,2]}"), ED_KEYS.getPrivate()));
        assertTrue(result.authenticated(), result.reason().toString());
        assertEquals(Map.of("role", "admin"), result.clientInfo());
        assertEquals(Map.of("team", List.of(1L, 2L)), result.identityMetadata());
    }

    @Test
    void deniesAnEdDsaTokenSignedByAnotherKey() {
        String token = eddsa(claims(NOW.getEpochSecond() + 600, ""), edKeys().getPrivate());
        assertDenied(verify(token), "EdDSA signature does not match");
    }

    @Test
    void deniesAnHs256TokenWithAWrongSignatureOrAlteredPayload() {
        long exp = NOW.getEpochSecond() + 600;
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ""), "x".repeat(40))), "signature does not match");
        String good = hs256("{\"alg\":\"HS256\"}", claims(exp, ""), SECRET);
        String[] parts = good.split("\\.");
        String forged = parts[0] + "." + b64("{\"sub\":\"root\",\"exp\":" + exp + "}") + "." + parts[2];
        assertDenied(verify(forged), "signature does not match");
    }

    @Test
    void deniesAnExpiredTokenButToleratesTheLeeway() {
        long justExpired = NOW.getEpochSecond() - JwtIdentityProvider.LEEWAY_SECONDS + 1;
        assertTrue(verify(hs256("{\"alg\":\"HS256\"}", claims(justExpired, ""), SECRET)).authenticated());
        long expired = NOW.getEpochSecond() - JwtIdentityProvider.LEEWAY_SECONDS - 1;
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", claims(expired, ""), SECRET)), "expired");
    }

    @Test
    void deniesOutOfRangeOrFractionalTimesInsteadOfThrowing() {
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", claims(Long.MAX_VALUE, ""), SECRET)), "exp must be");
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", "{\"sub\":\"j\",\"exp\":1e300}", SECRET)), "exp must be");
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", claims(NOW.getEpochSecond() + 60, ",\"nbf\":1.5"), SECRET)),
                "nbf must be");
    }

    @Test
    void deniesATokenWithoutExp() {
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", "{\"sub\":\"jane\"}", SECRET)), "no exp");
    }

    @Test
    void deniesATokenThatIsNotYetValid() {
        long exp = NOW.getEpochSecond() + 6000;
        long nbf = NOW.getEpochSecond() + JwtIdentityProvider.LEEWAY_SECONDS + 60;
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ",\"nbf\":" + nbf), SECRET)), "not valid before");
        long started = NOW.getEpochSecond() - 10;
        assertTrue(verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ",\"nbf\":" + started), SECRET)).authenticated());
    }

    @Test
    void refusesAlgNoneAndAlgorithmsThatAreNotConfigured() {
        long exp = NOW.getEpochSecond() + 600;
        String unsigned = b64("{\"alg\":\"none\"}") + "." + b64(claims(exp, "")) + ".";
        assertDenied(verify(unsigned), "alg none");
        String hs512 = b64("{\"alg\":\"HS512\"}") + "." + b64(claims(exp, "")) + "." + b64("sig");
        assertDenied(verify(hs512), "'HS512' is not configured");
        IdentityVerifier hmacOnly = new JwtIdentityProvider(Clock.fixed(NOW, ZoneOffset.UTC)).create(
                new IdentityParameters(DATABASE, false, Map.of(JwtIdentityProvider.HS256_SECRET, SECRET)));
        assertDenied(hmacOnly.authenticate(request(eddsa(claims(exp, ""), ED_KEYS.getPrivate()))),
                "'EdDSA' is not configured");
    }

    @Test
    void checksTheAudienceAgainstTheDatabaseId() {
        long exp = NOW.getEpochSecond() + 600;
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ",\"aud\":\"other-db\""), SECRET)), "audience");
        assertTrue(verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ",\"aud\":\"" + DATABASE + "\""), SECRET))
                .authenticated());
        assertTrue(verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ",\"aud\":[\"x\",\"" + DATABASE + "\"]"), SECRET))
                .authenticated());
    }

    @Test
    void mapsThePermissionsClaim() {
        long exp = NOW.getEpochSecond() + 600;
        String permissions = ",\"permissions\":{\"read\":{\"cars\":true,\"orders\":[\"_id.owner == 'jane'\"],"
                + "\"secrets\":false},\"write\":{\"orders\":[\"_id.owner == 'jane'\"]}}";
        AuthenticationResult result = verify(hs256("{\"alg\":\"HS256\"}", claims(exp, permissions), SECRET));
        assertTrue(result.authenticated(), result.reason().toString());
        Permissions granted = result.permissions();
        assertEquals(Permissions.Rule.everything(), granted.readRule("cars"));
        assertEquals(Permissions.Rule.matching(List.of("_id.owner == 'jane'")), granted.readRule("orders"));
        assertTrue(granted.readRule("secrets").isNothing());
        assertTrue(granted.writeRule("cars").isNothing());
        assertEquals(Permissions.Rule.matching(List.of("_id.owner == 'jane'")), granted.writeRule("orders"));
    }

    @Test
    void deniesMalformedPermissions() {
        long exp = NOW.getEpochSecond() + 600;
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ",\"permissions\":{\"read\":{\"cars\":5}}"),
                SECRET)), "permissions claim.read.cars");
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", claims(exp, ",\"permissions\":{}"), SECRET)), "allows nothing");
    }

    @Test
    void deniesMalformedTokensWithAReason() {
        assertDenied(verify("not-a-token"), "compact form");
        assertDenied(verify("a.b.c.d"), "compact form");
        assertDenied(verify("!!!." + b64("{}") + ".x"), "not base64url");
        assertDenied(verify(b64("{\"alg\":") + "." + b64("{}") + ".x"), "not JSON");
        assertDenied(verify(b64("[1]") + "." + b64("{}") + ".x"), "header must be a JSON object");
        long exp = NOW.getEpochSecond() + 600;
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", "{\"sub\":\"a\",\"sub\":\"b\",\"exp\":" + exp + "}", SECRET)),
                "duplicate key");
        assertDenied(verify(hs256("{\"alg\":\"HS256\"}", "{\"exp\":" + exp + "}", SECRET)), "no sub");
    }

    @Test
    void deniesCredentialLogins() {
        assertDenied(verifier().authenticate(AuthenticationRequest.ofCredentials(JwtIdentityProvider.ID, "a", "b", "pk")),
                "only token logins");
    }

    @Test
    void refusesUnusableKeySettingsWithInvalidConfig() {
        for (Map<String, Object> settings : List.<Map<String, Object>>of(Map.of(),
                Map.of(JwtIdentityProvider.HS256_SECRET, "too-short"),
                Map.of(JwtIdentityProvider.HS256_SECRET, 12345),
                Map.of(JwtIdentityProvider.ED25519_PUBLIC_KEY, "bm90IGEga2V5"))) {
            DittoException e = assertThrows(DittoException.class,
                    () -> new JwtIdentityProvider().create(new IdentityParameters(DATABASE, false, settings)));
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        }
    }

    @Test
    void isRegisteredForServiceLoaderAndTheClassPath() throws Exception {
        Module module = JwtIdentityProvider.class.getModule();
        if (module.isNamed()) {
            assertTrue(module.getDescriptor().provides().stream().anyMatch(p ->
                    p.service().equals(IdentityProvider.class.getName())
                            && p.providers().contains(JwtIdentityProvider.class.getName())));
        }
        try (var in = JwtIdentityProvider.class.getResourceAsStream(
                "/META-INF/services/" + IdentityProvider.class.getName())) {
            assertTrue(new String(in.readAllBytes()).lines().map(String::trim).toList()
                    .contains(JwtIdentityProvider.class.getName()));
        }
    }
}
