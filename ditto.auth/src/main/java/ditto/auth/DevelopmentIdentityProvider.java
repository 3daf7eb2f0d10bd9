package ditto.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import ditto.api.AuthenticationProvider;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;

/**
 * The development identity provider, named {@value AuthenticationProvider#DEVELOPMENT_NAME}: on a
 * server in development mode it accepts every non-blank token and every username with full
 * permissions, so that applications can be built before a real identity service exists.
 *
 * <p>What a verifier from {@link #create} answers:
 * <ul>
 *   <li>when {@link IdentityParameters#developmentMode()} is true, a token login or a credential
 *       login is granted with {@link ditto.api.spi.auth.Permissions#everything()}; the user id is
 *       the token's first {@value #MAX_USER_ID_LENGTH} characters, or the username (any password
 *       is accepted); the login expires {@code expirationSeconds} after it was granted
 *       (default {@value #DEFAULT_EXPIRATION_SECONDS} s, 24 hours); a blank token or username is
 *       denied, as is a request naming another provider;</li>
 *   <li>when development mode is off, every login is denied with a reason saying so.</li>
 * </ul>
 * Each verifier created in development mode logs one warning that development authentication
 * is on. The client info and identity metadata of a grant are empty.
 *
 * <p>Settings ({@link IdentityParameters#settings()}): {@code expirationSeconds}, a whole number
 * of seconds from 1 to {@value #MAX_EXPIRATION_SECONDS} (ten years), given as a number or a
 * decimal string. Other settings are ignored.
 *
 * <p>Registered as a Declarative Services component under {@link IdentityProvider}, in
 * {@code module-info} for {@link java.util.ServiceLoader}, and in {@code META-INF/services}.
 * Stateless and thread-safe.
 */
@Component(service = IdentityProvider.class)
public final class DevelopmentIdentityProvider implements IdentityProvider {

    /** The setting that overrides how long a development login lasts, in seconds. */
    public static final String EXPIRATION_SECONDS = "expirationSeconds";
    /** How long a development login lasts unless {@value #EXPIRATION_SECONDS} says otherwise: 24 hours. */
    public static final long DEFAULT_EXPIRATION_SECONDS = 24 * 60 * 60;
    /** The largest accepted {@value #EXPIRATION_SECONDS}: ten years of 365 days. */
    public static final long MAX_EXPIRATION_SECONDS = 10L * 365 * 24 * 60 * 60;
    /** How many leading characters of a token become the user id. */
    public static final int MAX_USER_ID_LENGTH = 64;

    private final Clock clock;

    /** Creates the provider; it uses the system clock (UTC) for expiry times. */
    public DevelopmentIdentityProvider() {
        this(Clock.systemUTC());
    }

    DevelopmentIdentityProvider(Clock clock) {
        this.clock = clock;
    }

    /**
     * Returns {@value AuthenticationProvider#DEVELOPMENT_NAME}, the name
     * {@link AuthenticationProvider#development()} uses.
     *
     * @return the provider name, never null
     */
    @Override
    public String id() {
        return AuthenticationProvider.DEVELOPMENT_NAME;
    }

    /**
     * Creates a verifier for one server peer.
     *
     * @param parameters the server's settings; {@code developmentMode} decides whether logins are
     *        granted; never null
     * @return a new verifier, never null
     * @throws DittoException {@code INVALID_CONFIG} if {@code expirationSeconds} is not a whole
     *         number from 1 to {@value #MAX_EXPIRATION_SECONDS}
     * @throws NullPointerException if {@code parameters} is null
     */
    @Override
    public IdentityVerifier create(IdentityParameters parameters) {
        Duration lifetime = Duration.ofSeconds(expirationSeconds(parameters.settings()));
        if (parameters.developmentMode()) {
            DittoLogger.warningf("auth: development authentication is on for database %s: every login is granted "
                    + "with full permissions for %d s; never use it in production", parameters.databaseId(),
                    lifetime.toSeconds());
        } else {
            DittoLogger.infof("auth: the development identity provider is configured for database %s, but "
                    + "development mode is off: it denies every login", parameters.databaseId());
        }
        return new DevelopmentIdentityVerifier(parameters.developmentMode(), lifetime, clock);
    }

    private static long expirationSeconds(Map<String, Object> settings) {
        Object value = settings.get(EXPIRATION_SECONDS);
        if (value == null) {
            return DEFAULT_EXPIRATION_SECONDS;
        }
        long seconds;
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            seconds = ((Number) value).longValue();
        } else if (value instanceof Number number && isWhole(number.doubleValue())) {
            seconds = (long) number.doubleValue();
        } else if (value instanceof String text && text.trim().matches("[0-9]{1,18}")) {
            seconds = Long.parseLong(text.trim());
        } else {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "development identity provider: setting "
                    + EXPIRATION_SECONDS + " must be a whole number of seconds, got " + describe(value));
        }
        if (seconds < 1 || seconds > MAX_EXPIRATION_SECONDS) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "development identity provider: setting "
                    + EXPIRATION_SECONDS + " must be from 1 to " + MAX_EXPIRATION_SECONDS + " seconds, got " + seconds);
        }
        return seconds;
    }

    private static boolean isWhole(double value) {
        return Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e18;
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        if (text.length() > 40) {
            text = text.substring(0, 40) + "…";
        }
        return "'" + text + "' (" + value.getClass().getSimpleName() + ")";
    }
}
