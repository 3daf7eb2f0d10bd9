package ditto.api;

import java.util.Objects;

/**
 * Names the identity provider that checks a login, for example the name of an authentication
 * webhook configured on the server. A value type: two providers are equal when their names are.
 * Immutable and thread-safe.
 */
public final class AuthenticationProvider {

    /**
     * The name of the built-in development provider, {@value}. It accepts the development
     * tokens a server issues for testing and must not be used in production.
     */
    public static final String DEVELOPMENT_NAME = "__ditto_dev_provider";

    private static final AuthenticationProvider DEVELOPMENT = new AuthenticationProvider(DEVELOPMENT_NAME);

    private final String name;

    private AuthenticationProvider(String name) {
        this.name = name;
    }

    /**
     * Returns the provider with the given name.
     *
     * @param name the provider's name as configured on the server, never null or blank
     * @return the provider, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the name is blank
     * @throws NullPointerException if {@code name} is null
     */
    public static AuthenticationProvider of(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "authentication provider: name must not be blank");
        }
        return new AuthenticationProvider(name);
    }

    /**
     * Returns the built-in development provider, named {@link #DEVELOPMENT_NAME}, for use with
     * development tokens.
     *
     * @return the development provider, never null
     */
    public static AuthenticationProvider development() {
        return DEVELOPMENT;
    }

    /** Returns the raw provider name, never null. */
    public String name() {
        return name;
    }

    /** Returns whether this is the built-in development provider. */
    public boolean isDevelopment() {
        return DEVELOPMENT_NAME.equals(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationProvider other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** Returns the raw provider name, exactly as given to {@link #of(String)}. */
    @Override
    public String toString() {
        return name;
    }
}
