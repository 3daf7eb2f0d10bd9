/**
 * The LAN transport: TCP listening and outgoing TCP connections carrying length-prefixed
 * frames, and peer discovery by mDNS/DNS-SD (jmdns) and UDP multicast. Exports nothing: the transport is reached through
 * {@link ditto.api.spi.transport.TransportProvider} only.
 */
module ditto.transport.lan {
    requires ditto.api;
    requires javax.jmdns;
    requires static org.osgi.service.component.annotations;

    provides ditto.api.spi.transport.TransportProvider with ditto.transport.lan.LanTransportProvider;
}
