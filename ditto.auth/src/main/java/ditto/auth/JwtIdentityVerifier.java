package ditto.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import ditto.api.spi.auth.AuthenticationRequest;
import ditto.api.spi.auth.AuthenticationResult;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.auth.Permissions;

/**
 * The verifier {@link JwtIdentityProvider} creates; its answers are documented there.
 *
 * <p>Role and invariants: immutable after construction (the secret array is never exposed or
 * changed); a fresh {@link Mac} or {@link Signature} is made per call, so it is thread-safe
 * without locking. It never throws for a well-formed request: every failure becomes a denial.
 */
final class JwtIdentityVerifier implements IdentityVerifier {
    private final String databaseId;
    private final byte[] secret;
    private final PublicKey publicKey;
    private final Clock clock;

    JwtIdentityVerifier(String databaseId, byte[] secret, PublicKey publicKey, Clock clock) {
        this.databaseId = databaseId;
        this.secret = secret;
        this.publicKey = publicKey;
        this.clock = clock;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        if (!JwtIdentityProvider.ID.equals(request.provider())) {
            return deny("the request names provider '" + Claims.shorten(request.provider()) + "', not "
                    + JwtIdentityProvider.ID);
        }
        if (request.token().isEmpty()) {
            return deny("only token logins are accepted, not username and password");
        }
        try {
            return verify(request.token().get());
        } catch (IllegalArgumentException e) {
            return deny(e.getMessage());
        }
    }

    private AuthenticationResult verify(String token) {
        if (token.length() > JwtIdentityProvider.MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("the token is longer than " + JwtIdentityProvider.MAX_TOKEN_CHARS
                    + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("the token is not a JWT in compact form (header.payload.signature)");
        }
        Map<String, Object> header = Claims.object(json(parts[0], "header"), "the header");
        Object alg = header.get("alg");
        if (!(alg instanceof String algorithm)) {
            throw new IllegalArgumentException("the header has no alg");
        }
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(parts[2], "signature");
        if (algorithm.equals("HS256") && secret != null) {
            if (!MessageDigest.isEqual(hmac(signed), signature)) {
                throw new IllegalArgumentException("the HS256 signature does not match");
            }
        } else if (algorithm.equals("EdDSA") && publicKey != null) {
            if (!ed25519(signed, signature)) {
                throw new IllegalArgumentException("the EdDSA signature does not match");
            }
        } else if (algorithm.equalsIgnoreCase("none")) {
            throw new IllegalArgumentException("unsigned tokens (alg none) are refused");
        } else {
            throw new IllegalArgumentException("algorithm '" + Claims.shorten(algorithm) + "' is not configured");
        }
        Map<String, Object> claims = Claims.object(json(parts[1], "payload"), "the payload");
        Instant now = clock.instant();
        Object exp = claims.get("exp");
        if (exp == null) {
            throw new IllegalArgumentException("the token has no exp claim");
        }
        long expiresAt = Claims.seconds(exp, "exp");
        if (now.getEpochSecond() > expiresAt + JwtIdentityProvider.LEEWAY_SECONDS) {
            throw new IllegalArgumentException("the token expired at " + Instant.ofEpochSecond(expiresAt));
        }
        Object nbf = claims.get("nbf");
        if (nbf != null) {
            long notBefore = Claims.seconds(nbf, "nbf");
            if (now.getEpochSecond() + JwtIdentityProvider.LEEWAY_SECONDS < notBefore) {
                throw new IllegalArgumentException("the token is not valid before " + Instant.ofEpochSecond(notBefore));
            }
        }
        checkAudience(claims.get("aud"));
        if (!(claims.get("sub") instanceof String subject) || subject.isEmpty()) {
            throw new IllegalArgumentException("the token has no sub claim (the user id)");
        }
        Permissions permissions = Claims.permissions(claims.get("permissions"), "the permissions claim");
        Map<String, Object> clientInfo = Claims.optionalObject(claims.get("clientInfo"), "the clientInfo claim");
        Map<String, Object> metadata = Claims.optionalObject(claims.get("identityMetadata"),
                "the identityMetadata claim");
        return AuthenticationResult.granted(subject, Instant.ofEpochSecond(expiresAt), permissions, clientInfo,
                metadata);
    }

    private void checkAudience(Object aud) {
        if (aud == null) {
            return;
        }
        boolean matches;
        if (aud instanceof String text) {
            matches = text.equals(databaseId);
        } else if (aud instanceof List<?> list) {
            matches = list.contains(databaseId);
        } else {
            throw new IllegalArgumentException("the aud claim must be a string or an array of strings");
        }
        if (!matches) {
            throw new IllegalArgumentException("the token's audience does not include database " + databaseId);
        }
    }

    private byte[] hmac(byte[] signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("HS256 is unavailable in this JDK: " + e.getMessage());
        }
    }

    private boolean ed25519(byte[] signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Object json(String part, String name) {
        String text = new String(decode(part, name), StandardCharsets.UTF_8);
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the token " + name + " is not JSON: " + e.getMessage());
        }
    }

    private static byte[] decode(String part, String name) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the token " + name + " is not base64url: " + e.getMessage());
        }
    }

    private static AuthenticationResult deny(String why) {
        return AuthenticationResult.denied("jwt authentication: " + why, Map.of());
    }
}
