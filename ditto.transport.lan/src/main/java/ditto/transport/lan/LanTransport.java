package ditto.transport.lan;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportStatus;
import ditto.api.spi.transport.TransportStatus.LinkState;
import ditto.api.spi.transport.TransportStatus.LinkStatus;

/**
 * The LAN transport of one Ditto instance: a TCP listener, one {@link Connector} per configured
 * server and per discovered peer it should connect to, the {@link LanLink}s they produce, and
 * discovery by {@link MdnsDiscovery} and {@link MulticastDiscovery}.
 *
 * <p>Role and invariants:
 * <pre>
 *  acceptor thread --accept--> handshake thread --hello ok--> openLink --> listener.onLinkOpened
 *  connector thread --connect--> (same handshake) ------------^
 *  link reader/writer threads --terminated--> links.remove
 *  mdns / multicast threads --seen/gone--> PeerDirectory --> listener.onPeerDiscovered/Lost
 *                                                       \--> reconcileConnectors (tie-break)
 * </pre>
 * Lifecycle state ({@code started}, {@code closed}, listener, connectors, discovery mechanisms,
 * sessions, the peer directory, generation) is guarded by {@code lock}; the engine's listener is
 * never called while {@code lock} is held. Discovery events are computed under {@code lock} and
 * published under {@code eventLock}, which every path that produces them takes first (order:
 * {@code eventLock}, then {@code lock}), so the engine sees found/lost in the order they
 * happened; no thread is joined while holding {@code eventLock}. Each start begins a new
 * generation: a handshake that finishes after a stop, or after a stop and a new start, does not
 * produce a link. Each discovery mechanism instance gets a new session number; reports carrying
 * an old one are ignored. At most {@link #MAX_PENDING_HANDSHAKES} incoming handshakes run at
 * once; further connections are closed at once.
 */
final class LanTransport implements Transport, DiscoverySink {
    /** How long a peer may take to send its hello. */
    static final int HANDSHAKE_TIMEOUT_MS = 10_000;
    /** How long a connection attempt to a server may take. */
    static final int CONNECT_TIMEOUT_MS = 10_000;
    /** The most incoming connections that may be in their handshake at once. */
    static final int MAX_PENDING_HANDSHAKES = 64;
    /** How long {@link #stop()} waits for the jmdns instances to close. */
    static final long MDNS_STOP_TIMEOUT_MS = 8_000;

    /**
     * What one discovery mechanism runs with; a mechanism is restarted exactly when its plan
     * changes.
     *
     * @param interfaces where it runs
     * @param scope which announcements concern this peer
     * @param announcement what it announces, or null when not listening
     */
    private record DiscoveryPlan(List<DiscoveryInterface> interfaces, DiscoveryScope scope, Announcement announcement) {
    }

    private final TransportListener listener;
    private final String databaseId;
    private final String localPeerKey;
    private final String deviceName;
    private final long databaseHash;
    private final DiscoveryOptions options;
    private final Object lock = new Object();
    private final Object eventLock = new Object();
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
    private ServerSocket serverSocket;
    private Thread acceptor;
    private String unavailableReason;
    private ScheduledExecutorService timer;
    private final Map<String, Connector> connectors = new LinkedHashMap<>();
    /** Connectors to discovered peers by peer key, including released ones whose link still lives. */
    private final Map<String, Connector> discoveredConnectors = new LinkedHashMap<>();
    private final PeerDirectory directory = new PeerDirectory();
    private long sessions;
    private long multicastSession = -1;
    private long mdnsSession = -1;
    private DiscoveryPlan multicastPlan;
    private DiscoveryPlan mdnsPlan;
    private MulticastDiscovery multicast;
    private MdnsDiscovery mdns;
    private ScheduledFuture<?> rescan;

    LanTransport(TransportParameters parameters, LanSettings settings) {
        this(parameters, settings, DiscoveryOptions.DEFAULTS);
    }

    /** Creates a transport with non-default discovery options; for tests. */
    LanTransport(TransportParameters parameters, LanSettings settings, DiscoveryOptions options) {
        this.listener = parameters.listener();
        this.databaseId = parameters.databaseId();
        this.localPeerKey = parameters.localPeerKey();
        this.deviceName = parameters.deviceName();
        this.databaseHash = Announcement.databaseHash(databaseId);
        this.options = options;
        this.settings = settings;
        Hello.encode(databaseId);
    }

    @Override
    public ConnectionType connectionType() {
        return ConnectionType.ACCESS_POINT;
    }

    @Override
    public void start() {
        List<Runnable> after = new ArrayList<>();
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
            // the directory is empty after a stop, so starting discovery produces no events
            applyDiscovery(new ArrayList<>(), after);
            long period = options.rescanInterval().toMillis();
            rescan = timer.scheduleWithFixedDelay(this::refreshDiscovery, period, period, TimeUnit.MILLISECONDS);
        }
        runAll(after);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also stops discovery: reports every discovered peer lost, sends a multicast goodbye,
     * and closes the jmdns instances, which takes about 2 s when mDNS ran (jmdns sends goodbye
     * records and waits for them); this method waits for that at most
     * {@value #MDNS_STOP_TIMEOUT_MS} ms, in parallel with closing the links.
     */
    @Override
    public void stop() {
        List<Thread> threads = new ArrayList<>();
        List<Connector> stopping;
        ScheduledExecutorService stoppingTimer;
        MulticastDiscovery stoppingMulticast;
        MdnsDiscovery stoppingMdns;
        synchronized (eventLock) {
            List<PeerDirectory.Event> events = new ArrayList<>();
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
                stopping.addAll(discoveredConnectors.values());
                discoveredConnectors.clear();
                if (rescan != null) {
                    rescan.cancel(false);
                    rescan = null;
                }
                stoppingMulticast = multicast;
                stoppingMdns = mdns;
                multicast = null;
                mdns = null;
                multicastPlan = null;
                mdnsPlan = null;
                multicastSession = -1;
                mdnsSession = -1;
                directory.clear(events);
                stoppingTimer = timer;
                timer = null;
            }
            publish(events);
        }
        if (stoppingMdns != null) {
            stoppingMdns.beginShutdown();
        }
        if (stoppingMulticast != null) {
            stoppingMulticast.stop();
        }
        for (Connector connector : stopping) {
            connector.stop();
            threads.add(connector.thread());
        }
        closeAllLinks();
        for (Thread thread : threads) {
            joinQuietly(thread, 2_000);
        }
        if (stoppingMdns != null) {
            stoppingMdns.awaitShutdown(MDNS_STOP_TIMEOUT_MS);
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

    /**
     * {@inheritDoc}
     *
     * <p>Discovery follows the new settings at once: turning mDNS or multicast on or off, a new
     * sync group, or a listener on another port or interface restarts the mechanism concerned
     * (peers it saw are reported lost, then found again if still in scope); peers no longer in
     * scope are not connected to any more, though links already open stay open.
     */
    @Override
    public void reconfigure(TransportConfig config) {
        LanSettings next = LanSettings.from(config);
        List<Connector> removed = new ArrayList<>();
        List<Runnable> after = new ArrayList<>();
        Thread oldAcceptor = null;
        synchronized (eventLock) {
            List<PeerDirectory.Event> events = new ArrayList<>();
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
                for (Connector connector : discoveredConnectors.values()) {
                    connector.setRetryInterval(next.retryInterval());
                }
                applyDiscovery(events, after);
            }
            publish(events);
        }
        runAll(after);
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
            current.addAll(discoveredConnectors.values());
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
        Connector connector = new Connector(this, server, null, settings.retryInterval(), generation);
        connectors.put(server.text(), connector);
        connector.start();
    }

    /** Called by a connector's thread as it ends. */
    void connectorEnded(Connector connector) {
        if (connector.peerKey() == null) {
            return;
        }
        synchronized (lock) {
            discoveredConnectors.remove(connector.peerKey(), connector);
        }
    }

    // ------------------------------------------------------------ discovery

    /** Returns the peers discovery currently sees; for tests. */
    int discoveredCount() {
        synchronized (lock) {
            return directory.size();
        }
    }

    /** Returns the running multicast discovery, or null; for tests. */
    MulticastDiscovery multicastDiscovery() {
        synchronized (lock) {
            return multicast;
        }
    }

    @Override
    public void seen(String mechanism, long session, String endpoint, Announcement announcement) {
        synchronized (eventLock) {
            List<PeerDirectory.Event> events = new ArrayList<>();
            synchronized (lock) {
                if (!started || session != sessionOf(mechanism)) {
                    return;
                }
                if (!directory.seen(mechanism, endpoint, announcement.peerKey(), announcement.deviceName(), events)) {
                    warnOnce("discovery|full", "lan transport: ignoring peer " + endpoint + " found by " + mechanism
                            + ": already " + PeerDirectory.MAX_PEERS + " discovered peers");
                    return;
                }
                reconcileConnectors();
            }
            publish(events);
        }
    }

    @Override
    public void gone(String mechanism, long session, String endpoint) {
        synchronized (eventLock) {
            List<PeerDirectory.Event> events = new ArrayList<>();
            synchronized (lock) {
                if (!started || session != sessionOf(mechanism)) {
                    return;
                }
                directory.gone(mechanism, endpoint, events);
                if (!events.isEmpty()) {
                    reconcileConnectors();
                }
            }
            publish(events);
        }
    }

    private long sessionOf(String mechanism) {
        return mechanism.equals(MDNS) ? mdnsSession : multicastSession;
    }

    /** Re-selects the interfaces and restarts discovery where they changed; runs on the timer. */
    private void refreshDiscovery() {
        List<Runnable> after = new ArrayList<>();
        try {
            synchronized (eventLock) {
                List<PeerDirectory.Event> events = new ArrayList<>();
                synchronized (lock) {
                    if (!started) {
                        return;
                    }
                    applyDiscovery(events, after);
                }
                publish(events);
            }
            runAll(after);
        } catch (RuntimeException e) {
            DittoLogger.errorf("lan transport: refreshing discovery failed: %s", e);
        }
    }

    /**
     * Brings both mechanisms in line with the settings, the listener and the interfaces: a
     * mechanism whose plan changed loses what it saw (events) and is replaced by a new instance
     * with a new session. Holding {@code lock}; blocking work (stopping the old multicast
     * instance, opening the new one's sockets) goes to {@code after}, run once the locks are
     * released; jmdns work is queued on the mDNS worker.
     */
    private void applyDiscovery(List<PeerDirectory.Event> events, List<Runnable> after) {
        List<DiscoveryInterface> interfaces = settings.discovery() ? discoveryInterfaces() : List.of();
        Announcement local = interfaces.isEmpty() ? null : localAnnouncement();
        DiscoveryScope scope = new DiscoveryScope(databaseHash, settings.syncGroup(), localPeerKey);
        DiscoveryPlan wantMulticast = settings.multicast() && !interfaces.isEmpty()
                ? new DiscoveryPlan(interfaces, scope, local) : null;
        DiscoveryPlan wantMdns = settings.mdns() && !interfaces.isEmpty() ? new DiscoveryPlan(interfaces, scope, local) : null;
        if (!Objects.equals(wantMulticast, multicastPlan)) {
            directory.goneAll(MULTICAST, events);
            MulticastDiscovery old = multicast;
            multicastPlan = wantMulticast;
            multicastSession = ++sessions;
            multicast = wantMulticast == null ? null
                    : new MulticastDiscovery(options, interfaces, scope, local, this, multicastSession, timer);
            MulticastDiscovery next = multicast;
            after.add(() -> {
                if (old != null) {
                    old.stop();
                }
                if (next != null) {
                    next.start();
                }
            });
        }
        if (!Objects.equals(wantMdns, mdnsPlan)) {
            directory.goneAll(MDNS, events);
            mdnsPlan = wantMdns;
            mdnsSession = ++sessions;
            if (mdns == null && wantMdns != null) {
                mdns = new MdnsDiscovery(options, this);
            }
            if (mdns != null) {
                mdns.apply(wantMdns == null ? null : new MdnsDiscovery.Plan(mdnsSession, interfaces, scope, local));
            }
        }
        reconcileConnectors();
    }

    private List<DiscoveryInterface> discoveryInterfaces() {
        List<DiscoveryInterface> interfaces;
        try {
            interfaces = DiscoveryInterface.select(settings.listenAddress());
        } catch (SocketException | RuntimeException e) {
            warnOnce("discovery|interfaces", "lan transport: peer discovery cannot list the network interfaces: "
                    + e.getMessage());
            return List.of();
        }
        if (interfaces.isEmpty()) {
            warnOnce("discovery|interfaces", "lan transport: peer discovery has no IPv4 network interface to run on"
                    + (settings.listenAddress() == null ? "" : " for listen.tcp.interface_ip " + settings.listenText()
                            + " (discovery is IPv4 only)"));
        } else {
            warned.remove("discovery|interfaces");
        }
        return interfaces;
    }

    /** What this peer announces, or null when it cannot be reached (no listener) or named. */
    private Announcement localAnnouncement() {
        if (serverSocket == null) {
            return null;
        }
        int keyBytes = Announcement.utf8Length(localPeerKey);
        if (keyBytes == 0 || keyBytes > Announcement.MAX_PEER_KEY_BYTES) {
            warnOnce("discovery|key", "lan transport: not announcing this peer: its key has " + keyBytes
                    + " UTF-8 bytes, announcements carry 1 to " + Announcement.MAX_PEER_KEY_BYTES);
            return null;
        }
        return new Announcement(databaseHash, settings.syncGroup(), localPeerKey,
                Announcement.truncateDeviceName(deviceName), serverSocket.getLocalPort());
    }

    /**
     * Keeps one connector per discovered peer this peer should connect to (see
     * {@link PeerDirectory#shouldConnect}), releases the others. Holding {@code lock}.
     */
    private void reconcileConnectors() {
        boolean announcing = (multicastPlan != null && multicastPlan.announcement() != null)
                || (mdnsPlan != null && mdnsPlan.announcement() != null);
        Map<String, List<String>> targets = directory.connectTargets(localPeerKey, announcing);
        for (Connector connector : discoveredConnectors.values()) {
            if (!targets.containsKey(connector.peerKey())) {
                connector.release();
            }
        }
        for (Map.Entry<String, List<String>> target : targets.entrySet()) {
            Connector existing = discoveredConnectors.get(target.getKey());
            if (existing != null && existing.revive()) {
                if (target.getValue().contains(existing.server().text()) || existing.state() == LinkState.CONNECTED) {
                    continue;
                }
                // its endpoint is gone and it holds no link: aim at where the peer is now
                existing.stop();
            }
            Connector connector = new Connector(this, endpointServer(target.getValue().get(0)), target.getKey(),
                    settings.retryInterval(), generation);
            discoveredConnectors.put(target.getKey(), connector);
            connector.start();
        }
    }

    private static LanSettings.Server endpointServer(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return new LanSettings.Server(endpoint, endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }

    /** Tells the engine what discovery found or lost; holding {@code eventLock}, not {@code lock}. */
    private void publish(List<PeerDirectory.Event> events) {
        for (PeerDirectory.Event event : events) {
            try {
                if (event instanceof PeerDirectory.Found found) {
                    DiscoveredPeer peer = found.peer();
                    DittoLogger.infof("lan transport: discovered peer %s at %s by %s", peer.peerKey().orElse("?"),
                            peer.endpoint(), peer.mechanism());
                    listener.onPeerDiscovered(peer);
                } else if (event instanceof PeerDirectory.Lost lost) {
                    DittoLogger.infof("lan transport: lost peer at %s", lost.endpoint());
                    listener.onPeerLost(lost.endpoint());
                }
            } catch (Throwable t) {
                DittoLogger.errorf("lan transport: the engine failed to take discovery event %s: %s", event, t);
            }
        }
    }

    private static void runAll(List<Runnable> actions) {
        for (Runnable action : actions) {
            action.run();
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
