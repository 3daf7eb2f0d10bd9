package ditto.engine.sync;

import ditto.api.spi.transport.TransportListener;

/**
 * The transports of one instance as the sync engine drives them: started when sync starts (they
 * then report links to the engine's listener) and stopped when it stops. In production this is
 * the instance's transports (every deployed and enabled transport plug-in); in a simulation a
 * simulated transport.
 */
public interface LinkSource {

    /**
     * Starts the transports; links they open are reported to {@code listener}.
     *
     * @param localPeerKey this peer's key string, announced by discovery
     * @param listener the engine's listener, never null
     */
    void start(String localPeerKey, TransportListener listener);

    /** Stops the transports, closing every link. */
    void stop();
}
