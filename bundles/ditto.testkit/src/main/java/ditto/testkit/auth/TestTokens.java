package ditto.testkit.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes HS256 JSON Web Tokens for tests, independently of the provider that checks them: a
 * {@code sub}, an {@code exp}, a {@code clientInfo} of {@code {"plan":"gold","user":<sub>}} and
 * optionally a {@code permissions} claim.
 */
public final class TestTokens {

    /** A shared secret (at least 32 bytes) test servers configure for the {@code jwt} provider. */
    public static final String SECRET = "a-test-secret-of-at-least-32-bytes!";

    private TestTokens() {
    }

    /**
     * Returns a token signed with {@link #SECRET}.
     *
     * @param user the {@code sub} claim
     * @param expires the {@code exp} claim
     * @param permissionsJson the {@code permissions} claim as JSON, or null for none
     * @return the compact token
     */
    public static String hs256(String user, Instant expires, String permissionsJson) {
        return hs256(SECRET, user, expires, permissionsJson);
    }

    /**
     * Returns a token signed with another secret.
     *
     * @param secret the HMAC key
     * @param user the {@code sub} claim
     * @param expires the {@code exp} claim
     * @param permissionsJson the {@code permissions} claim as JSON, or null for none
     * @return the compact token
     */
    public static String hs256(String secret, String user, Instant expires, String permissionsJson) {
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String payload = "{\"sub\":\"" + user + "\",\"exp\":" + expires.getEpochSecond()
                + ",\"clientInfo\":{\"plan\":\"gold\",\"user\":\"" + user + "\"}"
                + (permissionsJson == null ? "" : ",\"permissions\":" + permissionsJson) + "}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
