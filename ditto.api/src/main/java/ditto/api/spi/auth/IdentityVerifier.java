package ditto.api.spi.auth;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks login requests for one provider on one server peer.
 *
 * <p>Thread-safe; may block (for example on an HTTP call) but must give up after its own
 * documented timeout. A refused login is an answer ({@link AuthenticationResult#denied}), not an
 * exception: exceptions mean the verifier itself failed, and the engine reports them to the
 * client as an authentication error.
 */
@ConsumerType
public interface IdentityVerifier extends AutoCloseable {

    /**
     * Verifies a login request.
     *
     * @param request the token or credentials, never null
     * @return the verdict, never null
     */
    AuthenticationResult authenticate(AuthenticationRequest request);

    /** Releases resources (HTTP clients, key material); idempotent. */
    @Override
    default void close() {
    }
}
