package ditto.api.spi.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine's side of a transport: where the transport reports what it finds.
 *
 * <p>Implemented by the engine, called by transports from their own threads. Every method
 * returns quickly (the engine queues the work) and never throws.
 */
@ProviderType
public interface TransportListener {

    /**
     * Reports a link that is now open and ready to carry frames, incoming or outgoing.
     *
     * @param link the new link, never null
     * @return the handler that receives this link's frames and its closing, never null
     */
    LinkHandler onLinkOpened(Link link);

    /**
     * Reports a peer seen by discovery (mDNS, multicast, Bluetooth advertisement). Informational:
     * the transport connects by itself.
     *
     * @param peer what was discovered, never null
     */
    void onPeerDiscovered(DiscoveredPeer peer);

    /**
     * Reports that a previously discovered peer is no longer announced.
     *
     * @param endpoint the {@link DiscoveredPeer#endpoint()} of the lost peer, never null
     */
    void onPeerLost(String endpoint);
}
