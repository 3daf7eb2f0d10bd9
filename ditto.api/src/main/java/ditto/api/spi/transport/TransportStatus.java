package ditto.api.spi.transport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import ditto.api.ConnectionType;

/**
 * A snapshot of one transport's availability and links, for diagnostics.
 *
 * @param transportId the provider id, such as {@code "lan"}; never null
 * @param connectionType the connection type of the transport's links; never null
 * @param available false when the host cannot run this transport (no adapter, no permission)
 * @param unavailableReason why it is unavailable; empty when available
 * @param links the transport's links and connection attempts; never null
 */
public record TransportStatus(
        String transportId,
        ConnectionType connectionType,
        boolean available,
        Optional<String> unavailableReason,
        List<LinkStatus> links) {

    /**
     * Copies the list and validates that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public TransportStatus {
        Objects.requireNonNull(transportId, "transportId");
        Objects.requireNonNull(connectionType, "connectionType");
        Objects.requireNonNull(unavailableReason, "unavailableReason");
        links = List.copyOf(links);
    }

    /**
     * One link or connection attempt.
     *
     * @param linkId the {@link Link#id()}, or an id of the attempt; never null
     * @param remoteDescription where it goes, as {@link Link#remoteDescription()}; never null
     * @param state its state; never null
     */
    public record LinkStatus(String linkId, String remoteDescription, LinkState state) {

        /**
         * Validates that no component is null.
         *
         * @throws NullPointerException if a component is null
         */
        public LinkStatus {
            Objects.requireNonNull(linkId, "linkId");
            Objects.requireNonNull(remoteDescription, "remoteDescription");
            Objects.requireNonNull(state, "state");
        }
    }

    /** The state of a link as diagnostics report it. */
    public enum LinkState {
        /** A connection attempt is under way. */
        CONNECTING,
        /** The link is open. */
        CONNECTED,
        /** The link is closing. */
        DISCONNECTING,
        /** The link closed and is waiting for a retry. */
        DISCONNECTED
    }
}
