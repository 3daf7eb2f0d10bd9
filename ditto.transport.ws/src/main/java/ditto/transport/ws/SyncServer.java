package ditto.transport.ws;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeImpl1Server;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

import ditto.api.DittoLogger;

/**
 * The HTTP listener of one start of a {@link WsTransport}: accepts WebSocket upgrades that name
 * the transport's database and turns each into a {@link WsLink}, and hands every other request
 * to its {@link HttpService} (static files, the engine's endpoints), on the same port.
 *
 * <p>Role and invariants: one selector thread and {@link #DECODERS} decoder threads, all daemon
 * threads owned by Java-WebSocket; a connection is always decoded by the same decoder thread.
 * {@link HttpDraft} tells the two kinds of connection apart; a connection's attachment is its
 * {@link WsLink} or its {@link HttpService.Exchange}, never both, and a plain HTTP connection
 * never becomes a link. A new instance is made for every start, because a Java-WebSocket server
 * cannot be started twice.
 */
final class SyncServer extends WebSocketServer {
    /** Decoder threads of the server. */
    static final int DECODERS = 2;

    private final WsTransport transport;
    private final long generation;
    private final boolean websocketSync;
    private final HttpService http;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;

    /**
     * @param websocketSync whether to accept WebSocket sync upgrades
     * @param staticContentPath the folder to serve files from, or null for none
     * @param tls the context to serve {@code wss://} and {@code https://} with, or null for plain
     *        {@code ws://} and {@code http://}
     */
    SyncServer(WsTransport transport, InetSocketAddress address, long generation, boolean websocketSync,
            String staticContentPath, SSLContext tls) {
        super(address, DECODERS, List.<Draft>of(new HttpDraft(MessageFraming.MESSAGE_LIMIT)));
        this.transport = transport;
        this.generation = generation;
        this.websocketSync = websocketSync;
        this.http = new HttpService(transport, staticContentPath);
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        if (tls != null) {
            setWebSocketFactory(new TlsConnectionFactory(tls));
        }
    }

    /** Returns the service answering plain HTTP requests. */
    HttpService http() {
        return http;
    }

    /**
     * Starts the server and waits until it is bound.
     *
     * @return null if it listens, otherwise why it could not bind
     */
    String startAndAwait(long timeoutMillis) throws InterruptedException {
        start();
        if (!started.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return "the server did not start within " + timeoutMillis + " ms";
        }
        Exception failure = startFailure;
        return failure == null ? null : String.valueOf(failure.getMessage());
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        if (request instanceof PlainRequest) {
            // HttpDraft writes nothing for it; HttpService answers once the connection is open
            return new HandshakeImpl1Server();
        }
        ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        String remote = WsTransport.describe(conn.getRemoteSocketAddress());
        String remoteHost = conn.getRemoteSocketAddress() == null ? remote
                : conn.getRemoteSocketAddress().getAddress().getHostAddress();
        if (!websocketSync) {
            String why = "WebSocket sync is off on this listener (listen.http.websocket_sync)";
            transport.warnOnce(remoteHost + "|sync-off", "ws transport: refused WebSocket upgrade from " + remote + ": " + why);
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, why);
        }
        String remoteDatabase = request.getFieldValue(WsTransport.DATABASE_HEADER);
        if (!transport.databaseId().equals(remoteDatabase)) {
            String why = remoteDatabase.isEmpty() ? "the upgrade request has no " + WsTransport.DATABASE_HEADER + " header"
                    : "it serves database " + remoteDatabase + ", this instance serves " + transport.databaseId();
            transport.warnOnce(remoteHost + "|db", "ws transport: refused connection from " + remote + ": " + why);
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, why);
        }
        response.put(WsTransport.DATABASE_HEADER, transport.databaseId());
        return response;
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        if (handshake instanceof PlainRequest request) {
            if (!http.accept((WebSocketImpl) conn, request, WsTransport.describe(conn.getRemoteSocketAddress()))) {
                // closed before it was added, so the library would keep it in its set for good
                removeConnection(conn);
            }
            return;
        }
        String remote = WsTransport.describe(conn.getRemoteSocketAddress()) + " (accepted on port " + getPort() + ")";
        WsLink link = transport.openLink(conn, this, null, remote, generation);
        if (link == null) {
            conn.close(CloseFrame.GOING_AWAY, "transport stopping");
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        if (conn.getAttachment() instanceof WsLink link) {
            link.onMessage(message);
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (conn.getAttachment() instanceof WsLink link) {
            link.onTextMessage();
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Object attachment = conn.getAttachment();
        if (attachment instanceof WsLink link) {
            link.onClose(code, reason, remote);
        } else if (attachment instanceof HttpService.Exchange exchange) {
            exchange.onClosed();
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startFailure = ex;
            started.countDown();
            return;
        }
        Object attachment = conn.getAttachment();
        DittoLogger.errorf("ws transport: error on %s: %s", attachment instanceof WsLink link ? "link " + link.id()
                : "connection from " + WsTransport.describe(conn.getRemoteSocketAddress()), ex);
    }

    @Override
    public void stop(int timeout, String closeMessage) throws InterruptedException {
        try {
            super.stop(timeout, closeMessage);
        } finally {
            http.shutdown();
        }
    }
}
