package ditto.api.spi.transport;

import org.osgi.annotation.versioning.ConsumerType;

import ditto.api.ConnectionType;
import ditto.api.TransportConfig;

/**
 * One transport serving one Ditto instance: it discovers peers, accepts and opens links, and
 * moves whole frames over them.
 *
 * <p><b>Lifecycle.</b> Created stopped. {@link #start()} binds listeners, starts discovery and
 * connects to configured endpoints; {@link #stop()} closes every link and releases every socket
 * and thread. Start and stop may alternate any number of times; {@link #close()} stops for good
 * and is idempotent.
 *
 * <p><b>Links.</b> Whenever a link is established, incoming or outgoing, the transport calls
 * {@link TransportListener#onLinkOpened(Link)} and delivers that link's frames, in order, to the
 * {@link LinkHandler} the engine returned. A transport connects by itself to configured
 * endpoints and to the peers it discovers, retrying at the configured interval; to avoid two
 * links between the same two peers it should connect only to discovered peers whose key sorts
 * after the local key. The engine runs TLS and the replication protocol over the frames and
 * closes links it does not want (duplicates, self-links, denied peers).
 *
 * <p><b>Threading.</b> All methods are thread-safe. Callbacks come from the transport's own
 * threads; the transport never calls the listener while holding a lock the engine could need.
 *
 * <p><b>Errors.</b> A transport that cannot work on this host (no Bluetooth adapter, no
 * permission to bind a port) does not throw from {@link #start()}: it reports itself
 * unavailable in {@link #status()} with the reason, and logs it once.
 */
@ConsumerType
public interface Transport extends AutoCloseable {

    /**
     * Returns the connection type of the links this transport makes.
     *
     * @return the type, never null
     */
    ConnectionType connectionType();

    /**
     * Starts listening, discovery and outgoing connections. Does nothing if already started.
     *
     * @throws ditto.api.DittoException {@code CLOSED} if the transport was closed
     */
    void start();

    /**
     * Stops discovery and listening and closes every link (each link's handler sees
     * {@link LinkHandler#onClosed(Throwable)}). Does nothing if already stopped.
     */
    void stop();

    /**
     * Applies a changed configuration while running: a changed port rebinds the listener,
     * removed endpoints are disconnected, new ones are connected. Unchanged parts keep their
     * links.
     *
     * @param config a private copy of the new configuration, never null
     * @throws ditto.api.DittoException {@code INVALID_CONFIG} if the configuration cannot be used
     */
    void reconfigure(TransportConfig config);

    /**
     * Returns a snapshot of this transport's availability and links.
     *
     * @return the status, never null
     */
    TransportStatus status();

    /** Stops the transport for good; idempotent. */
    @Override
    void close();
}
