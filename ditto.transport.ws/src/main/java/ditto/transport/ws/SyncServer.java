package ditto.transport.ws;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

import ditto.api.DittoLogger;

/**
 * The WebSocket listener of one start of a {@link WsTransport}: accepts upgrades that name the
 * transport's database and turns each into a {@link WsLink}.
 *
 * <p>Role and invariants: one selector thread and {@link #DECODERS} decoder threads, all daemon
 * threads owned by Java-WebSocket; a connection is always decoded by the same decoder thread.
 * The link of a connection is its attachment. A new instance is made for every start, because a
 * Java-WebSocket server cannot be started twice.
 */
final class SyncServer extends WebSocketServer {
    /** Decoder threads of the server. */
    static final int DECODERS = 2;

    private final WsTransport transport;
    private final long generation;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;

    /**
     * @param tls the context to serve {@code wss://} with, or null for plain {@code ws://}
     */
    SyncServer(WsTransport transport, InetSocketAddress address, long generation, SSLContext tls) {
        super(address, DECODERS, List.<Draft>of(new Draft_6455(List.of(), MessageFraming.MESSAGE_LIMIT)));
        this.transport = transport;
        this.generation = generation;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        if (tls != null) {
            setWebSocketFactory(new DefaultSSLWebSocketServerFactory(tls));
        }
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
        ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        String remoteDatabase = request.getFieldValue(WsTransport.DATABASE_HEADER);
        String remote = WsTransport.describe(conn.getRemoteSocketAddress());
        String remoteHost = conn.getRemoteSocketAddress() == null ? remote
                : conn.getRemoteSocketAddress().getAddress().getHostAddress();
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
        String remote = WsTransport.describe(conn.getRemoteSocketAddress()) + " (accepted on port " + getPort() + ")";
        WsLink link = transport.openLink(conn, this, null, remote, generation);
        if (link == null) {
            conn.close(CloseFrame.GOING_AWAY, "transport stopping");
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        WsLink link = conn.getAttachment();
        if (link != null) {
            link.onMessage(message);
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        WsLink link = conn.getAttachment();
        if (link != null) {
            link.onTextMessage();
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        WsLink link = conn.getAttachment();
        if (link != null) {
            link.onClose(code, reason, remote);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startFailure = ex;
            started.countDown();
            return;
        }
        WsLink link = conn.getAttachment();
        DittoLogger.errorf("ws transport: error on %s: %s", link != null ? "link " + link.id()
                : "connection from " + WsTransport.describe(conn.getRemoteSocketAddress()), ex);
    }
}
