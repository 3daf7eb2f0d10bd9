package ditto.engine.sync;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.tinylog.Logger;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Offline license activation. An open implementation has no vendor portal: an instance is
 * activated unless the deployment configures a license issuer public key (experimental
 * configuration {@value #ISSUER_KEY}); then sync refuses to start until
 * {@code setOfflineOnlyLicenseToken} received a token signed by that key that has not expired.
 *
 * <p><b>Key</b>: the issuer's public key as base64 (or PEM {@code PUBLIC KEY}) of its X.509
 * SubjectPublicKeyInfo; EC (P-256, signatures SHA256withECDSA, DER), Ed25519 or RSA
 * (SHA256withRSA). <b>Token</b>: {@code base64url(payload) "." base64url(signature)}, the
 * signature taken over the ASCII of the first part; the payload is a JSON object with
 * {@code "expires_at"} (an ISO-8601 instant, required) and optionally {@code "database_id"} (the
 * token then only activates that database). Expiry is checked at every use. Thread-safe.
 */
public final class Activation {

    /** The experimental configuration key of the issuer's public key. */
    public static final String ISSUER_KEY = "license.issuer_public_key";
    private static final int MAX_TOKEN_CHARS = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PublicKey issuer;
    private final String databaseId;
    private final Clock clock;
    private volatile Instant expiresAt;

    private Activation(PublicKey issuer, String databaseId, Clock clock) {
        this.issuer = issuer;
        this.databaseId = databaseId;
        this.clock = clock;
    }

    /**
     * Reads the activation settings of an instance.
     *
     * @param experimental the instance's experimental configuration
     * @param databaseId the instance's database id
     * @param clock the time expiry is checked against
     * @return the activation state, never null
     * @throws DittoException {@code INVALID_CONFIG} if the configured key is not a usable public key
     */
    public static Activation of(Map<String, Object> experimental, String databaseId, Clock clock) {
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(clock, "clock");
        Object configured = experimental.get(ISSUER_KEY);
        if (configured == null) {
            return new Activation(null, databaseId, clock);
        }
        if (!(configured instanceof String text) || text.isBlank()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + ISSUER_KEY
                    + "': expected the license issuer's public key (base64 or PEM), got " + configured);
        }
        return new Activation(parseKey(text), databaseId, clock);
    }

    /** Tells whether a license issuer key is configured (and so a token is required). */
    public boolean isRequired() {
        return issuer != null;
    }

    /** Returns whether sync may start: no issuer configured, or a valid token not yet expired. */
    public boolean isActivated() {
        if (issuer == null) {
            return true;
        }
        Instant until = expiresAt;
        return until != null && clock.instant().isBefore(until);
    }

    /**
     * Takes an offline license token.
     *
     * @param token the token, never null
     * @throws DittoException {@code ACTIVATION} if it is malformed, not signed by the configured
     *         issuer, for another database, or expired
     */
    public void setToken(String token) {
        Objects.requireNonNull(token, "token");
        if (issuer == null) {
            Logger.info("activation: no license issuer key is configured, so no token is needed; the token is ignored");
            return;
        }
        String t = token.trim();
        if (t.length() > MAX_TOKEN_CHARS) {
            throw refused("the token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        int dot = t.indexOf('.');
        if (dot <= 0 || dot != t.lastIndexOf('.') || dot == t.length() - 1) {
            throw refused("expected base64url(payload).base64url(signature)");
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getUrlDecoder().decode(t.substring(0, dot));
            signature = Base64.getUrlDecoder().decode(t.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw refused("a part is not base64url: " + e.getMessage());
        }
        if (!verifies(t.substring(0, dot).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw refused("the signature does not verify with the configured license issuer key");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw refused("the payload is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw refused("the payload cannot be read: " + e.getMessage());
        }
        if (claims == null || !claims.isObject()) {
            throw refused("the payload is not a JSON object");
        }
        JsonNode expires = claims.get("expires_at");
        if (expires == null || !expires.isTextual()) {
            throw refused("the payload has no \"expires_at\" instant");
        }
        Instant until;
        try {
            until = Instant.parse(expires.asText());
        } catch (DateTimeParseException e) {
            throw refused("\"expires_at\" is not an ISO-8601 instant: " + expires.asText());
        }
        JsonNode db = claims.get("database_id");
        if (db != null && !(db.isTextual() && db.asText().equals(databaseId))) {
            throw refused("the token is for database " + db + ", not " + databaseId);
        }
        if (!clock.instant().isBefore(until)) {
            throw refused("the token expired at " + until);
        }
        expiresAt = until;
        Logger.info("activation: offline license token accepted, valid until {}", until);
    }

    /**
     * Throws unless activated.
     *
     * @param operation what needs activation, for the message
     * @throws DittoException {@code ACTIVATION} naming why
     */
    public void check(String operation) {
        if (isActivated()) {
            return;
        }
        Instant until = expiresAt;
        throw new DittoException(ErrorCode.ACTIVATION, operation + ": this instance is not activated: "
                + (until == null ? "a license issuer key is configured (" + ISSUER_KEY
                        + "), so call setOfflineOnlyLicenseToken with a token it signed"
                        : "its license token expired at " + until));
    }

    private boolean verifies(byte[] signed, byte[] signature) {
        String algorithm = switch (issuer.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(issuer);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static PublicKey parseKey(String text) {
        String body = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + ISSUER_KEY
                    + "': not base64: " + e.getMessage());
        }
        for (String algorithm : new String[] {"EC", "Ed25519", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next kind
            }
        }
        throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + ISSUER_KEY
                + "': not an X.509 SubjectPublicKeyInfo of an EC, Ed25519 or RSA key");
    }

    private static DittoException refused(String why) {
        return new DittoException(ErrorCode.ACTIVATION, "setOfflineOnlyLicenseToken: token refused: " + why);
    }
}
