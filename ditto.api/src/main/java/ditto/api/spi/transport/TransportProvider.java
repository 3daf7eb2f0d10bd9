package ditto.api.spi.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of transport (LAN, WebSocket, Bluetooth LE, a simulated network, …), registered by a
 * plug-in.
 *
 * <p>In OSGi the plug-in registers its provider as a service under this interface (a Declarative
 * Services component); on the module path it declares {@code provides
 * ditto.api.spi.transport.TransportProvider with …}. The engine calls {@link #create} once per
 * open Ditto instance whose transport configuration enables this kind, and closes the result
 * when the instance closes, sync stops, or the provider goes away.
 *
 * <p>Implementations are public with a public no-argument constructor, stateless or internally
 * synchronized, and must not block in {@link #create}: sockets are opened in
 * {@link Transport#start()}.
 */
@ConsumerType
public interface TransportProvider {

    /**
     * Returns the stable short name of this transport kind, such as {@code "lan"} or
     * {@code "ws"}; unique among the transport providers of one engine. Lower case, no spaces.
     *
     * @return the id, never null
     */
    String id();

    /**
     * Creates a transport for one Ditto instance. The transport does nothing until
     * {@link Transport#start()}.
     *
     * @param parameters who the local peer is, the configuration and the engine's listener;
     *        never null
     * @return a new, stopped transport, never null
     * @throws ditto.api.DittoException {@code INVALID_CONFIG} if the configuration cannot be used
     *         by this transport
     */
    Transport create(TransportParameters parameters);
}
