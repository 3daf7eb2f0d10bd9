package ditto.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether a remote peer may connect to this peer; set with
 * {@link Presence#setConnectionRequestHandler(ConnectionRequestHandler)}.
 *
 * <p>Called on an engine thread, never on the caller's, once per incoming request, possibly
 * for several requests at the same time. It must answer quickly: if it takes longer than 10
 * seconds, throws, or returns null, the request is denied.
 */
@ConsumerType
@FunctionalInterface
public interface ConnectionRequestHandler {

    /**
     * Decides on one incoming connection request.
     *
     * @param request who asks to connect, never null
     * @return {@link ConnectionRequestAuthorization#ALLOW} to accept or
     *         {@link ConnectionRequestAuthorization#DENY} to refuse
     */
    ConnectionRequestAuthorization onConnectionRequest(ConnectionRequest request);
}
