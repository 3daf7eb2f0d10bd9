package ditto.transport.ws;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;

import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.spi.transport.TransportStatus.LinkState;

/**
 * Keeps one outgoing link to one configured WebSocket URL: connects, waits while the link
 * lives, and after a failure or a close waits the retry interval and tries again, until stopped.
 *
 * <p>Role and invariants: one daemon thread per URL, plus the two threads Java-WebSocket runs
 * for each client connection. A fresh {@link Client} is made for each attempt, because a
 * Java-WebSocket client connects only once. {@code wss://} URLs use the JDK's default
 * {@code SSLContext} (its trust store), or, when the system property {@link #TRUSTED_CERTIFICATES}
 * names a PEM file, trust exactly the certificates in that file (read at each attempt); host name
 * verification, which Java-WebSocket turns on, applies either way. The first failure of a run of failures is logged at info, repeats at debug.
 */
final class Connector {
    /** How long a connection attempt, handshake included, may take. */
    static final long CONNECT_TIMEOUT_MS = 10_000;
    /**
     * System property naming a PEM file of certificates that {@code wss://} connections trust
     * instead of the JDK's default trust store (for self-signed servers and tests).
     */
    static final String TRUSTED_CERTIFICATES = "ditto.ws.trustedCertificates";

    private final WsTransport transport;
    private final URI url;
    private final long generation;
    private final Thread thread;
    private volatile Duration retryInterval;
    private volatile boolean stopped;
    private volatile Client client;
    private volatile WsLink link;
    private volatile LinkState state = LinkState.CONNECTING;

    Connector(WsTransport transport, URI url, Duration retryInterval, long generation) {
        this.transport = transport;
        this.url = url;
        this.retryInterval = retryInterval;
        this.generation = generation;
        this.thread = new Thread(this::run, "ditto-ws-connect-" + url);
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

    /** Stops retrying and aborts a connection attempt under way; the link is closed by the caller. */
    void stop() {
        stopped = true;
        Client current = client;
        if (current != null && link == null) {
            current.close();
        }
        thread.interrupt();
    }

    void setRetryInterval(Duration retryInterval) {
        this.retryInterval = retryInterval;
    }

    /** Records the link this connector opened; called by the transport before the engine sees it. */
    void setLink(WsLink link) {
        this.link = link;
    }

    URI url() {
        return url;
    }

    Thread thread() {
        return thread;
    }

    WsLink link() {
        return link;
    }

    LinkState state() {
        return state;
    }

    /** The status id used while this connector holds no link. */
    String attemptId() {
        return "ws-connect-" + url;
    }

    private void run() {
        boolean failing = false;
        while (!stopped) {
            state = LinkState.CONNECTING;
            Client attempt = new Client();
            client = attempt;
            String setupFailure = configureTls(attempt);
            if (setupFailure == null) {
                try {
                    attempt.connectBlocking(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    attempt.close();
                    break;
                }
            } else {
                attempt.failure = setupFailure;
            }
            WsLink current = attempt.link;
            if (current != null) {
                failing = false;
                state = LinkState.CONNECTED;
                try {
                    current.awaitTermination(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    if (stopped) {
                        break;
                    }
                }
            } else {
                if (!stopped) {
                    String message = "ws transport: cannot connect to " + url + ": " + attempt.failure()
                            + "; retrying every " + retryInterval.toMillis() + " ms";
                    if (failing) {
                        DittoLogger.debug(message);
                    } else {
                        DittoLogger.info(message);
                    }
                    failing = true;
                }
                attempt.close();
            }
            if (stopped) {
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

    /** Installs the trusted-certificates socket factory on a {@code wss://} attempt; returns why it failed, or null. */
    private String configureTls(Client attempt) {
        String trusted = System.getProperty(TRUSTED_CERTIFICATES, "");
        if (trusted.isEmpty() || !"wss".equalsIgnoreCase(url.getScheme())) {
            return null;
        }
        try {
            attempt.setSocketFactory(PemTls.trustingContext(Path.of(trusted)).getSocketFactory());
            return null;
        } catch (DittoException | InvalidPathException e) {
            return "system property " + TRUSTED_CERTIFICATES + ": " + e.getMessage();
        }
    }

    /** One connection attempt's Java-WebSocket client; its link, if any, is its attachment. */
    private final class Client extends WebSocketClient {
        private volatile WsLink link;
        private volatile String failure = "connection closed during the handshake";

        Client() {
            super(url, new Draft_6455(List.of(), MessageFraming.MESSAGE_LIMIT),
                    Map.of(WsTransport.DATABASE_HEADER, transport.databaseId()), (int) CONNECT_TIMEOUT_MS);
            setTcpNoDelay(true);
            setDaemon(true);
        }

        @Override
        public void onWebsocketHandshakeReceivedAsClient(WebSocket conn, ClientHandshake request,
                ServerHandshake response) throws InvalidDataException {
            String remoteDatabase = response.getFieldValue(WsTransport.DATABASE_HEADER);
            if (!transport.databaseId().equals(remoteDatabase)) {
                String why = remoteDatabase.isEmpty() ? "the server's answer has no " + WsTransport.DATABASE_HEADER
                        + " header (not a Ditto peer?)" : "it serves database " + remoteDatabase
                        + ", this instance serves " + transport.databaseId();
                failure = why;
                transport.warnOnce(url + "|db", "ws transport: refused connection to " + url + ": " + why);
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, why);
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            link = transport.openLink(getConnection(), null, Connector.this, url.toString(), generation);
            if (link == null) {
                close(CloseFrame.GOING_AWAY, "transport stopping");
            }
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            WsLink current = getConnection().getAttachment();
            if (current != null) {
                current.onMessage(bytes);
            }
        }

        @Override
        public void onMessage(String message) {
            WsLink current = getConnection().getAttachment();
            if (current != null) {
                current.onTextMessage();
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            WsLink current = getConnection().getAttachment();
            if (current != null) {
                current.onClose(code, reason, remote);
            } else if (reason != null && !reason.isEmpty()) {
                failure = reason + " (code " + code + ")";
            }
        }

        @Override
        public void onError(Exception ex) {
            WsLink current = link;
            if (current != null) {
                DittoLogger.errorf("ws transport: error on link %s: %s", current.id(), ex);
            } else {
                failure = String.valueOf(ex.getMessage() != null ? ex.getMessage() : ex);
            }
        }

        /**
         * Always false. Java-WebSocket's client stops reading as soon as a close begins, without
         * waiting for the remote's close frame, and then interrupts its writer, which can drop
         * frames still queued and end the TCP stream before the server has read them. Reporting
         * "not closing" keeps the reading loop going until the remote's close frame or end of
         * stream; this transport itself asks the connection ({@code getConnection()}), not the
         * client, for its state.
         */
        @Override
        public boolean isClosing() {
            return false;
        }

        String failure() {
            return failure;
        }
    }
}
