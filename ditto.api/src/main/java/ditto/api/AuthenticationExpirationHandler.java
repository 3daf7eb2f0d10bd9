package ditto.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Called when a Ditto instance with a server connection must log in, because it has no valid
 * credentials yet or because they are about to expire. Set it with
 * {@link Authenticator#setExpirationHandler}.
 *
 * <p>The handler runs on an engine thread (never the application's) and may block while it
 * obtains a token and calls {@link Authenticator#login}. An exception it throws is logged and
 * the handler is called again on the next expiry check.
 */
@ConsumerType
@FunctionalInterface
public interface AuthenticationExpirationHandler {

    /**
     * Asks the application to log in.
     *
     * @param ditto the instance that needs to authenticate, never null
     * @param timeUntilExpiration how long the current credentials stay valid; {@link Duration#ZERO}
     *        when there are none or they already expired; never null or negative
     */
    void onExpiring(Ditto ditto, Duration timeUntilExpiration);
}
