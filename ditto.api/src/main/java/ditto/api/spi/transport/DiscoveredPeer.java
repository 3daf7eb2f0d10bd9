package ditto.api.spi.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * A peer found by a transport's discovery.
 *
 * @param endpoint the transport-specific address used to connect, such as
 *        {@code "192.168.1.7:4040"}; identifies the peer within the transport; never null
 * @param peerKey the peer key string the remote announced, if its announcement carries one
 * @param deviceName the device name the remote announced, if any
 * @param mechanism how it was found, such as {@code "mdns"} or {@code "multicast"}; never null
 */
public record DiscoveredPeer(String endpoint, Optional<String> peerKey, Optional<String> deviceName, String mechanism) {

    /**
     * Validates that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public DiscoveredPeer {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(peerKey, "peerKey");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(mechanism, "mechanism");
    }
}
