/**
 * The Bluetooth LE transport: detection of the host's Bluetooth support and the chunk framing
 * for small MTUs. Exports nothing: the transport is reached through
 * {@link ditto.api.spi.transport.TransportProvider} only.
 */
module ditto.transport.ble {
    requires ditto.api;
    requires static org.osgi.service.component.annotations;

    provides ditto.api.spi.transport.TransportProvider with ditto.transport.ble.BleTransportProvider;
}
