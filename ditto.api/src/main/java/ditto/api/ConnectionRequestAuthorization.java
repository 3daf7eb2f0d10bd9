package ditto.api;

/** The answer of a {@link ConnectionRequestHandler} to an incoming connection request. */
public enum ConnectionRequestAuthorization {
    /** Accept the connection. */
    ALLOW,
    /** Refuse the connection; the remote peer may retry after a short delay. */
    DENY
}
