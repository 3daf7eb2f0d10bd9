package ditto.transport.lan;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportStatus;
import ditto.api.spi.transport.TransportStatus.LinkState;
import ditto.api.spi.transport.TransportStatus.LinkStatus;

/**
 * The LAN transport of one Ditto instance: a TCP listener, one {@link Connector} per configured
 * server, and the {@link LanLink}s they produce.
 *
 * <p>Role and invariants:
 * <pre>
 *  acceptor thread --accept--> handshake thread --hello ok--> openLink --> listener.onLinkOpened
 *  connector thread --connect--> (same handshake) ------------^
 *  link reader/writer threads --terminated--> links.remove
 * </pre>
 * Lifecycle state ({@code started}, {@code closed}, listener, connectors, generation) is guarded
 * by {@code lock}; the engine's listener is never called while {@code lock} is held. Each start
 * begins a new generation: a handshake that finishes after a stop, or after a stop and a new
 * start, does not produce a link. At most {@link #MAX_PENDING_HANDSHAKES} incoming handshakes
 * run at once; further connections are closed at once.
 */
final class LanTransport implements Transport {
    /** How long a peer may take to send its hello. */
    static final int HANDSHAKE_TIMEOUT_MS = 10_000;
    /** How long a connection attempt to a server may take. */
    static final int CONNECT_TIMEOUT_MS = 10_000;
    /** The most incoming connections that may be in their handshake at once. */
    static final int MAX_PENDING_HANDSHAKES = 64;

    private final TransportListener listener;
    private final String databaseId;
    private final Object lock = new Object();
    private final Map<String, LanLink> links = new ConcurrentHashMap<>();
    private final AtomicLong linkCounter = new AtomicLong();
    private final Semaphore handshakes = new Semaphore(MAX_PENDING_HANDSHAKES);
    private final Map<String, Boolean> warned = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 256;
        }
    });

    private LanSettings settings;
    private boolean started;
    private boolean closed;
    private long generation;
    private boolean discoveryNoticeLogged;
    private ServerSocket serverSocket;
    private Thread acceptor;
    private String unavailableReason;
    private ScheduledExecutorService timer;
    private final Map<String, Connector> connectors = new LinkedHashMap<>();

    LanTransport(TransportParameters parameters, LanSettings settings) {
        this.listener = parameters.listener();
        this.databaseId = parameters.databaseId();
        this.settings = settings;
        Hello.encode(databaseId);
    }

    @Override
    public ConnectionType connectionType() {
        return ConnectionType.ACCESS_POINT;
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (closed) {
                throw new DittoException(ErrorCode.CLOSED, "lan transport: cannot start: the transport is closed");
            }
            if (started) {
                return;
            }
            started = true;
            generation++;
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ditto-lan-timer");
                t.setDaemon(true);
                return t;
            });
            if (settings.listen()) {
                openListener(settings);
            }
            for (LanSettings.Server server : settings.servers()) {
                startConnector(server);
            }
            logDiscoveryNotice();
        }
    }

    @Override
    public void stop() {
        List<Thread> threads = new ArrayList<>();
        List<Connector> stopping;
        ScheduledExecutorService stoppingTimer;
        synchronized (lock) {
            if (!started) {
                return;
            }
            started = false;
            generation++;
            Thread oldAcceptor = closeListener();
            if (oldAcceptor != null) {
                threads.add(oldAcceptor);
            }
            stopping = new ArrayList<>(connectors.values());
            connectors.clear();
            stoppingTimer = timer;
            timer = null;
        }
        for (Connector connector : stopping) {
            connector.stop();
            threads.add(connector.thread());
        }
        closeAllLinks();
        for (Thread thread : threads) {
            joinQuietly(thread, 2_000);
        }
        // shutdown, not shutdownNow: a link closed from its own handler thread still relies on
        // its forced-close timeout, which a shut-down executor runs when it is due
        stoppingTimer.shutdown();
    }

    private void closeAllLinks() {
        List<LanLink> closing = new ArrayList<>(links.values());
        for (LanLink link : closing) {
            link.close();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LanLink.CLOSE_TIMEOUT_MS + 1_000);
        for (LanLink link : closing) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (link.isReaderThread(Thread.currentThread())) {
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
        LanSettings next = LanSettings.from(config);
        List<Connector> removed = new ArrayList<>();
        Thread oldAcceptor = null;
        synchronized (lock) {
            LanSettings previous = settings;
            settings = next;
            if (!started) {
                return;
            }
            if (previous.listenerDiffers(next)) {
                oldAcceptor = closeListener();
                if (next.listen()) {
                    openListener(next);
                }
            }
            List<String> wanted = next.servers().stream().map(LanSettings.Server::text).toList();
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
            for (LanSettings.Server server : next.servers()) {
                if (!connectors.containsKey(server.text())) {
                    startConnector(server);
                }
            }
            logDiscoveryNotice();
        }
        for (Connector connector : removed) {
            connector.stop();
            for (LanLink link : links.values()) {
                if (link.owner() == connector) {
                    link.close();
                }
            }
        }
        if (oldAcceptor != null) {
            joinQuietly(oldAcceptor, 2_000);
        }
    }

    @Override
    public TransportStatus status() {
        List<LinkStatus> entries = new ArrayList<>();
        for (LanLink link : links.values()) {
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
            LanLink link = connector.link();
            if (link != null && links.containsKey(link.id())) {
                continue;
            }
            LinkState state = connector.state() == LinkState.CONNECTED ? LinkState.DISCONNECTED : connector.state();
            entries.add(new LinkStatus(connector.attemptId(), connector.server().text(), state));
        }
        return new TransportStatus(LanTransportProvider.ID, ConnectionType.ACCESS_POINT, reason == null,
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

    /** Returns the port the listener is bound to, or -1 when not listening. */
    int listeningPort() {
        synchronized (lock) {
            return serverSocket == null ? -1 : serverSocket.getLocalPort();
        }
    }

    // ------------------------------------------------------------ listener (holding lock)

    private void openListener(LanSettings current) {
        String where = current.listenText() + " port " + current.listenPort();
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            SocketAddress address = current.listenAddress() == null ? new InetSocketAddress(current.listenPort())
                    : new InetSocketAddress(current.listenAddress(), current.listenPort());
            socket.bind(address, 50);
        } catch (IOException | SecurityException e) {
            closeQuietly(socket);
            unavailableReason = "cannot listen for TCP on " + where + ": " + e.getMessage();
            DittoLogger.warningf("lan transport: %s", unavailableReason);
            return;
        }
        unavailableReason = null;
        serverSocket = socket;
        DittoLogger.infof("lan transport: listening for TCP on %s", describe(socket.getLocalSocketAddress()));
        ServerSocket accepting = socket;
        long acceptGeneration = generation;
        acceptor = new Thread(() -> acceptLoop(accepting, acceptGeneration), "ditto-lan-accept-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private Thread closeListener() {
        Thread old = acceptor;
        closeQuietly(serverSocket);
        serverSocket = null;
        acceptor = null;
        unavailableReason = null;
        return old;
    }

    private void acceptLoop(ServerSocket socket, long acceptGeneration) {
        int localPort = socket.getLocalPort();
        while (!socket.isClosed()) {
            Socket accepted;
            try {
                accepted = socket.accept();
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
                DittoLogger.warningf("lan transport: accepting on port %d failed: %s", localPort, e.getMessage());
                sleepQuietly(100);
                continue;
            }
            if (!handshakes.tryAcquire()) {
                DittoLogger.warningf("lan transport: refused connection from %s: %d handshakes already pending",
                        describe(accepted.getRemoteSocketAddress()), MAX_PENDING_HANDSHAKES);
                closeQuietly(accepted);
                continue;
            }
            String remote = describe(accepted.getRemoteSocketAddress()) + " (accepted on port " + localPort + ")";
            Thread handshake = new Thread(() -> {
                try {
                    handshakeAndOpen(accepted, null, remote, acceptGeneration);
                } finally {
                    handshakes.release();
                }
            }, "ditto-lan-handshake");
            handshake.setDaemon(true);
            handshake.start();
        }
    }

    // ------------------------------------------------------------ links

    /**
     * Exchanges hellos on a connected socket and, if the remote serves the same database, opens a
     * link and hands it to the engine. Never throws: failures are logged and the socket closed.
     *
     * @return the open link, or null if the connection was refused or failed
     */
    LanLink handshakeAndOpen(Socket socket, Connector owner, String remote, long expectedGeneration) {
        boolean incoming = owner == null;
        String warnKey = incoming ? socket.getInetAddress().getHostAddress() : remote;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            Hello.write(socket.getOutputStream(), databaseId);
            String remoteDatabase = Hello.read(socket.getInputStream());
            if (!remoteDatabase.equals(databaseId)) {
                warnOnce(warnKey + "|db", "lan transport: refused " + (incoming ? "connection from " : "connection to ")
                        + remote + ": it serves database " + remoteDatabase + ", this instance serves " + databaseId);
                closeQuietly(socket);
                return null;
            }
            socket.setSoTimeout(0);
        } catch (DittoException e) {
            warnOnce(warnKey + "|hello", "lan transport: refused " + (incoming ? "connection from " : "connection to ")
                    + remote + ": " + e.getMessage());
            closeQuietly(socket);
            return null;
        } catch (IOException e) {
            DittoLogger.debugf("lan transport: handshake with %s failed: %s", remote, e);
            closeQuietly(socket);
            return null;
        }
        LanLink link = openLink(socket, owner, remote, expectedGeneration);
        if (link != null) {
            warned.remove(warnKey + "|db");
            warned.remove(warnKey + "|hello");
        }
        return link;
    }

    private LanLink openLink(Socket socket, Connector owner, String remote, long expectedGeneration) {
        boolean incoming = owner == null;
        LanLink link;
        synchronized (lock) {
            if (!started || generation != expectedGeneration || (owner != null && owner.isStopped())) {
                closeQuietly(socket);
                return null;
            }
            link = new LanLink("lan-" + linkCounter.incrementAndGet(), owner, remote, socket, timer,
                    l -> links.remove(l.id(), l));
            links.put(link.id(), link);
            if (owner != null) {
                owner.setLink(link);
            }
        }
        LinkHandler handler;
        try {
            handler = listener.onLinkOpened(link);
        } catch (Throwable t) {
            DittoLogger.errorf("lan transport: the engine failed to accept link %s with %s: %s", link.id(), remote, t);
            handler = null;
        }
        if (handler == null) {
            link.forceClose();
            links.remove(link.id(), link);
            return null;
        }
        DittoLogger.infof("lan transport: link %s %s %s", link.id(), incoming ? "from" : "to", remote);
        link.start(handler);
        return link;
    }

    private void startConnector(LanSettings.Server server) {
        Connector connector = new Connector(this, server, settings.retryInterval(), generation);
        connectors.put(server.text(), connector);
        connector.start();
    }

    private void logDiscoveryNotice() {
        if (settings.discoveryRequested() && !discoveryNoticeLogged) {
            discoveryNoticeLogged = true;
            DittoLogger.info("lan transport: peer discovery by mDNS and UDP multicast is not part of this version; "
                    + "only listen.tcp and connect.tcp_servers make LAN links for now");
        }
    }

    private void warnOnce(String key, String message) {
        if (warned.put(key, Boolean.TRUE) == null) {
            DittoLogger.warning(message);
        } else {
            DittoLogger.debug(message);
        }
    }

    /** Formats a socket address as {@code ip:port}, with brackets around IPv6 addresses. */
    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            DittoLogger.debugf("lan transport: closing %s failed: %s", closeable, e);
        }
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

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
