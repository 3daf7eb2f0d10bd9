package ditto.engine.sync;

import ditto.api.DittoException;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;

/**
 * Turns a freshly opened transport link into a channel of whole application frames: in
 * production a TLS session ({@code ditto.engine.security.SecureChannel}), in a simulation the
 * link itself. The engine runs its replication session over whatever channel results.
 */
@FunctionalInterface
public interface ChannelFactory {

    /** Uses the link as it is: frames are application frames and the remote is not authenticated. */
    ChannelFactory PLAIN = (link, listener) -> listener.onEstablished(link, null, null);

    /**
     * What the remote's certificate grants it: its user and permissions, enforced by the session.
     *
     * @param userId the user the server authenticated, never null
     * @param permissions what the remote may read from and write to this peer, never null
     * @param expiresAtMillis when the remote's certificate expires (epoch milliseconds): the
     *        session ends then
     */
    record Grant(String userId, ditto.api.spi.auth.Permissions permissions, long expiresAtMillis) {
        /** Checks the parts. */
        public Grant {
            java.util.Objects.requireNonNull(userId, "userId");
            java.util.Objects.requireNonNull(permissions, "permissions");
        }
    }

    /**
     * Starts securing a link; returns the handler the transport must deliver the link's frames to.
     * Exactly one of the listener's methods is called later (possibly before this returns).
     *
     * @param link the transport link, open, never null
     * @param listener hears the outcome, never null
     * @return the link's handler for the transport, never null
     */
    LinkHandler open(Link link, Listener listener);

    /** Hears how securing a link ended; called on the transport's thread. */
    interface Listener {

        /**
         * The channel is ready for application frames.
         *
         * @param channel the channel to send application frames on (the link itself, or a
         *        secure channel over it), never null
         * @param authenticatedPeerKey the remote's peer key as proven by the channel, or null when
         *        the channel does not authenticate
         * @param grant what the remote's certificate grants it, or null when the channel carries
         *        no grant (no server authority: the remote may read and write everything)
         * @return the handler of the channel's application frames, never null
         */
        LinkHandler onEstablished(Link channel, String authenticatedPeerKey, Grant grant);

        /**
         * The channel could not be established; the link is closed.
         *
         * @param link the transport link
         * @param error why, never null
         */
        void onFailed(Link link, DittoException error);
    }
}
