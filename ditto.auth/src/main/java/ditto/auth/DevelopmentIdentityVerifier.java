package ditto.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import ditto.api.AuthenticationProvider;
import ditto.api.spi.auth.AuthenticationRequest;
import ditto.api.spi.auth.AuthenticationResult;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.auth.Permissions;

/**
 * The verifier {@link DevelopmentIdentityProvider} creates; its answers are documented there.
 *
 * <p>Role and invariants: immutable after construction, so thread-safe without locking; it
 * never throws for a well-formed request and never returns null.
 */
final class DevelopmentIdentityVerifier implements IdentityVerifier {
    private final boolean developmentMode;
    private final Duration lifetime;
    private final Clock clock;

    DevelopmentIdentityVerifier(boolean developmentMode, Duration lifetime, Clock clock) {
        this.developmentMode = developmentMode;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        if (!developmentMode) {
            return AuthenticationResult.denied("development authentication is refused: the server is not in "
                    + "development mode", Map.of());
        }
        if (!AuthenticationProvider.DEVELOPMENT_NAME.equals(request.provider())) {
            return AuthenticationResult.denied("development authentication: the request names provider '"
                    + request.provider() + "', not " + AuthenticationProvider.DEVELOPMENT_NAME, Map.of());
        }
        String userId;
        if (request.token().isPresent()) {
            String token = request.token().get();
            if (token.isBlank()) {
                return AuthenticationResult.denied("development authentication: the token is blank", Map.of());
            }
            userId = leading(token, DevelopmentIdentityProvider.MAX_USER_ID_LENGTH);
        } else {
            String username = request.username().orElse("");
            if (username.isBlank()) {
                return AuthenticationResult.denied("development authentication: the username is blank", Map.of());
            }
            userId = username;
        }
        return AuthenticationResult.granted(userId, clock.instant().plus(lifetime), Permissions.everything(),
                Map.of(), Map.of());
    }

    /** Returns at most {@code max} leading characters, never splitting a surrogate pair. */
    private static String leading(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
