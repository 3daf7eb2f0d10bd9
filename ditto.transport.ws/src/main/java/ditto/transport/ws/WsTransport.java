package ditto.transport.ws;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import org.java_websocket.WebSocket;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.HttpRequest;
import ditto.api.spi.transport.HttpResponse;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportStatus;
import ditto.api.spi.transport.TransportStatus.LinkState;
import ditto.api.spi.transport.TransportStatus.LinkStatus;

/**
 * The WebSocket transport of one Ditto instance: an optional {@link SyncServer} (the HTTP
 * listener, which also answers plain HTTP), one {@link Connector} per configured URL, and the
 * {@link WsLink}s they produce.
 *
 * <p>Role and invariants:
 * <pre>
 *  SyncServer decoder thread --upgrade ok--> openLink --> listener.onLinkOpened
 *  Connector's client thread --upgrade ok--------^
 *  Delivery (pooled thread) --onClosed done--> links.remove
 *  HttpService worker thread --/_ditto/ request--> answerHttp --> listener.onHttpRequest
 * </pre>
 * Lifecycle state is guarded by {@code lock}; the engine's listener is never called while it is
 * held. Each start begins a new generation, so an upgrade finishing after a stop produces no
 * link. Engine callbacks run on a cached pool of daemon threads, created at start and shut down
 * at stop once every link has ended.
 */
final class WsTransport implements Transport {
    /** The request and response header that carries the database id in the upgrade handshake. */
    static final String DATABASE_HEADER = "Ditto-Database-Id";
    /** How long a link may take to finish its closing handshake when the transport stops. */
    static final long CLOSE_TIMEOUT_MS = 3_000;

    private final TransportListener listener;
    private final String databaseId;
    private final Object lock = new Object();
    private final Map<String, WsLink> links = new ConcurrentHashMap<>();
    private final AtomicLong linkCounter = new AtomicLong();
    private final Map<String, Connector> connectors = new LinkedHashMap<>();
    private final Map<String, Boolean> warned = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 256;
        }
    });

    private WsSettings settings;
    private boolean started;
    private boolean closed;
    private long generation;
    private SyncServer server;
    private String unavailableReason;
    private ExecutorService deliveryPool;

    WsTransport(TransportParameters parameters, WsSettings settings) {
        this.listener = parameters.listener();
        this.databaseId = parameters.databaseId();
        this.settings = settings;
        if (databaseId.isEmpty() || !databaseId.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "ws transport: database id \"" + databaseId
                    + "\" cannot travel in an HTTP header: it must be non-empty printable ASCII without spaces");
        }
    }

    String databaseId() {
        return databaseId;
    }

    @Override
    public ConnectionType connectionType() {
        return ConnectionType.WEB_SOCKET;
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (closed) {
                throw new DittoException(ErrorCode.CLOSED, "ws transport: cannot start: the transport is closed");
            }
            if (started) {
                return;
            }
            started = true;
            generation++;
            deliveryPool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "ditto-ws-deliver");
                t.setDaemon(true);
                return t;
            });
            openListener(settings);
            for (URI url : settings.urls()) {
                startConnector(url);
            }
        }
    }

    @Override
    public void stop() {
        List<Connector> stopping;
        SyncServer oldServer;
        ExecutorService oldPool;
        synchronized (lock) {
            if (!started) {
                return;
            }
            started = false;
            generation++;
            oldServer = server;
            server = null;
            unavailableReason = null;
            stopping = new ArrayList<>(connectors.values());
            connectors.clear();
            oldPool = deliveryPool;
            deliveryPool = null;
        }
        for (Connector connector : stopping) {
            connector.stop();
        }
        closeAllLinks();
        stopServer(oldServer);
        for (Connector connector : stopping) {
            joinQuietly(connector.thread(), 2_000);
        }
        oldPool.shutdown();
    }

    private void closeAllLinks() {
        List<WsLink> closing = new ArrayList<>(links.values());
        for (WsLink link : closing) {
            link.close();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_TIMEOUT_MS);
        for (WsLink link : closing) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (link.isHandlerThread(Thread.currentThread())) {
                continue;
            }
            try {
                if (!link.awaitTermination(Math.max(left, 1))) {
                    link.forceClose();
                    link.awaitTermination(1_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                link.forceClose();
            }
        }
    }

    @Override
    public void reconfigure(TransportConfig config) {
        WsSettings next = WsSettings.from(config);
        List<Connector> removed = new ArrayList<>();
        SyncServer oldServer = null;
        boolean moveListener;
        synchronized (lock) {
            WsSettings previous = settings;
            settings = next;
            if (!started) {
                return;
            }
            moveListener = previous.listenerDiffers(next);
            if (moveListener) {
                oldServer = server;
                server = null;
                unavailableReason = null;
            } else if (server != null && !Objects.equals(previous.staticContentPath(), next.staticContentPath())) {
                server.http().setStaticContentPath(next.staticContentPath());
                checkStaticContentFolder(next);
                DittoLogger.infof("ws transport: the listener now serves %s", staticText(next));
            }
            List<String> wanted = next.urls().stream().map(URI::toString).toList();
            for (var it = connectors.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, Connector> entry = it.next();
                if (!wanted.contains(entry.getKey())) {
                    entry.getValue().markStopped();
                    removed.add(entry.getValue());
                    it.remove();
                } else {
                    entry.getValue().setRetryInterval(next.retryInterval());
                }
            }
            for (URI url : next.urls()) {
                if (!connectors.containsKey(url.toString())) {
                    startConnector(url);
                }
            }
        }
        for (Connector connector : removed) {
            connector.stop();
            for (WsLink link : links.values()) {
                if (link.owner() == connector) {
                    link.close();
                }
            }
        }
        if (moveListener) {
            // Java-WebSocket cannot stop listening without closing the connections it accepted,
            // so moving the listener ends the links accepted on the old one.
            stopServer(oldServer);
            synchronized (lock) {
                if (started && settings == next && server == null) {
                    openListener(next);
                }
            }
        }
    }

    @Override
    public TransportStatus status() {
        List<LinkStatus> entries = new ArrayList<>();
        for (WsLink link : links.values()) {
            entries.add(new LinkStatus(link.id(), link.remoteDescription(),
                    link.isOpen() ? LinkState.CONNECTED : LinkState.DISCONNECTING));
        }
        String reason;
        List<Connector> current;
        synchronized (lock) {
            reason = unavailableReason;
            current = new ArrayList<>(connectors.values());
        }
        for (Connector connector : current) {
            WsLink link = connector.link();
            if (link != null && links.containsKey(link.id())) {
                continue;
            }
            LinkState state = connector.state() == LinkState.CONNECTED ? LinkState.DISCONNECTED : connector.state();
            entries.add(new LinkStatus(connector.attemptId(), connector.url().toString(), state));
        }
        return new TransportStatus(WsTransportProvider.ID, ConnectionType.WEB_SOCKET, reason == null,
                Optional.ofNullable(reason), entries);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stop();
    }

    /** Returns the port the HTTP listener is bound to, or -1 when not listening. */
    int listeningPort() {
        synchronized (lock) {
            return server == null ? -1 : server.getPort();
        }
    }

    /** Returns the listener's plain HTTP service, or null when not listening. */
    HttpService httpService() {
        synchronized (lock) {
            return server == null ? null : server.http();
        }
    }

    // ------------------------------------------------------------ listener

    /** Opens the listener the settings ask for; holding {@code lock}. */
    private void openListener(WsSettings current) {
        if (!current.listen()) {
            return;
        }
        String where = current.listenText() + " port " + current.listenPort();
        SSLContext tls = null;
        if (current.tlsConfigured()) {
            try {
                tls = PemTls.serverContext(Path.of(current.tlsKeyPath()), Path.of(current.tlsCertificatePath()));
            } catch (DittoException | InvalidPathException e) {
                unavailableReason = "the TLS key or certificate of the listener on " + where + " is unusable, so it "
                        + "stays off rather than serve plain ws and http: " + e.getMessage();
                DittoLogger.warningf("ws transport: %s", unavailableReason);
                return;
            }
        }
        InetSocketAddress address = current.listenAddress() == null ? new InetSocketAddress(current.listenPort())
                : new InetSocketAddress(current.listenAddress(), current.listenPort());
        SyncServer candidate = new SyncServer(this, address, generation, current.websocketSync(),
                current.staticContentPath(), tls);
        String failure;
        try {
            failure = candidate.startAndAwait(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while starting";
        }
        if (failure != null) {
            stopServer(candidate);
            unavailableReason = "cannot listen for HTTP and WebSocket connections on " + where + ": " + failure;
            DittoLogger.warningf("ws transport: %s", unavailableReason);
            return;
        }
        server = candidate;
        checkStaticContentFolder(current);
        DittoLogger.infof("ws transport: listening for %s on %s port %d: WebSocket sync %s, %s, engine endpoints under %s",
                tls == null ? "http" : "https", current.listenText(), candidate.getPort(),
                current.websocketSync() ? "on (" + (tls == null ? "ws" : "wss") + ")" : "off", staticText(current),
                HttpRequest.ENGINE_PATH_PREFIX);
    }

    private static String staticText(WsSettings current) {
        return current.staticContentPath() == null ? "no static files" : "static files from " + current.staticContentPath();
    }

    /** Warns once per folder when the static content folder is not a readable directory (yet). */
    private void checkStaticContentFolder(WsSettings current) {
        String folder = current.staticContentPath();
        if (folder != null && !(Files.isDirectory(Path.of(folder)) && Files.isReadable(Path.of(folder)))) {
            warnOnce("static|" + folder, "ws transport: listen.http.static_content_path " + folder
                    + " is not a readable directory; file requests are answered 404 until it is");
        }
    }

    /**
     * Asks the engine to answer a plain HTTP request; called on an {@link HttpService} worker
     * thread, may block.
     *
     * @return the engine's response, or 500 if it failed
     */
    HttpResponse answerHttp(HttpRequest request) {
        try {
            HttpResponse response = listener.onHttpRequest(request);
            if (response != null) {
                return response;
            }
            DittoLogger.errorf("ws transport: the engine answered %s with null; sending 500", request);
        } catch (Throwable t) {
            DittoLogger.errorf("ws transport: the engine failed to answer %s: %s", request, t);
        }
        return HttpResponse.text(500, "internal error");
    }

    /** Stops a server, dropping the connections it still has; null-safe. */
    private static void stopServer(SyncServer stopping) {
        if (stopping == null) {
            return;
        }
        try {
            stopping.stop(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------ links

    /**
     * Registers a connection whose upgrade succeeded as a link and hands it to the engine.
     *
     * @param connection the library's connection
     * @param origin the server that accepted an incoming connection, null for an outgoing one
     * @param owner the connector for an outgoing link, null for an accepted one
     * @param remote the remote description
     * @param expectedGeneration the generation the connection was made in
     * @return the link, or null if the transport stopped meanwhile or the engine failed
     */
    WsLink openLink(WebSocket connection, SyncServer origin, Connector owner, String remote, long expectedGeneration) {
        WsLink link;
        ExecutorService pool;
        synchronized (lock) {
            if (!started || generation != expectedGeneration || (owner != null && owner.isStopped())
                    || (owner == null && origin != server)) {
                return null;
            }
            link = new WsLink("ws-" + linkCounter.incrementAndGet(), owner, remote, connection,
                    l -> links.remove(l.id(), l));
            links.put(link.id(), link);
            pool = deliveryPool;
            if (owner != null) {
                owner.setLink(link);
            }
            connection.setAttachment(link);
        }
        LinkHandler handler;
        try {
            handler = listener.onLinkOpened(link);
        } catch (Throwable t) {
            DittoLogger.errorf("ws transport: the engine failed to accept link %s with %s: %s", link.id(), remote, t);
            handler = null;
        }
        if (handler == null) {
            connection.setAttachment(null);
            links.remove(link.id(), link);
            return null;
        }
        link.start(handler, pool);
        DittoLogger.infof("ws transport: link %s %s %s", link.id(), link.isIncoming() ? "from" : "to", remote);
        warned.remove((owner != null ? owner.url().toString() : hostOf(connection)) + "|db");
        return link;
    }

    private void startConnector(URI url) {
        Connector connector = new Connector(this, url, settings.retryInterval(), generation);
        connectors.put(url.toString(), connector);
        connector.start();
    }

    void warnOnce(String key, String message) {
        if (warned.put(key, Boolean.TRUE) == null) {
            DittoLogger.warning(message);
        } else {
            DittoLogger.debug(message);
        }
    }

    private static String hostOf(WebSocket connection) {
        InetSocketAddress address = connection.getRemoteSocketAddress();
        return address == null || address.getAddress() == null ? "" : address.getAddress().getHostAddress();
    }

    /** Formats a socket address as {@code ip:port}, with brackets around IPv6 addresses. */
    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private static void joinQuietly(Thread thread, long millis) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
