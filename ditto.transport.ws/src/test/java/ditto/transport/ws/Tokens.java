package ditto.transport.ws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Makes HS256 JSON Web Tokens for tests, independently of the provider that checks them. */
final class Tokens {

    /** The shared secret the test servers configure for the {@code jwt} provider. */
    static final String SECRET = "a-test-secret-of-at-least-32-bytes!";

    private Tokens() {
    }

    /**
     * Returns a token for a user, expiring at a time, with a permissions claim (JSON) or none.
     */
    static String hs256(String user, Instant expires, String permissionsJson) {
        return hs256(SECRET, user, expires, permissionsJson);
    }

    static String hs256(String secret, String user, Instant expires, String permissionsJson) {
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
            throw new AssertionError(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
