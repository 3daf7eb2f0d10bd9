package ditto.transport.lan;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ditto.api.DittoException;
import ditto.api.DittoLogger;

/**
 * UDP multicast discovery on a fixed set of interfaces: announces this peer every
 * {@link DiscoveryOptions#announceInterval()} and reports the peers whose announcements it
 * receives, forgetting those silent for {@link DiscoveryOptions#expiry()}.
 *
 * <p>Role and invariants:
 * <pre>
 *  timer --announce--> one send socket per interface (bound to its address, TTL 1, loop on)
 *  group:port --receive thread--> accept(): on-link? decode? in scope? --> sink.seen / sink.gone
 *  timer --expire--> sink.gone for endpoints silent too long
 * </pre>
 * One instance serves one configuration; the transport replaces it (with a new session) when
 * the configuration or the interfaces change. {@link #start()} and {@link #stop()} are
 * synchronized and a stopped instance never starts, so a start racing a stop cannot leak a
 * socket. Datagrams are untrusted: the receive loop counts and drops anything that is not a
 * valid announcement ({@link #garbageCount()}), drops datagrams from addresses that are not on
 * a selected interface's network, and never lets an exception end the loop; only closing the
 * socket does.
 */
final class MulticastDiscovery {
    /** What {@link #accept} did with a datagram. */
    enum Outcome {
        /** A valid announcement of a peer in scope, reported to the sink. */
        ANNOUNCED,
        /** A valid goodbye of a peer in scope, reported as gone. */
        GOODBYE,
        /** This peer's own datagram, looped back. */
        SELF,
        /** A valid datagram of another database or sync group. */
        FOREIGN,
        /** A datagram from an address outside the selected interfaces' networks. */
        OFF_LINK,
        /** Not a valid discovery datagram. */
        GARBAGE
    }

    private record Sender(DiscoveryInterface iface, MulticastSocket socket) {
    }

    private final DiscoveryOptions options;
    private final List<DiscoveryInterface> interfaces;
    private final DiscoveryScope scope;
    private final Announcement announcement;
    private final DiscoverySink sink;
    private final long session;
    private final ScheduledExecutorService timer;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final AtomicLong garbage = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final Set<String> warned = Collections.synchronizedSet(new HashSet<>());

    private boolean started;
    private boolean stopped;
    private volatile boolean closed;
    private MulticastSocket receiver;
    private volatile List<Sender> senders = List.of();
    private Thread receiveThread;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    /**
     * Creates a stopped instance.
     *
     * @param options group, port and period
     * @param interfaces where to announce and listen; not empty
     * @param scope which announcements concern this peer
     * @param announcement what to announce, or null to listen only
     * @param sink where to report peers
     * @param session the session number to report with
     * @param timer the transport's timer, for announcing and expiring
     */
    MulticastDiscovery(DiscoveryOptions options, List<DiscoveryInterface> interfaces, DiscoveryScope scope,
            Announcement announcement, DiscoverySink sink, long session, ScheduledExecutorService timer) {
        this.options = options;
        this.interfaces = List.copyOf(interfaces);
        this.scope = scope;
        this.announcement = announcement;
        this.sink = sink;
        this.session = session;
        this.timer = timer;
    }

    /** Opens the sockets and starts announcing and receiving; failures are logged, not thrown. */
    synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        openReceiver();
        if (announcement != null) {
            openSenders();
        }
        if (receiver != null) {
            MulticastSocket socket = receiver;
            receiveThread = new Thread(() -> receiveLoop(socket), "ditto-lan-multicast-rx");
            receiveThread.setDaemon(true);
            receiveThread.start();
        }
        long period = options.announceInterval().toMillis();
        try {
            if (!senders.isEmpty()) {
                byte[] datagram = MulticastCodec.encode(announcement, false);
                tasks.add(timer.scheduleAtFixedRate(() -> sendAll(datagram), 0, period, TimeUnit.MILLISECONDS));
            }
            tasks.add(timer.scheduleAtFixedRate(this::expire, period / 2, Math.max(1, period / 2), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            DittoLogger.debugf("lan multicast discovery: the transport's timer is shut down: %s", e);
        }
        DittoLogger.infof("lan transport: multicast discovery on %s:%d via %s%s", options.multicastGroup().getHostAddress(),
                options.multicastPort(), interfaces, announcement == null ? " (listening only: no TCP listener to announce)" : "");
    }

    /**
     * Stops announcing and receiving: sends a goodbye if it announced, closes every socket and
     * waits up to one second for the receive thread. Idempotent.
     */
    void stop() {
        List<Sender> closing;
        MulticastSocket closingReceiver;
        Thread thread;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            closed = true;
            for (ScheduledFuture<?> task : tasks) {
                task.cancel(false);
            }
            tasks.clear();
            closing = senders;
            senders = List.of();
            closingReceiver = receiver;
            receiver = null;
            thread = receiveThread;
        }
        if (announcement != null && !closing.isEmpty()) {
            byte[] goodbye = MulticastCodec.encode(announcement, true);
            for (Sender sender : closing) {
                send(sender, goodbye);
            }
        }
        for (Sender sender : closing) {
            sender.socket().close();
        }
        if (closingReceiver != null) {
            closingReceiver.close();
        }
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lastSeen.clear();
    }

    /** Returns how many received datagrams were not valid discovery datagrams. */
    long garbageCount() {
        return garbage.get();
    }

    /** Returns how many valid datagrams were ignored as foreign (other database or group) or off-link. */
    long ignoredCount() {
        return ignored.get();
    }

    /**
     * Handles one received datagram: validates it and reports what it announces. Never throws.
     *
     * @param source the sender's address
     * @param data the receive buffer
     * @param offset where the datagram starts
     * @param length its length; longer than {@link MulticastCodec#MAX_DATAGRAM_BYTES} is garbage
     * @return what was done with it
     */
    Outcome accept(InetAddress source, byte[] data, int offset, int length) {
        MulticastCodec.Datagram datagram;
        try {
            datagram = MulticastCodec.decode(data, offset, length);
        } catch (DittoException | IllegalArgumentException e) {
            long n = garbage.incrementAndGet();
            if (n <= 10 || n % 1000 == 0) {
                DittoLogger.debugf("lan multicast discovery: dropped datagram #%d from %s: %s", n,
                        source == null ? "?" : source.getHostAddress(), e.getMessage());
            }
            return Outcome.GARBAGE;
        }
        Announcement remote = datagram.announcement();
        switch (scope.classify(remote)) {
            case SELF:
                return Outcome.SELF;
            case FOREIGN:
                ignored.incrementAndGet();
                return Outcome.FOREIGN;
            default:
                break;
        }
        if (interfaces.stream().noneMatch(i -> i.isOnLink(source))) {
            ignored.incrementAndGet();
            return Outcome.OFF_LINK;
        }
        String endpoint = source.getHostAddress() + ":" + remote.tcpPort();
        if (datagram.goodbye()) {
            if (lastSeen.remove(endpoint) != null) {
                sink.gone(DiscoverySink.MULTICAST, session, endpoint);
            }
            return Outcome.GOODBYE;
        }
        lastSeen.put(endpoint, System.nanoTime());
        sink.seen(DiscoverySink.MULTICAST, session, endpoint, remote);
        return Outcome.ANNOUNCED;
    }

    /** Forgets the endpoints silent for longer than the expiry; runs on the timer. */
    void expire() {
        long limit = options.expiry().toNanos();
        long now = System.nanoTime();
        for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
            if (now - e.getValue() > limit && lastSeen.remove(e.getKey(), e.getValue())) {
                DittoLogger.debugf("lan multicast discovery: %s stopped announcing", e.getKey());
                sink.gone(DiscoverySink.MULTICAST, session, e.getKey());
            }
        }
    }

    private void openReceiver() {
        MulticastSocket socket = null;
        try {
            socket = new MulticastSocket(null);
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(options.multicastPort()));
        } catch (IOException | SecurityException e) {
            if (socket != null) {
                socket.close();
            }
            warnOnce("bind", "lan transport: multicast discovery cannot receive on UDP port " + options.multicastPort()
                    + ": " + e.getMessage());
            return;
        }
        InetSocketAddress group = new InetSocketAddress(options.multicastGroup(), options.multicastPort());
        int joined = 0;
        for (DiscoveryInterface iface : interfaces) {
            try {
                NetworkInterface nif = iface.networkInterface();
                if (nif == null) {
                    throw new IOException("the interface is gone");
                }
                socket.joinGroup(group, nif);
                joined++;
            } catch (IOException | SecurityException e) {
                warnOnce("join " + iface, "lan transport: multicast discovery cannot join "
                        + options.multicastGroup().getHostAddress() + " on " + iface + ": " + e.getMessage());
            }
        }
        if (joined == 0) {
            socket.close();
            return;
        }
        receiver = socket;
    }

    private void openSenders() {
        List<Sender> opened = new ArrayList<>();
        for (DiscoveryInterface iface : interfaces) {
            MulticastSocket socket = null;
            try {
                socket = new MulticastSocket(new InetSocketAddress(iface.address(), 0));
                NetworkInterface nif = iface.networkInterface();
                if (nif == null) {
                    throw new IOException("the interface is gone");
                }
                socket.setNetworkInterface(nif);
                socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                socket.setTimeToLive(1);
                opened.add(new Sender(iface, socket));
            } catch (IOException | SecurityException e) {
                if (socket != null) {
                    socket.close();
                }
                warnOnce("send " + iface, "lan transport: multicast discovery cannot announce on " + iface + ": "
                        + e.getMessage());
            }
        }
        senders = List.copyOf(opened);
    }

    private void sendAll(byte[] datagram) {
        for (Sender sender : senders) {
            send(sender, datagram);
        }
    }

    private void send(Sender sender, byte[] datagram) {
        try {
            sender.socket().send(new DatagramPacket(datagram, datagram.length, options.multicastGroup(),
                    options.multicastPort()));
            warned.remove("sending " + sender.iface());
        } catch (IOException | RuntimeException e) {
            if (!sender.socket().isClosed()) {
                warnOnce("sending " + sender.iface(), "lan transport: multicast announcement on " + sender.iface()
                        + " failed: " + e.getMessage());
            }
        }
    }

    private void receiveLoop(MulticastSocket socket) {
        // one byte more than the longest valid datagram, so that a longer one shows as too long
        byte[] buffer = new byte[MulticastCodec.MAX_DATAGRAM_BYTES + 1];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (closed || socket.isClosed()) {
                    return;
                }
                DittoLogger.debugf("lan multicast discovery: receive failed: %s", e);
                LanTransport.sleepQuietly(100);
                continue;
            }
            try {
                accept(packet.getAddress(), packet.getData(), packet.getOffset(), packet.getLength());
            } catch (RuntimeException e) {
                DittoLogger.errorf("lan multicast discovery: handling a datagram from %s failed: %s",
                        packet.getAddress(), e);
            }
        }
    }

    private void warnOnce(String key, String message) {
        if (warned.add(key)) {
            DittoLogger.warning(message);
        } else {
            DittoLogger.debug(message);
        }
    }
}
