package ditto.api.spi.transport;

import java.util.Objects;

import ditto.api.TransportConfig;

/**
 * What a transport needs to know about the instance it serves.
 *
 * @param databaseId the database id of the instance: discovery announcements and accepted peers
 *        are scoped to it, so instances of different databases never link; never null
 * @param localPeerKey this peer's key string (derived from its public key), used to announce
 *        the peer and to break ties when two peers discover each other at once; never null
 * @param deviceName the human-readable device name to announce, never null
 * @param config a private copy of the transport configuration at creation time; later changes
 *        arrive through {@link Transport#reconfigure(TransportConfig)}; never null
 * @param listener where the transport reports discovered peers and links; never null
 */
public record TransportParameters(
        String databaseId,
        String localPeerKey,
        String deviceName,
        TransportConfig config,
        TransportListener listener) {

    /**
     * Validates that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public TransportParameters {
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(localPeerKey, "localPeerKey");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
    }
}
