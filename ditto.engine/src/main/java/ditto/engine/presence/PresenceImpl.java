package ditto.engine.presence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.tinylog.Logger;

import ditto.api.Address;
import ditto.api.Connection;
import ditto.api.ConnectionRequestHandler;
import ditto.api.ConnectionType;
import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.Peer;
import ditto.api.PeerOS;
import ditto.api.Presence;
import ditto.api.PresenceGraph;
import ditto.api.PresenceObserver;
import ditto.engine.sync.SyncEngine;
import ditto.engine.wire.Message;

/**
 * The application's {@link Presence}: turns the sync engine's presence records into
 * {@link PresenceGraph}s, delivers them to observers, holds this peer's metadata and the
 * connection request handler.
 *
 * <pre>
 *  engine executor ── PresenceSnapshot ─▶ onSnapshot: build graph ─ changed? ─▶ every observer's queue
 *  API threads ────── setPeerMetadata ──▶ engine.setPresenceInfo (new record version) ─┘
 *                                                 observer queues drain on the callback executor,
 *                                                 one task at a time per observer
 * </pre>
 *
 * <p>Invariants: {@link #current} only moves forward under {@link #lock}, and every graph is
 * queued to every observer in the order it became current, so an observer sees the graph at
 * registration and then each change, never an older one after a newer one. The graph contains
 * only peers reachable from this one; a connection appears when both ends announce it.
 */
public final class PresenceImpl implements Presence {

    private final SyncEngine engine;
    private final Supplier<SyncEngine.LocalPeer> localPeer;
    private final Runnable checkOpen;
    private final Executor callbacks;
    private final ConnectionRequests requests;
    private final Object lock = new Object();
    private final List<Observer> observers = new CopyOnWriteArrayList<>();

    private volatile byte[] peerMetadataJson = MetadataJson.EMPTY_OBJECT;
    private volatile Map<String, Object> peerMetadata = Map.of();
    /** Identity service metadata: what the server's identity provider returned at login. */
    private volatile byte[] identityMetadataJson = MetadataJson.EMPTY_OBJECT;
    private volatile SyncEngine.PresenceSnapshot snapshot;
    private PresenceGraph current;

    /**
     * Wires presence to an engine; replaces the engine's presence listener and info.
     *
     * @param engine the instance's sync engine
     * @param localPeer who this peer is (key and device name) while sync is stopped
     * @param checkOpen throws {@code CLOSED} once the instance is closed
     * @param callbacks where observers and connection request handlers are called
     * @param requests decides incoming sessions with the application's handler
     */
    public PresenceImpl(SyncEngine engine, Supplier<SyncEngine.LocalPeer> localPeer, Runnable checkOpen,
            Executor callbacks, ConnectionRequests requests) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.localPeer = Objects.requireNonNull(localPeer, "localPeer");
        this.checkOpen = Objects.requireNonNull(checkOpen, "checkOpen");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.requests = Objects.requireNonNull(requests, "requests");
        engine.setPresenceInfo(info());
        engine.setPresenceListener(this::onSnapshot);
    }

    @Override
    public Map<String, Object> peerMetadata() {
        checkOpen.run();
        return peerMetadata;
    }

    @Override
    public byte[] peerMetadataJsonData() {
        checkOpen.run();
        return peerMetadataJson.clone();
    }

    @Override
    public void setPeerMetadata(Map<String, Object> metadata) {
        checkOpen.run();
        byte[] json = MetadataJson.write(metadata, MAX_PEER_METADATA_BYTES, MAX_PEER_METADATA_DEPTH,
                "presence.setPeerMetadata (limits MAX_PEER_METADATA_BYTES, MAX_PEER_METADATA_DEPTH)");
        apply(json, MetadataJson.parse(json, MAX_PEER_METADATA_BYTES, MAX_PEER_METADATA_DEPTH, "presence.setPeerMetadata"));
    }

    @Override
    public void setPeerMetadataJsonData(byte[] jsonData) {
        checkOpen.run();
        byte[] json = jsonData == null ? null : jsonData.clone();
        apply(json, MetadataJson.parse(json, MAX_PEER_METADATA_BYTES, MAX_PEER_METADATA_DEPTH,
                "presence.setPeerMetadataJsonData (limits MAX_PEER_METADATA_BYTES, MAX_PEER_METADATA_DEPTH)"));
    }

    @Override
    public PresenceGraph graph() {
        checkOpen.run();
        synchronized (lock) {
            if (current == null || !engine.isActive()) {
                // While stopped the graph is rebuilt here (device name, metadata); observers hear of a change.
                publish(build());
            }
            return current;
        }
    }

    @Override
    public PresenceObserver observe(Consumer<PresenceGraph> observer) {
        checkOpen.run();
        Objects.requireNonNull(observer, "observer");
        Observer o = new Observer(observer);
        synchronized (lock) {
            if (current == null || !engine.isActive()) {
                publish(build());
            }
            observers.add(o);
            o.offer(current);
        }
        return o;
    }

    @Override
    public void setConnectionRequestHandler(ConnectionRequestHandler handler) {
        checkOpen.run();
        requests.setHandler(handler);
        engine.setConnectionAuthorizer(handler == null ? null : requests);
    }

    /** Stops every observer (the instance is closing). */
    public void close() {
        for (Observer o : observers) {
            o.stop();
        }
        engine.setPresenceListener(null);
        engine.setConnectionAuthorizer(null);
    }

    /**
     * Sets the identity service metadata this peer announces (from its login); called by the
     * authenticator after each login and logout.
     *
     * @param metadata the provider's identity metadata, empty for none
     */
    public void setIdentityMetadata(Map<String, Object> metadata) {
        byte[] json;
        try {
            json = metadata.isEmpty() ? MetadataJson.EMPTY_OBJECT : MetadataJson.write(metadata,
                    MAX_PEER_METADATA_BYTES, MAX_PEER_METADATA_DEPTH, "identity metadata");
        } catch (DittoException e) {
            org.tinylog.Logger.warn("presence: the identity metadata from the login is not announced: {}",
                    e.getMessage());
            json = MetadataJson.EMPTY_OBJECT;
        }
        if (java.util.Arrays.equals(json, identityMetadataJson)) {
            return;
        }
        identityMetadataJson = json;
        engine.setPresenceInfo(info());
        refreshOffline();
    }

    // ---- internals ------------------------------------------------------------------------------

    private void apply(byte[] json, Map<String, Object> parsed) {
        peerMetadataJson = json;
        peerMetadata = parsed;
        engine.setPresenceInfo(info());
        refreshOffline();
    }

    /** While sync is stopped the engine reports nothing: the local-only graph changes here. */
    private void refreshOffline() {
        if (!engine.isActive()) {
            publish(build());
        }
    }

    private SyncEngine.PresenceInfo info() {
        return new SyncEngine.PresenceInfo(PeerOS.current().wireName(), Ditto.version(), peerMetadataJson,
                identityMetadataJson);
    }

    private void onSnapshot(SyncEngine.PresenceSnapshot s) {
        snapshot = s;
        publish(build());
    }

    private void publish(PresenceGraph graph) {
        synchronized (lock) {
            if (graph.equals(current)) {
                return;
            }
            current = graph;
            for (Observer o : observers) {
                o.offer(graph);
            }
        }
    }

    private PresenceGraph build() {
        SyncEngine.PresenceSnapshot s = snapshot;
        if (s == null || !engine.isActive()) {
            SyncEngine.LocalPeer me = localPeer.get();
            return PresenceGraph.of(new Peer(Address.UNKNOWN, me.peerKey(), List.of(), me.deviceName(), PeerOS.current(),
                    false, true, Ditto.version(), peerMetadata, decodeOrEmpty(identityMetadataJson, me.peerKey())),
                    List.of());
        }
        return graphOf(s);
    }

    /**
     * Builds the API graph of a snapshot: a connection for every edge both ends announce with the
     * same type; metadata a peer sent that is not a valid JSON object shows as empty.
     *
     * @param s the engine's snapshot
     * @return the graph
     */
    static PresenceGraph graphOf(SyncEngine.PresenceSnapshot s) {
        List<Message.Presence> all = new ArrayList<>(s.remotes().size() + 1);
        all.add(s.local());
        all.addAll(s.remotes());
        Map<String, Message.Presence> byKey = new LinkedHashMap<>();
        for (Message.Presence p : all) {
            byKey.put(p.peerKey(), p);
        }
        Map<String, List<Connection>> connections = new LinkedHashMap<>();
        for (Message.Presence p : all) {
            connections.put(p.peerKey(), new ArrayList<>());
        }
        for (Message.Presence p : all) {
            for (Message.PresenceLink l : p.connections()) {
                Message.Presence other = byKey.get(l.peerKey());
                if (other == null || p.peerKey().compareTo(l.peerKey()) >= 0 || !other.connections().contains(
                        new Message.PresenceLink(p.peerKey(), l.connectionType()))) {
                    continue;
                }
                ConnectionType type;
                try {
                    type = ConnectionType.fromWire(l.connectionType());
                } catch (DittoException e) {
                    continue;
                }
                Connection c = Connection.between(p.peerKey(), l.peerKey(), type);
                addOnce(connections.get(p.peerKey()), c);
                addOnce(connections.get(l.peerKey()), c);
            }
        }
        Peer local = peerOf(s.local(), connections.get(s.local().peerKey()));
        List<Peer> remotes = new ArrayList<>(s.remotes().size());
        for (Message.Presence p : s.remotes()) {
            remotes.add(peerOf(p, connections.get(p.peerKey())));
        }
        return PresenceGraph.of(local, remotes);
    }

    private static void addOnce(List<Connection> list, Connection c) {
        if (!list.contains(c)) {
            list.add(c);
        }
    }

    private static Peer peerOf(Message.Presence p, List<Connection> connections) {
        return new Peer(Address.UNKNOWN, p.peerKey(), connections, p.deviceName(), PeerOS.fromWire(p.os()), false,
                p.protocolVersion() >= 1, p.sdkVersion(), decodeOrEmpty(p.peerMetadata(), p.peerKey()),
                decodeOrEmpty(p.identityMetadata(), p.peerKey()));
    }

    static Map<String, Object> decodeOrEmpty(byte[] json, String peerKey) {
        try {
            return MetadataJson.parse(json, MAX_PEER_METADATA_BYTES, MAX_PEER_METADATA_DEPTH, "metadata of " + peerKey);
        } catch (DittoException e) {
            Logger.debug("presence: ignoring invalid metadata of peer {}: {}", peerKey, e.getMessage());
            return Map.of();
        }
    }

    /** One observer: its graphs queue up and drain one at a time on the callback executor. */
    private final class Observer implements PresenceObserver {
        private final Consumer<PresenceGraph> consumer;
        private final Queue<PresenceGraph> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private volatile boolean stopped;

        Observer(Consumer<PresenceGraph> consumer) {
            this.consumer = consumer;
        }

        void offer(PresenceGraph graph) {
            if (stopped) {
                return;
            }
            queue.add(graph);
            schedule();
        }

        private void schedule() {
            if (draining.compareAndSet(false, true)) {
                callbacks.execute(this::drain);
            }
        }

        private void drain() {
            try {
                PresenceGraph g;
                while (!stopped && (g = queue.poll()) != null) {
                    try {
                        consumer.accept(g);
                    } catch (Throwable t) {
                        Logger.error(t, "presence: an observer failed");
                    }
                }
            } finally {
                draining.set(false);
            }
            if (!stopped && !queue.isEmpty()) {
                schedule();
            }
        }

        @Override
        public void stop() {
            stopped = true;
            queue.clear();
            observers.remove(this);
        }

        @Override
        public boolean isStopped() {
            return stopped;
        }
    }
}
