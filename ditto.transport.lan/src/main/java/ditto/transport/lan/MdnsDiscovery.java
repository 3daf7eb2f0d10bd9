package ditto.transport.lan;

import java.io.IOException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import ditto.api.DittoException;
import ditto.api.DittoLogger;

/**
 * mDNS/DNS-SD discovery with jmdns: one {@link JmDNS} per selected interface address, each
 * registering this peer's service (when it announces) and browsing the service type.
 *
 * <p>Role and invariants:
 * <pre>
 *  transport --apply(plan)--> [worker thread: close old JmDNS instances in parallel, then
 *                              create + addServiceListener + registerService for the plan]
 *  jmdns threads --serviceResolved/Removed--> Browser --> sink.seen / sink.gone (with the plan's session)
 * </pre>
 * All jmdns calls that can block (create, register, close) run on the single worker thread,
 * never on the caller's: {@code JmDNS.close()} sends goodbyes and waits for them (about 2 s,
 * at most about 5 s inside jmdns), and a new instance must not probe while the old one still
 * answers for the same service name. Plans apply in order; a plan overtaken by a newer one is
 * skipped. {@link #beginShutdown()} and {@link #awaitShutdown(long)} close everything and waits for the worker, so no socket or
 * jmdns thread outlives the transport's {@code stop()} unless jmdns hangs past the bound.
 *
 * <p>jmdns facts this relies on (3.6.x): {@code serviceResolved} may fire several times for one
 * service, the first time often without its TXT record, and sometimes without a preceding
 * {@code serviceAdded}; {@code serviceRemoved} carries no properties, so the endpoint of each
 * resolved service is remembered by name; {@code requestServiceInfo} blocks despite being
 * documented as asynchronous, so it is not called (jmdns resolves services it browses by itself).
 */
final class MdnsDiscovery {
    /** How long closing the jmdns instances may take before the worker gives up waiting. */
    static final long CLOSE_TIMEOUT_MS = 6_000;

    /**
     * What to run.
     *
     * @param session the session to report with
     * @param interfaces one jmdns instance per entry
     * @param scope which services concern this peer
     * @param announcement what to register, or null to browse only
     */
    record Plan(long session, List<DiscoveryInterface> interfaces, DiscoveryScope scope, Announcement announcement) {
    }

    private record Running(JmDNS jmdns, Browser browser) {
    }

    private final DiscoveryOptions options;
    private final DiscoverySink sink;
    private final ExecutorService worker;
    private final AtomicLong garbage = new AtomicLong();
    private final List<Running> running = new ArrayList<>();
    private volatile Plan latest;

    MdnsDiscovery(DiscoveryOptions options, DiscoverySink sink) {
        this.options = options;
        this.sink = sink;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ditto-lan-mdns");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Replaces what runs with {@code plan}, asynchronously; returns at once.
     *
     * @param plan the plan, or null to stop every jmdns instance
     */
    void apply(Plan plan) {
        latest = plan;
        try {
            worker.execute(() -> run(plan));
        } catch (RejectedExecutionException e) {
            DittoLogger.debugf("lan mDNS discovery: already shut down, plan ignored");
        }
    }

    /** Starts closing every jmdns instance and ending the worker; returns at once. */
    void beginShutdown() {
        apply(null);
        worker.shutdown();
    }

    /**
     * Waits until every jmdns instance is closed and the worker ended, at most
     * {@code timeoutMillis}; call after {@link #beginShutdown()}.
     *
     * @param timeoutMillis how long to wait
     * @return true if everything was released in time
     */
    boolean awaitShutdown(long timeoutMillis) {
        try {
            if (worker.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DittoLogger.warningf("lan transport: jmdns did not close within %d ms; its threads end when it does", timeoutMillis);
        return false;
    }

    /** Returns how many resolved services had a malformed TXT record. */
    long garbageCount() {
        return garbage.get();
    }

    // ------------------------------------------------------------ worker thread

    private void run(Plan plan) {
        closeRunning();
        if (plan == null || plan != latest) {
            return;
        }
        for (DiscoveryInterface iface : plan.interfaces()) {
            if (plan != latest) {
                return;
            }
            open(plan, iface);
        }
    }

    private void open(Plan plan, DiscoveryInterface iface) {
        Inet4Address address = iface.address();
        String peer = Announcement.hashHex(Announcement.peerHash(plan.scope().localPeerKey()));
        String host = "ditto-" + peer.substring(0, 8) + "-" + address.getHostAddress().replace('.', '-');
        JmDNS jmdns;
        try {
            jmdns = JmDNS.create(address, host);
        } catch (IOException | RuntimeException e) {
            DittoLogger.warningf("lan transport: mDNS discovery cannot start on %s: %s", iface, e.getMessage());
            return;
        }
        Browser browser = new Browser(plan, iface);
        running.add(new Running(jmdns, browser));
        try {
            jmdns.addServiceListener(options.mdnsServiceType(), browser);
            if (plan.announcement() != null) {
                String instance = "ditto-" + Announcement.hashHex(plan.announcement().databaseHash()).substring(0, 8)
                        + "-" + peer;
                jmdns.registerService(ServiceInfo.create(options.mdnsServiceType(), instance,
                        plan.announcement().tcpPort(), 0, 0, TxtRecord.toProperties(plan.announcement())));
            }
            DittoLogger.infof("lan transport: mDNS discovery of %s on %s%s", options.mdnsServiceType(), iface,
                    plan.announcement() == null ? " (browsing only: no TCP listener to announce)" : "");
        } catch (IOException | RuntimeException e) {
            DittoLogger.warningf("lan transport: mDNS discovery on %s failed to register: %s", iface, e.getMessage());
        }
    }

    private void closeRunning() {
        if (running.isEmpty()) {
            return;
        }
        List<Thread> closers = new ArrayList<>();
        for (Running r : running) {
            r.browser().closed = true;
            Thread closer = new Thread(() -> {
                try {
                    r.jmdns().close();
                } catch (IOException | RuntimeException e) {
                    DittoLogger.debugf("lan mDNS discovery: closing jmdns failed: %s", e);
                }
            }, "ditto-lan-mdns-close");
            closer.setDaemon(true);
            closer.start();
            closers.add(closer);
        }
        running.clear();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_TIMEOUT_MS);
        for (Thread closer : closers) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                closer.join(Math.max(1, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Browses one jmdns instance and turns its events into sink reports.
     *
     * <p>Remembers the endpoint of each resolved service by instance name, because removal
     * events carry no addresses or properties. Only services with an IPv4 address on the
     * interface's network count: jmdns hears every interface through its wildcard socket.
     */
    private final class Browser implements ServiceListener {
        private final Plan plan;
        private final DiscoveryInterface iface;
        private final Map<String, String> endpoints = new ConcurrentHashMap<>();
        volatile boolean closed;

        Browser(Plan plan, DiscoveryInterface iface) {
            this.plan = plan;
            this.iface = iface;
        }

        @Override
        public void serviceAdded(ServiceEvent event) {
            // resolution follows by itself; see the class comment about requestServiceInfo
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            if (closed) {
                return;
            }
            try {
                resolved(event.getName(), event.getInfo());
            } catch (RuntimeException e) {
                DittoLogger.errorf("lan mDNS discovery: handling service %s failed: %s", event.getName(), e);
            }
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            if (closed) {
                return;
            }
            forget(event.getName());
        }

        private void resolved(String name, ServiceInfo info) {
            if (info == null || !info.getPropertyNames().hasMoreElements()) {
                return;
            }
            Announcement remote;
            try {
                remote = TxtRecord.fromProperties(info::getPropertyString, info.getPort());
            } catch (DittoException e) {
                long n = garbage.incrementAndGet();
                if (n <= 10 || n % 1000 == 0) {
                    DittoLogger.debugf("lan mDNS discovery: ignored service %s: %s", name, e.getMessage());
                }
                forget(name);
                return;
            }
            if (plan.scope().classify(remote) != DiscoveryScope.Verdict.ACCEPT) {
                forget(name);
                return;
            }
            Inet4Address address = null;
            for (Inet4Address candidate : info.getInet4Addresses()) {
                if (iface.isOnLink(candidate)) {
                    address = candidate;
                    break;
                }
            }
            if (address == null) {
                return;
            }
            String endpoint = address.getHostAddress() + ":" + remote.tcpPort();
            String previous = endpoints.put(name, endpoint);
            if (previous != null && !previous.equals(endpoint)) {
                goneIfUnused(previous);
            }
            sink.seen(DiscoverySink.MDNS, plan.session(), endpoint, remote);
        }

        private void forget(String name) {
            String endpoint = endpoints.remove(name);
            if (endpoint != null) {
                goneIfUnused(endpoint);
            }
        }

        private void goneIfUnused(String endpoint) {
            if (!endpoints.containsValue(endpoint)) {
                sink.gone(DiscoverySink.MDNS, plan.session(), endpoint);
            }
        }
    }
}
