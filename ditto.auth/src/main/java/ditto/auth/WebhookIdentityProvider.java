package ditto.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;

/**
 * The HTTP webhook identity provider, named {@value #ID}: it asks an application's web service
 * whether a login is granted. The wire contract is described in the package documentation.
 *
 * <p>Settings ({@link IdentityParameters#settings()}):
 * <ul>
 *   <li>{@value #URL} (required): an absolute {@code http} or {@code https} URL, as a string;</li>
 *   <li>{@value #TIMEOUT_MILLIS}: how long one call may take, connecting included, a whole number
 *       of milliseconds from 1 to {@value #MAX_TIMEOUT_MILLIS}, as a number or a decimal string;
 *       default {@value #DEFAULT_TIMEOUT_MILLIS}.</li>
 * </ul>
 * Anything else in these settings is refused with {@code INVALID_CONFIG}; other settings are ignored.
 *
 * <p>Registered as a Declarative Services component under {@link IdentityProvider}, in
 * {@code module-info} and in {@code META-INF/services}. Stateless and thread-safe; each verifier
 * owns one {@link java.net.http.HttpClient} and may be used by many threads at once; it blocks the
 * calling thread for at most the timeout.
 */
@Component(service = IdentityProvider.class)
public final class WebhookIdentityProvider implements IdentityProvider {

    /** The provider name. */
    public static final String ID = "webhook";
    /** The setting holding the webhook URL. */
    public static final String URL = "url";
    /** The setting holding the per-call timeout in milliseconds. */
    public static final String TIMEOUT_MILLIS = "timeoutMillis";
    /** The timeout used when {@value #TIMEOUT_MILLIS} is absent, in milliseconds. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 5000;
    /** The largest accepted {@value #TIMEOUT_MILLIS}: two minutes. */
    public static final long MAX_TIMEOUT_MILLIS = 120_000;

    private final Clock clock;

    /** Creates the provider; grants expire relative to the system clock (UTC). */
    public WebhookIdentityProvider() {
        this(Clock.systemUTC());
    }

    WebhookIdentityProvider(Clock clock) {
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
     * @param parameters the database id (sent with every call) and the settings; never null
     * @return a new verifier, never null; closing it is harmless and optional (its HTTP client
     *         holds no connection between calls beyond the JDK's idle pool)
     * @throws DittoException {@code INVALID_CONFIG} if {@value #URL} is missing or not an http(s)
     *         URL, or {@value #TIMEOUT_MILLIS} is not a whole number in range
     * @throws NullPointerException if {@code parameters} is null
     */
    @Override
    public IdentityVerifier create(IdentityParameters parameters) {
        Map<String, Object> settings = parameters.settings();
        URI uri = uri(settings.get(URL));
        Duration timeout = Duration.ofMillis(timeoutMillis(settings.get(TIMEOUT_MILLIS)));
        return new WebhookIdentityVerifier(uri, timeout, parameters.databaseId(), clock);
    }

    private static URI uri(Object value) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw invalid(URL + " is required and must be an http or https URL string");
        }
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw invalid(URL + " must be an absolute http or https URL, got '" + Claims.shorten(text) + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(URL + " is not a URL: " + e.getMessage());
        }
    }

    private static long timeoutMillis(Object value) {
        if (value == null) {
            return DEFAULT_TIMEOUT_MILLIS;
        }
        long millis;
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            millis = ((Number) value).longValue();
        } else if (value instanceof String text && text.trim().matches("[0-9]{1,12}")) {
            millis = Long.parseLong(text.trim());
        } else {
            throw invalid(TIMEOUT_MILLIS + " must be a whole number of milliseconds, got '"
                    + Claims.shorten(String.valueOf(value)) + "'");
        }
        if (millis < 1 || millis > MAX_TIMEOUT_MILLIS) {
            throw invalid(TIMEOUT_MILLIS + " must be from 1 to " + MAX_TIMEOUT_MILLIS + ", got " + millis);
        }
        return millis;
    }

    private static DittoException invalid(String why) {
        return new DittoException(ErrorCode.INVALID_CONFIG, "webhook identity provider: setting " + why);
    }
}
