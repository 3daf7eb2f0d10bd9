package ditto.transport.lan;

import java.util.Objects;

import org.osgi.service.component.annotations.Component;

import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;

/**
 * The LAN transport provider, id {@value #ID}, connection type
 * {@link ditto.api.ConnectionType#ACCESS_POINT}: TCP listening and outgoing TCP connections
 * carrying length-prefixed frames, with peer discovery by mDNS/DNS-SD and UDP multicast
 * (protocol, discovery formats and configuration keys in the package documentation).
 *
 * <p>Registered as a Declarative Services component under {@link TransportProvider}, in
 * {@code module-info} for {@link java.util.ServiceLoader}, and in {@code META-INF/services}.
 * Stateless and thread-safe.
 */
@Component(service = TransportProvider.class)
public final class LanTransportProvider implements TransportProvider {

    /** The provider id. */
    public static final String ID = "lan";

    /** Creates the provider. */
    public LanTransportProvider() {
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
     * Creates a stopped LAN transport for one Ditto instance; opens no socket.
     *
     * @param parameters the instance's database id, configuration and listener; never null
     * @return a new, stopped transport, never null
     * @throws ditto.api.DittoException {@code INVALID_CONFIG} if {@code listen.tcp} or
     *         {@code connect.tcp_servers} hold a malformed address, the retry interval is not
     *         positive, the sync group is not an unsigned 32-bit number, or the database id is
     *         empty or longer than 255 UTF-8 bytes
     * @throws NullPointerException if {@code parameters} is null
     */
    @Override
    public Transport create(TransportParameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        return new LanTransport(parameters, LanSettings.from(parameters.config()));
    }
}
