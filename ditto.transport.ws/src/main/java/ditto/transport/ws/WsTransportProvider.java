package ditto.transport.ws;

import java.util.Objects;

import org.osgi.service.component.annotations.Component;

import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;

/**
 * The WebSocket transport provider, id {@value #ID}, connection type
 * {@link ditto.api.ConnectionType#WEB_SOCKET}: outgoing links to {@code ws://} and {@code wss://}
 * URLs and an HTTP listener for WebSocket sync links, static files and the engine's HTTP
 * endpoints, carrying frames as binary messages (protocol, HTTP behaviour and configuration keys
 * in the package documentation).
 *
 * <p>Registered as a Declarative Services component under {@link TransportProvider}, in
 * {@code module-info} for {@link java.util.ServiceLoader}, and in {@code META-INF/services}.
 * Stateless and thread-safe.
 */
@Component(service = TransportProvider.class)
public final class WsTransportProvider implements TransportProvider {

    /** The provider id. */
    public static final String ID = "ws";

    /** Creates the provider. */
    public WsTransportProvider() {
    }

    /**
     * Returns {@value #ID}.
     *
     * @return the id, never null
     */
    @Override
    public String id() {
        return ID;
    }

    /**
     * Creates a stopped WebSocket transport for one Ditto instance; opens no socket.
     *
     * @param parameters the instance's database id, configuration and listener; never null
     * @return a new, stopped transport, never null
     * @throws ditto.api.DittoException {@code INVALID_CONFIG} if {@code listen.http} or
     *         {@code connect.websocket_urls} hold a malformed address or path, the retry interval
     *         is not positive, or the database id cannot travel in an HTTP header
     * @throws NullPointerException if {@code parameters} is null
     */
    @Override
    public Transport create(TransportParameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        return new WsTransport(parameters, WsSettings.from(parameters.config()));
    }
}
