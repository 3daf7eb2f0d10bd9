package ditto.api.spi.auth;

import java.util.Map;
import java.util.Objects;

/**
 * A server peer's settings for one identity provider.
 *
 * @param databaseId the database the server serves; tokens for another database are refused;
 *        never null
 * @param developmentMode true if the server runs in development mode; development-only providers
 *        refuse to authenticate otherwise
 * @param settings provider-specific settings (a webhook URL, a shared secret, a public key, …)
 *        as configured on the server; never null
 */
public record IdentityParameters(String databaseId, boolean developmentMode, Map<String, Object> settings) {

    /**
     * Copies the settings and validates that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public IdentityParameters {
        Objects.requireNonNull(databaseId, "databaseId");
        settings = Map.copyOf(settings);
    }

    /** Hides setting values, which may be secrets. */
    @Override
    public String toString() {
        return "IdentityParameters[databaseId=" + databaseId + ", developmentMode=" + developmentMode
                + ", settings=" + settings.keySet() + "]";
    }
}
