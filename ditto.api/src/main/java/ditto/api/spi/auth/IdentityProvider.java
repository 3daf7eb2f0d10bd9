package ditto.api.spi.auth;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way for a server peer to verify who a client is, registered by a plug-in.
 *
 * <p>Clients name the provider when they log in ({@code Authenticator.login(token, provider)});
 * the server peer picks the provider whose {@link #id()} equals that name and asks the
 * {@link IdentityVerifier} it created to check the token or credentials. In OSGi the plug-in
 * registers its provider as a service under this interface; on the module path it declares
 * {@code provides ditto.api.spi.auth.IdentityProvider with …}. Implementations are public with a
 * public no-argument constructor and are thread-safe.
 */
@ConsumerType
public interface IdentityProvider {

    /**
     * Returns the provider name clients use at login, such as {@code "__ditto_dev_provider"},
     * {@code "jwt"} or {@code "webhook"}; unique among the identity providers of one engine.
     *
     * @return the name, never null
     */
    String id();

    /**
     * Creates a verifier configured for one server peer.
     *
     * @param parameters the server's settings for this provider; never null
     * @return a verifier, never null
     * @throws ditto.api.DittoException {@code INVALID_CONFIG} naming the missing or bad setting
     */
    IdentityVerifier create(IdentityParameters parameters);
}
