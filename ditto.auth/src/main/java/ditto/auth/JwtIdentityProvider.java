package ditto.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;

/**
 * The signed-token identity provider, named {@value #ID}: it grants a token login when the token
 * is a JSON Web Token in compact form ({@code header.payload.signature}, base64url) signed with a
 * configured key and still valid.
 *
 * <p>Settings ({@link IdentityParameters#settings()}), at least one is required:
 * <ul>
 *   <li>{@value #HS256_SECRET}: a string whose UTF-8 bytes (at least {@value #MIN_SECRET_BYTES})
 *       are the HMAC-SHA256 key; enables {@code "alg":"HS256"};</li>
 *   <li>{@value #ED25519_PUBLIC_KEY}: the base64 (standard alphabet) DER encoding of an Ed25519
 *       X.509 SubjectPublicKeyInfo; enables {@code "alg":"EdDSA"}.</li>
 * </ul>
 * A setting that is not a string, too short or not a valid key is refused with
 * {@code INVALID_CONFIG}; other settings are ignored.
 *
 * <p>Claims: {@code exp} (seconds since the epoch) is required and the token is refused once the
 * clock is more than {@value #LEEWAY_SECONDS} s past it; {@code nbf}, if present, refuses the
 * token until {@value #LEEWAY_SECONDS} s before it; {@code aud}, if present (a string or an array
 * of strings), must name the database id; {@code sub} is the user id and is required;
 * {@code permissions} ({@code {"read": {coll: true|false|[idQuery…]}, "write": {…}}}, collection
 * {@code "*"} for the rest) defaults to everything; {@code clientInfo} and
 * {@code identityMetadata} are optional objects passed on as they are. The grant expires at
 * {@code exp}.
 *
 * <p>Refused, always with a denial and a reason, never an exception: {@code "alg":"none"} and any
 * algorithm whose key is not configured, a bad signature, a token longer than
 * {@value #MAX_TOKEN_CHARS} characters or not in compact form, malformed base64 or JSON, a
 * credential (username/password) login, and a request naming another provider.
 *
 * <p>Registered as a Declarative Services component under {@link IdentityProvider}, in
 * {@code module-info} and in {@code META-INF/services}. Stateless and thread-safe; verifiers are
 * immutable and thread-safe too.
 */
@Component(service = IdentityProvider.class)
public final class JwtIdentityProvider implements IdentityProvider {

    /** The provider name. */
    public static final String ID = "jwt";
    /** The setting holding the HS256 shared secret. */
    public static final String HS256_SECRET = "hs256Secret";
    /** The setting holding the Ed25519 public key. */
    public static final String ED25519_PUBLIC_KEY = "ed25519PublicKey";
    /** The shortest accepted HS256 secret, in bytes (the size of the SHA-256 output). */
    public static final int MIN_SECRET_BYTES = 32;
    /** The clock skew tolerated on {@code exp} and {@code nbf}, in seconds. */
    public static final long LEEWAY_SECONDS = 30;
    /** The longest accepted token, in characters. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final Clock clock;

    /** Creates the provider; it checks token times against the system clock (UTC). */
    public JwtIdentityProvider() {
        this(Clock.systemUTC());
    }

    JwtIdentityProvider(Clock clock) {
        this.clock = clock;
    }

    /**
     * Returns {@value #ID}.
     *
     * @return the provider name, never null
     */
    @Override
    public String id() {
        return ID;
    }

    /**
     * Creates a verifier for one server peer; development mode plays no part.
     *
     * @param parameters the database id (checked against {@code aud}) and the key settings; never null
     * @return a new verifier, never null
     * @throws DittoException {@code INVALID_CONFIG} if no key is configured or a key setting is unusable
     * @throws NullPointerException if {@code parameters} is null
     */
    @Override
    public IdentityVerifier create(IdentityParameters parameters) {
        Map<String, Object> settings = parameters.settings();
        byte[] secret = null;
        PublicKey publicKey = null;
        Object secretValue = settings.get(HS256_SECRET);
        if (secretValue != null) {
            if (!(secretValue instanceof String text)) {
                throw invalid(HS256_SECRET + " must be a string");
            }
            secret = text.getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw invalid(HS256_SECRET + " must be at least " + MIN_SECRET_BYTES + " bytes, got " + secret.length);
            }
        }
        Object keyValue = settings.get(ED25519_PUBLIC_KEY);
        if (keyValue != null) {
            if (!(keyValue instanceof String text)) {
                throw invalid(ED25519_PUBLIC_KEY + " must be a base64 string");
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(text.trim());
                publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                throw invalid(ED25519_PUBLIC_KEY + " is not a base64 Ed25519 X.509 public key: " + e.getMessage());
            }
        }
        if (secret == null && publicKey == null) {
            throw invalid("no key configured: set " + HS256_SECRET + " or " + ED25519_PUBLIC_KEY);
        }
        return new JwtIdentityVerifier(parameters.databaseId(), secret, publicKey, clock);
    }

    private static DittoException invalid(String why) {
        return new DittoException(ErrorCode.INVALID_CONFIG, "jwt identity provider: " + why);
    }
}
