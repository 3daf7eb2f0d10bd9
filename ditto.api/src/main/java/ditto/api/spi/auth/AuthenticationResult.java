package ditto.api.spi.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An identity provider's verdict on a login.
 *
 * @param authenticated true if the client is who it claims to be
 * @param userId the user id the provider assigned, empty when unknown or denied
 * @param expiresAt when the login expires; the client must log in again before then
 * @param clientInfo free-form JSON-model data returned to the client (also on denial); never null
 * @param identityMetadata JSON-model data about the user, shown to other peers in presence;
 *        never null
 * @param permissions what the client may read and write; {@link Permissions#none()} on denial;
 *        never null
 * @param reason why the login was denied, empty when authenticated
 */
public record AuthenticationResult(
        boolean authenticated,
        Optional<String> userId,
        Optional<Instant> expiresAt,
        Map<String, Object> clientInfo,
        Map<String, Object> identityMetadata,
        Permissions permissions,
        Optional<String> reason) {

    /**
     * Copies the maps and validates that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public AuthenticationResult {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        clientInfo = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clientInfo));
        identityMetadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(identityMetadata));
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Creates a successful verdict.
     *
     * @param userId the user id
     * @param expiresAt when the login expires
     * @param permissions what the client may do
     * @param clientInfo data for the client
     * @param identityMetadata data about the user for other peers
     * @return the verdict
     */
    public static AuthenticationResult granted(String userId, Instant expiresAt, Permissions permissions,
            Map<String, Object> clientInfo, Map<String, Object> identityMetadata) {
        return new AuthenticationResult(true, Optional.of(userId), Optional.of(expiresAt), clientInfo,
                identityMetadata, permissions, Optional.empty());
    }

    /**
     * Creates a denial.
     *
     * @param reason why, for the log and the client's error message
     * @param clientInfo data for the client, possibly empty
     * @return the verdict
     */
    public static AuthenticationResult denied(String reason, Map<String, Object> clientInfo) {
        return new AuthenticationResult(false, Optional.empty(), Optional.empty(), clientInfo, Map.of(),
                Permissions.none(), Optional.of(reason));
    }
}
