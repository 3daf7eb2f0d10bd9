package ditto.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one transport at one moment: which peers are connecting, connected,
 * disconnecting, or recently disconnected through it. Part of {@link TransportDiagnostics}.
 * Immutable: the lists are unmodifiable copies.
 *
 * @param connectionType the transport's name: the {@linkplain ConnectionType#wireName() wire
 *        name} of its connection type ({@code "Bluetooth"}, {@code "AccessPoint"},
 *        {@code "P2PWiFi"}, {@code "WebSocket"}) or, where several transports share one, a more
 *        specific name such as {@code "TCP"}; never null
 * @param connecting keys of the peers whose connection is being set up; never null
 * @param connected keys of the peers connected through this transport; never null
 * @param disconnecting keys of the peers whose connection is being torn down; never null
 * @param disconnected keys of the peers that disconnected recently; never null
 * @param unavailableReason why the transport cannot run on this host (for example "no
 *        Bluetooth adapter" or "AWDL needs Apple hardware"), or empty if it is available; an
 *        unavailable transport has no peers; never null
 */
public record TransportSnapshot(
        String connectionType,
        List<String> connecting,
        List<String> connected,
        List<String> disconnecting,
        List<String> disconnected,
        Optional<String> unavailableReason) {

    /**
     * Checks and copies the arguments.
     *
     * @param connectionType the transport's name
     * @param connecting keys of connecting peers; null is taken as empty
     * @param connected keys of connected peers; null is taken as empty
     * @param disconnecting keys of disconnecting peers; null is taken as empty
     * @param disconnected keys of recently disconnected peers; null is taken as empty
     * @param unavailableReason why the transport is unavailable, or empty
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if an unavailable transport lists peers
     * @throws NullPointerException if {@code connectionType}, {@code unavailableReason} or a list element is null
     */
    public TransportSnapshot {
        Objects.requireNonNull(connectionType, "connectionType");
        connecting = connecting == null ? List.of() : List.copyOf(connecting);
        connected = connected == null ? List.of() : List.copyOf(connected);
        disconnecting = disconnecting == null ? List.of() : List.copyOf(disconnecting);
        disconnected = disconnected == null ? List.of() : List.copyOf(disconnected);
        Objects.requireNonNull(unavailableReason, "unavailableReason");
        if (unavailableReason.isPresent() && !(connecting.isEmpty() && connected.isEmpty()
                && disconnecting.isEmpty() && disconnected.isEmpty())) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "invalid transport snapshot: unavailable transport " + connectionType + " lists peers");
        }
    }

    /**
     * Creates the snapshot of an available transport.
     *
     * @param connectionType the transport's name
     * @param connecting keys of connecting peers; null is taken as empty
     * @param connected keys of connected peers; null is taken as empty
     * @param disconnecting keys of disconnecting peers; null is taken as empty
     * @param disconnected keys of recently disconnected peers; null is taken as empty
     * @throws NullPointerException if {@code connectionType} or a list element is null
     */
    public TransportSnapshot(String connectionType, List<String> connecting, List<String> connected,
            List<String> disconnecting, List<String> disconnected) {
        this(connectionType, connecting, connected, disconnecting, disconnected, Optional.empty());
    }

    /**
     * Returns the snapshot of a transport that is configured but cannot run on this host.
     *
     * @param connectionType the transport's name, never null
     * @param reason why it cannot run, never null
     * @return a snapshot with no peers, never null
     */
    public static TransportSnapshot unavailable(String connectionType, String reason) {
        return new TransportSnapshot(connectionType, null, null, null, null,
                Optional.of(Objects.requireNonNull(reason, "reason")));
    }

    /** Returns whether the transport can run on this host ({@link #unavailableReason()} is empty). */
    public boolean isAvailable() {
        return unavailableReason.isEmpty();
    }

    /** Returns whether any peer is connecting, connected or disconnecting through this transport. */
    public boolean hasActivity() {
        return !connecting.isEmpty() || !connected.isEmpty() || !disconnecting.isEmpty();
    }

    /** Returns whether at least one peer is connected through this transport. */
    public boolean isActive() {
        return !connected.isEmpty();
    }

    /** Returns the number of entries over all four states (a peer listed in two states counts twice). */
    public int totalPeers() {
        return connecting.size() + connected.size() + disconnecting.size() + disconnected.size();
    }
}
