package ditto.transport.lan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import ditto.api.DittoLogger;
import ditto.api.spi.transport.TransportStatus.LinkState;

/**
 * Keeps one outgoing link to one TCP endpoint, a configured server or a discovered peer:
 * connects, exchanges hellos, waits while the link lives, and after a failure or a close waits
 * the retry interval and tries again, until stopped.
 *
 * <p>Role and invariants: one daemon thread per endpoint; {@link #state()} and {@link #link()}
 * are read by other threads for the status. The first failure of a run of failures is logged at
 * info, repeats at debug, so an unreachable server does not flood the log. A connector for a
 * discovered peer ({@link #peerKey()} not null) can be {@linkplain #release() released} when
 * discovery loses the peer: it then keeps a live link but does not retry once that link ends,
 * unless {@linkplain #revive() revived} first; the decision to exit is taken under this
 * object's monitor so that a revive never races a silent exit. When its thread ends, the
 * connector tells the transport ({@link LanTransport#connectorEnded}).
 */
final class Connector {
    private final LanTransport transport;
    private final LanSettings.Server server;
    private final String peerKey;
    private final long generation;
    private final Thread thread;
    private volatile Duration retryInterval;
    private volatile boolean stopped;
    private volatile Socket connecting;
    private volatile LanLink link;
    private volatile LinkState state = LinkState.CONNECTING;
    private boolean retrying = true;
    private boolean exiting;

    /**
     * Creates a connector whose thread {@link #start()} starts.
     *
     * @param peerKey the discovered peer's key, or null for a configured server
     */
    Connector(LanTransport transport, LanSettings.Server server, String peerKey, Duration retryInterval, long generation) {
        this.transport = transport;
        this.server = server;
        this.peerKey = peerKey;
        this.retryInterval = retryInterval;
        this.generation = generation;
        this.thread = new Thread(this::run, "ditto-lan-connect-" + server.text());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Marks the connector stopped, so that a handshake finishing now opens no link; see {@link #stop()}. */
    void markStopped() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }

    /** Records the link this connector opened; called by the transport before the engine sees it. */
    void setLink(LanLink link) {
        this.link = link;
    }

    /** Stops retrying and aborts a connection attempt under way; the link is closed by the caller. */
    void stop() {
        stopped = true;
        Socket socket = connecting;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                DittoLogger.debugf("lan transport: aborting the connection to %s failed: %s", server.text(), e);
            }
        }
        thread.interrupt();
    }

    /**
     * Stops retrying because discovery lost the peer: a live link stays open until it ends by
     * itself; a connector without a link stops at once.
     */
    synchronized void release() {
        retrying = false;
        if (state != LinkState.CONNECTED) {
            stop();
        }
    }

    /**
     * Makes a released connector retry again because discovery found the peer again.
     *
     * @return false if the connector has stopped or decided to exit; the caller then needs a new one
     */
    synchronized boolean revive() {
        if (stopped || exiting) {
            return false;
        }
        retrying = true;
        return true;
    }

    /** Decides, after a failed attempt or a lost link, whether to try again. */
    private synchronized boolean mayRetry() {
        if (stopped || !retrying) {
            exiting = true;
            return false;
        }
        return true;
    }

    /** Returns the discovered peer's key, or null for a configured server. */
    String peerKey() {
        return peerKey;
    }

    void setRetryInterval(Duration retryInterval) {
        this.retryInterval = retryInterval;
    }

    LanSettings.Server server() {
        return server;
    }

    Thread thread() {
        return thread;
    }

    LanLink link() {
        return link;
    }

    LinkState state() {
        return state;
    }

    /**
     * The status id used while this connector holds no link: {@code lan-connect-<server>} for a
     * configured server, {@code lan-discovered-<endpoint>} for a discovered peer.
     */
    String attemptId() {
        return (peerKey == null ? "lan-connect-" : "lan-discovered-") + server.text();
    }

    private void run() {
        try {
            connectLoop();
        } finally {
            synchronized (this) {
                exiting = true;
            }
            transport.connectorEnded(this);
        }
    }

    private void connectLoop() {
        boolean failing = false;
        while (!stopped) {
            state = LinkState.CONNECTING;
            Socket socket = new Socket();
            connecting = socket;
            LanLink opened = null;
            try {
                InetSocketAddress address = server.resolve();
                if (address.isUnresolved()) {
                    throw new IOException("cannot resolve host " + server.host());
                }
                socket.connect(address, LanTransport.CONNECT_TIMEOUT_MS);
                connecting = null;
                if (!stopped) {
                    opened = transport.handshakeAndOpen(socket, this, server.text(), generation);
                }
            } catch (IOException e) {
                if (!stopped) {
                    String message = "lan transport: cannot connect to " + server.text() + ": " + e.getMessage()
                            + "; retrying every " + retryInterval.toMillis() + " ms";
                    if (failing) {
                        DittoLogger.debug(message);
                    } else {
                        DittoLogger.info(message);
                    }
                    failing = true;
                }
                closeQuietly(socket);
            } finally {
                connecting = null;
            }
            if (opened != null) {
                failing = false;
                state = LinkState.CONNECTED;
                try {
                    opened.awaitTermination(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    if (!stopped) {
                        Thread.currentThread().interrupt();
                    }
                }
            } else {
                closeQuietly(socket);
            }
            if (!mayRetry()) {
                break;
            }
            state = LinkState.DISCONNECTED;
            try {
                Thread.sleep(Math.max(1, retryInterval.toMillis()));
            } catch (InterruptedException e) {
                if (stopped) {
                    break;
                }
            }
        }
        state = LinkState.DISCONNECTED;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            DittoLogger.debugf("lan transport: closing a socket failed: %s", e);
        }
    }
}
