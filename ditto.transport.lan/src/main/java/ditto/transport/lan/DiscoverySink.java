package ditto.transport.lan;

/**
 * Where a discovery mechanism reports the peers it sees; implemented by {@link LanTransport}.
 *
 * <p>Role and invariants: each running mechanism instance carries the session number the
 * transport gave it; the transport ignores reports whose session is no longer current, so a
 * mechanism being shut down (jmdns closes slowly) can never resurrect a peer. Reports come from
 * the mechanisms' own threads, only for announcements already accepted by the
 * {@link DiscoveryScope}, and must not be made while holding a mechanism lock the transport
 * could need.
 */
interface DiscoverySink {
    /** Mechanism name of mDNS/DNS-SD discovery. */
    String MDNS = "mdns";
    /** Mechanism name of UDP multicast discovery. */
    String MULTICAST = "multicast";

    /**
     * Reports a peer seen (again) at an endpoint.
     *
     * @param mechanism {@link #MDNS} or {@link #MULTICAST}
     * @param session the reporting instance's session
     * @param endpoint {@code host:port} to connect to
     * @param announcement what the peer announced
     */
    void seen(String mechanism, long session, String endpoint, Announcement announcement);

    /**
     * Reports that a peer is no longer seen at an endpoint.
     *
     * @param mechanism the mechanism
     * @param session the reporting instance's session
     * @param endpoint the endpoint
     */
    void gone(String mechanism, long session, String endpoint);
}
