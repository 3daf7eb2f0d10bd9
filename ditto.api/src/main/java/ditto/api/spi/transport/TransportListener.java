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

    /**
     * Answers a plain HTTP request under {@link HttpRequest#ENGINE_PATH_PREFIX} that a transport's
     * HTTP listener received (for example a login). Unlike the other methods it may block (an
     * identity provider may be asked over the network, for at most about 30 seconds), so
     * transports call it on a worker thread, never a selector thread. It never throws: errors are
     * answered with a 4xx or 5xx response.
     *
     * <p>The default answers 404: an instance that serves no HTTP endpoints.
     *
     * @param request the request, never null
     * @return the response, never null
     */
    default HttpResponse onHttpRequest(HttpRequest request) {
        return HttpResponse.notFound(request.path());
    }
}
