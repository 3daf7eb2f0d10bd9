package ditto.api.spi.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * What a client presented at login: a token, or a username and password.
 *
 * @param provider the provider name the client asked for, never null
 * @param token the token, for token logins
 * @param username the user name, for credential logins
 * @param password the password, for credential logins
 * @param peerKey the key string of the client peer, never null
 */
public record AuthenticationRequest(
        String provider,
        Optional<String> token,
        Optional<String> username,
        Optional<String> password,
        String peerKey) {

    /**
     * Validates that no component is null and that the request is a token or a credential login.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if neither a token nor a username and password are given
     */
    public AuthenticationRequest {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(peerKey, "peerKey");
        if (token.isEmpty() && (username.isEmpty() || password.isEmpty())) {
            throw new IllegalArgumentException("authentication request: neither a token nor credentials");
        }
    }

    /**
     * Creates a token login request.
     *
     * @param provider the provider name
     * @param token the token
     * @param peerKey the client's peer key
     * @return the request
     */
    public static AuthenticationRequest ofToken(String provider, String token, String peerKey) {
        return new AuthenticationRequest(provider, Optional.of(token), Optional.empty(), Optional.empty(), peerKey);
    }

    /**
     * Creates a credential login request.
     *
     * @param provider the provider name
     * @param username the user name
     * @param password the password
     * @param peerKey the client's peer key
     * @return the request
     */
    public static AuthenticationRequest ofCredentials(String provider, String username, String password,
            String peerKey) {
        return new AuthenticationRequest(provider, Optional.empty(), Optional.of(username), Optional.of(password),
                peerKey);
    }

    /** Hides the token and password. */
    @Override
    public String toString() {
        return "AuthenticationRequest[provider=" + provider + ", token=" + (token.isPresent() ? "[REDACTED]" : "none")
                + ", username=" + username.orElse("none") + ", peerKey=" + peerKey + "]";
    }
}
