package ditto.api;

import java.util.Map;
import java.util.Objects;

/**
 * The authentication state of a Ditto instance with a server connection, as reported by
 * {@link Authenticator#status()} and {@link Authenticator#observeStatus}. Immutable and
 * thread-safe.
 *
 * @param isAuthenticated whether the instance holds valid credentials
 * @param userId the user id the provider reported, or the empty string when not authenticated
 *        or none was reported; never null
 * @param clientInfo extra information the provider returned about the client (JSON-model
 *        values); an unmodifiable copy, empty when none; never null
 */
public record AuthenticationStatus(boolean isAuthenticated, String userId, Map<String, Object> clientInfo) {

    /** The status of an instance that is not logged in: no user id, no client info. */
    public static final AuthenticationStatus UNAUTHENTICATED = new AuthenticationStatus(false, "", Map.of());

    /**
     * Copies the client info.
     *
     * @param isAuthenticated whether the instance holds valid credentials
     * @param userId the user id, or the empty string
     * @param clientInfo the provider's client info; copied
     * @throws NullPointerException if {@code userId} or {@code clientInfo} is null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if clientInfo holds a value that
     *         is not a JSON-model value
     */
    public AuthenticationStatus {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(clientInfo, "clientInfo");
        clientInfo = JsonModelValues.freezeMap(clientInfo, ErrorCode.INVALID_ARGUMENTS, "authentication clientInfo");
    }

    /** Returns the client info; byte arrays in it are fresh copies. */
    @Override
    public Map<String, Object> clientInfo() {
        return JsonModelValues.copyMap(clientInfo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationStatus other
                && isAuthenticated == other.isAuthenticated
                && userId.equals(other.userId)
                && JsonModelValues.deepEquals(clientInfo, other.clientInfo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(isAuthenticated, userId) * 31 + JsonModelValues.deepHashCode(clientInfo);
    }

    @Override
    public String toString() {
        return "AuthenticationStatus[isAuthenticated=" + isAuthenticated + ", userId=" + userId
                + ", clientInfo=" + JsonModelValues.describe(clientInfo) + "]";
    }
}
