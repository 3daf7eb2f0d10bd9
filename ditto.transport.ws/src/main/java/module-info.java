/**
 * The WebSocket transport: outgoing links to {@code ws://} and {@code wss://} URLs and an HTTP
 * listener that accepts WebSocket sync links and, on the same port, serves static files and the
 * engine's HTTP endpoints, built on Java-WebSocket. Exports nothing: the transport is reached
 * through {@link ditto.api.spi.transport.TransportProvider} only.
 */
module ditto.transport.ws {
    requires ditto.api;
    requires org.java_websocket;
    requires static org.osgi.service.component.annotations;

    provides ditto.api.spi.transport.TransportProvider with ditto.transport.ws.WsTransportProvider;
}
