package ditto.transport.ble;

import java.util.Objects;

import org.osgi.service.component.annotations.Component;

import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;

/**
 * The Bluetooth LE transport provider, id {@value #ID}, connection type
 * {@link ditto.api.ConnectionType#BLUETOOTH}.
 *
 * <p>In this version the transport detects whether the host can do Bluetooth LE and reports the
 * answer in {@link Transport#status()}; it makes no links (see the package documentation).
 * Registered as a Declarative Services component under {@link TransportProvider}, in
 * {@code module-info} for {@link java.util.ServiceLoader}, and in {@code META-INF/services}.
 * Stateless and thread-safe.
 */
@Component(service = TransportProvider.class)
public final class BleTransportProvider implements TransportProvider {

    /** The provider id. */
    public static final String ID = "ble";

    /** Creates the provider. */
    public BleTransportProvider() {
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
     * Creates a stopped Bluetooth LE transport for one Ditto instance; never blocks.
     *
     * @param parameters the instance's identity, configuration and listener; never null
     * @return a new, stopped transport, never null
     * @throws NullPointerException if {@code parameters} is null
     */
    @Override
    public Transport create(TransportParameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        return new BleTransport(BluetoothHost::detect);
    }
}
