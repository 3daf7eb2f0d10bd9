package ditto.engine.sync;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import org.tinylog.Logger;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.HttpRequest;
import ditto.api.spi.transport.HttpResponse;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.TransportListener;
import ditto.engine.crdt.ClockDriftException;
import ditto.engine.store.Replication;
import ditto.engine.store.ReplicationEvent;
import ditto.engine.store.StoreImpl;
import ditto.engine.wire.Message;

/**
 * The replication engine of one Ditto instance: the sessions over every link its transports
 * open, this peer's subscriptions as sent to peers, and the per-peer status that
 * {@code system:data_sync_info} shows.
 *
 * <pre>
 *  transport threads ── onLinkOpened ─▶ ChannelFactory (TLS) ─▶ onEstablished ─┐
 *                    ── onFrame / onClosed (counted inbound bytes) ───────────┤
 *  committing thread ── ReplicationEvent ──────────────────────────────────────┼─▶ runtime (one serial
 *  API threads ────── start / stop / subscriptions ────────────────────────────┤    executor): Sessions
 *  runtime timer ──── tick every second ───────────────────────────────────────┘
 * </pre>
 *
 * <p>Everything that touches sessions runs on the runtime's serial executor, so sessions need no
 * locks; other threads only enqueue. Inbound frames waiting for the executor are bounded per
 * link ({@link Options#maxInboundQueuedBytes()}); a peer that exceeds it is disconnected. The
 * only state read from other threads is {@link #status} (a concurrent map of immutable values),
 * {@link #stats()} (atomic counters) and {@link #isActive()} (volatile).
 *
 * <p>Invariants: a session is in {@link #sessions} from its creation until it closes; while
 * {@link #active} is false no session is created and links reported by transports are closed.
 * The engine also keeps this peer's presence record and a {@link PresenceTable} of every other
 * peer's newest one (executor-confined): its own record lists exactly the authorized sessions,
 * gets a higher version on every change and goes to every authorized session; newer records
 * received are relayed to the other authorized sessions ({@code docs/protocol.md} "Presence").
 */
public final class SyncEngine implements AutoCloseable {

    /**
     * Timings and bounds of the engine.
     *
     * @param tickMillis how often sessions are ticked (keep-alive, progress, lazy record writes)
     * @param pingIntervalMillis a session silent this long sends a ping
     * @param idleTimeoutMillis a session that heard nothing this long is closed (TIMEOUT)
     * @param window the most unacknowledged document batches per session
     * @param batchBytes the target size of a document batch, in bytes (also capped by the frame size)
     * @param maxDocumentsPerBatch the most documents in one batch
     * @param maxScannedPerRead the most change log entries one read considers
     * @param readsPerTurn change log reads per executor turn before yielding to other sessions
     * @param maxInboundQueuedBytes inbound bytes a link may have waiting for the executor
     */
    public record Options(long tickMillis, long pingIntervalMillis, long idleTimeoutMillis, int window, int batchBytes,
            int maxDocumentsPerBatch, int maxScannedPerRead, int readsPerTurn, long maxInboundQueuedBytes) {

        /** The production defaults: 1 s ticks, 10 s pings, 60 s idle timeout, 4 batches of 256 KiB. */
        public static final Options DEFAULTS = new Options(1_000, 10_000, 60_000, 4, 256 * 1024, 4096, 20_000, 4,
                32L << 20);
    }

    /**
     * Who this peer is on the wire, fixed for one start of sync.
     *
     * @param peerKey the peer key string
     * @param deviceName the device name
     */
    public record LocalPeer(String peerKey, String deviceName) {
        /** Checks the parts. */
        public LocalPeer {
            Objects.requireNonNull(peerKey, "peerKey");
            Objects.requireNonNull(deviceName, "deviceName");
        }
    }

    /**
     * One subscription of this peer, as the API registered it.
     *
     * @param query the SELECT text
     * @param arguments the normalized arguments
     * @param collection the collection it reads
     */
    public record Subscription(String query, Map<String, Object> arguments, String collection) {
    }

    /** The status of one remote peer as {@code system:data_sync_info} shows it. */
    /**
     * What this peer publishes about itself in the presence graph besides its key, device name
     * and connections (those come from {@link #start} and the sessions).
     *
     * @param os the {@link ditto.api.PeerOS#wireName()}
     * @param sdkVersion the SDK version
     * @param peerMetadata peer metadata as UTF-8 JSON (an object), ≤ 128 KiB
     * @param identityMetadata identity service metadata as UTF-8 JSON (an object), ≤ 128 KiB
     */
    public record PresenceInfo(String os, String sdkVersion, byte[] peerMetadata, byte[] identityMetadata) {
        /** The default: this platform, no metadata. */
        public static final PresenceInfo EMPTY = new PresenceInfo("", "", "{}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        /** Checks the parts. */
        public PresenceInfo {
            Objects.requireNonNull(os, "os");
            Objects.requireNonNull(sdkVersion, "sdkVersion");
            Objects.requireNonNull(peerMetadata, "peerMetadata");
            Objects.requireNonNull(identityMetadata, "identityMetadata");
        }
    }

    /**
     * The presence graph as this peer knows it while sync runs.
     *
     * @param local this peer's current record (its direct, authorized connections)
     * @param remotes the records of every other peer reachable from this one over edges both ends
     *        announce, in the order they were learned
     */
    public record PresenceSnapshot(Message.Presence local, List<Message.Presence> remotes) {
        /** Copies the list. */
        public PresenceSnapshot {
            Objects.requireNonNull(local, "local");
            remotes = List.copyOf(remotes);
        }
    }

    /**
     * Decides whether an incoming session may sync (the application's connection request
     * handler). Called on the engine's executor; must not block it: the decision may be
     * delivered later from any thread, exactly once.
     */
    public interface ConnectionAuthorizer {
        /**
         * Asks for a decision about a session whose hello and presence were received.
         *
         * @param presence the remote's own presence record (its key is the authenticated key)
         * @param decision takes true to allow the session, false to deny it
         */
        void authorize(Message.Presence presence, Consumer<Boolean> decision);
    }

    private record PeerStatus(long site, String peerKey, boolean isServer, boolean connected, long syncedUpTo,
            long lastUpdateReceived) {
    }

    private final Replication replication;
    private final String databaseId;
    private final SyncRuntime runtime;
    private final Options options;
    private final String owner;
    private final SyncStats stats = new SyncStats();
    private final AutoCloseable storeListener;
    private final Map<Long, PeerStatus> status = new ConcurrentHashMap<>();
    private final Map<String, RejectedWrites> rejectedWrites = new ConcurrentHashMap<>();
    private volatile boolean serverPeer;
    private volatile Function<HttpRequest, HttpResponse> httpHandler;

    /** Writes of one remote peer refused by its write permission, for {@code system:data_sync_info}. */
    private record RejectedWrites(long count, String last, long lastMillis) {
    }

    // executor-confined
    private final Set<Session> sessions = new LinkedHashSet<>();
    private final PresenceTable presenceTable = new PresenceTable();
    private Message.Presence localPresence;
    private long presenceVersion;
    private List<Subscription> subscriptions = List.of();
    private List<LocalQuery> localQueries = List.of();
    private SyncRuntime.Timer tick;
    private volatile long startGeneration;

    // written by API threads (under this), read anywhere
    private volatile boolean active;
    private volatile boolean closed;
    private volatile LocalPeer localPeer;
    private volatile PresenceInfo presenceInfo = PresenceInfo.EMPTY;
    private volatile Consumer<PresenceSnapshot> presenceListener;
    private volatile ConnectionAuthorizer authorizer;
    private LinkSource links;
    private final Object lifecycle = new Object();

    /**
     * Creates the engine of one store; it does nothing until {@link #start}.
     *
     * @param store the instance's store, open
     * @param databaseId the instance's database id
     * @param runtime the executor, clock and randomness to run on; closed by {@link #close()}
     * @param options timings and bounds
     * @param owner how log lines name the instance
     */
    public SyncEngine(StoreImpl store, String databaseId, SyncRuntime runtime, Options options, String owner) {
        this.replication = store.replication();
        this.databaseId = Objects.requireNonNull(databaseId, "databaseId");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.options = Objects.requireNonNull(options, "options");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.storeListener = store.addReplicationListener(event -> {
            if (active) {
                runtime.execute(() -> onLocalCommit(event));
            }
        });
    }

    // ---- control (any thread) --------------------------------------------------------------------

    /**
     * Starts sync: sessions are made on the links the transports report. Does nothing if active.
     *
     * @param me who this peer is on the wire for this start
     * @param channels how links become channels (TLS in production)
     * @param source the transports
     */
    public void start(LocalPeer me, ChannelFactory channels, LinkSource source) {
        Objects.requireNonNull(me, "me");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(source, "source");
        synchronized (lifecycle) {
            if (closed) {
                throw new DittoException(ErrorCode.CLOSED, "sync of " + owner + " is closed");
            }
            if (active) {
                return;
            }
            localPeer = me;
            links = source;
            active = true;
            long generation = ++startGeneration;
            runtime.execute(() -> {
                // Evictions committed while sync was stopped changed subscription keys.
                refreshLocalQueries(false);
                scheduleTick(generation);
                publishPresence();
            });
            source.start(me.peerKey(), new Listener(channels));
        }
        Logger.info("sync of {} started as peer {} ('{}')", owner, me.peerKey(), me.deviceName());
    }

    /** Stops sync: every session says goodbye and closes, then the transports stop. Idempotent. */
    public void stop() {
        LinkSource source;
        synchronized (lifecycle) {
            if (!active) {
                return;
            }
            active = false;
            source = links;
            links = null;
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            runtime.execute(() -> {
                closeAllSessions();
                done.countDown();
            });
            try {
                // Goodbyes leave before the transports close the links (an inline runtime is done already).
                done.await(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            source.stop();
        } catch (Throwable t) {
            Logger.error(t, "sync of {}: stopping the transports failed", owner);
        }
        Logger.info("sync of {} stopped", owner);
    }

    /** Tells whether sync is started. */
    public boolean isActive() {
        return active;
    }

    /**
     * Replaces this peer's subscriptions; connected peers are told at once.
     *
     * @param current every active subscription
     */
    public void setSubscriptions(List<Subscription> current) {
        List<Subscription> copy = List.copyOf(current);
        runtime.execute(() -> {
            subscriptions = copy;
            refreshLocalQueries(true);
        });
    }

    /**
     * Replaces what this peer publishes about itself; connected peers learn it at once (a new
     * version of this peer's record is sent and relayed). Any thread.
     *
     * @param info the new information, never null
     */
    public void setPresenceInfo(PresenceInfo info) {
        presenceInfo = Objects.requireNonNull(info, "info");
        if (active && !closed) {
            runtime.execute(this::publishPresence);
        }
    }

    /**
     * Sets who hears of presence changes: called on the executor with the new snapshot whenever
     * this peer's record or a reachable peer's record changes, and with the final snapshot (no
     * connections) when sync stops.
     *
     * @param listener the listener, or null for none
     */
    public void setPresenceListener(Consumer<PresenceSnapshot> listener) {
        presenceListener = listener;
    }

    /**
     * Sets the decision maker for incoming sessions: with one, a session syncs (and counts as a
     * connection) only after it allowed the remote; without one (the default) every session is
     * allowed. Affects sessions whose presence arrives afterwards.
     *
     * @param decider the decision maker, or null to allow every session
     */
    public void setConnectionAuthorizer(ConnectionAuthorizer decider) {
        authorizer = decider;
    }

    /** Stops sync and the runtime, and stops listening to the store. Idempotent. */
    @Override
    public void close() {
        stop();
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            storeListener.close();
        } catch (Exception e) {
            Logger.debug("sync of {}: removing the store listener failed: {}", owner, e.toString());
        }
        runtime.close();
    }

    /**
     * Forgets every session without a goodbye, as a crash would (simulation only): the engine is
     * unusable afterwards.
     */
    void abandon() {
        synchronized (lifecycle) {
            active = false;
            closed = true;
        }
        for (Session s : sessions) {
            s.abandon();
        }
        sessions.clear();
        if (tick != null) {
            tick.cancel();
        }
        try {
            storeListener.close();
        } catch (Exception e) {
            Logger.debug("sync of {}: removing the store listener failed: {}", owner, e.toString());
        }
    }

    /** Returns the engine's counters. */
    public SyncStats stats() {
        return stats;
    }

    /**
     * Returns the rows of {@code system:data_sync_info}: one per remote peer this store ever
     * synced with (by peer key; the most recently seen store of a key wins), with
     * {@code _id} (peer key), {@code is_ditto_server} and {@code documents}
     * ({@code sync_session_status}: Connected, Not Connected, or Disabled while sync is stopped;
     * {@code synced_up_to_local_commit_id}: the latest local commit id the peer acknowledged;
     * {@code last_update_received_time}: epoch milliseconds of the last batch received from it,
     * 0 if none). Thread-safe; reads the stored records.
     *
     * @return the rows, sorted by peer key
     */
    public List<Map<String, Object>> dataSyncInfo() {
        Map<String, PeerRecord> byKey = new LinkedHashMap<>();
        Map<String, Long> siteOf = new LinkedHashMap<>();
        SortedMap<Long, byte[]> records = replication.peerRecords();
        for (Map.Entry<Long, byte[]> e : records.entrySet()) {
            PeerRecord r = PeerRecord.decode(e.getValue(), Long.toHexString(e.getKey()));
            if (r.peerKey.isEmpty()) {
                continue;
            }
            PeerRecord known = byKey.get(r.peerKey);
            if (known == null || r.lastSeenMillis >= known.lastSeenMillis) {
                byKey.put(r.peerKey, r);
                siteOf.put(r.peerKey, e.getKey());
            }
        }
        Map<String, PeerStatus> live = new LinkedHashMap<>();
        for (PeerStatus s : status.values()) {
            PeerStatus known = live.get(s.peerKey());
            if (known == null || s.connected()) {
                live.put(s.peerKey(), s);
            }
        }
        Set<String> keys = new java.util.TreeSet<>(byKey.keySet());
        keys.addAll(live.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String key : keys) {
            PeerRecord r = byKey.get(key);
            PeerStatus s = live.get(key);
            boolean connected = s != null && s.connected();
            long synced = Math.max(r == null ? 0 : r.syncedUpTo, s == null ? 0 : s.syncedUpTo());
            long received = Math.max(r == null ? 0 : r.lastUpdateReceivedMillis, s == null ? 0 : s.lastUpdateReceived());
            Map<String, Object> documents = new LinkedHashMap<>();
            documents.put("sync_session_status", !active ? "Disabled" : connected ? "Connected" : "Not Connected");
            documents.put("synced_up_to_local_commit_id", synced);
            documents.put("last_update_received_time", received);
            RejectedWrites rejected = rejectedWrites.get(key);
            if (rejected != null) {
                documents.put("rejected_writes", rejected.count());
                documents.put("last_rejected_write", rejected.last());
                documents.put("last_rejected_write_time", rejected.lastMillis());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("_id", key);
            row.put("is_ditto_server", s != null ? s.isServer() : r != null && r.isServer);
            row.put("documents", Collections.unmodifiableMap(documents));
            rows.add(Collections.unmodifiableMap(row));
        }
        return Collections.unmodifiableList(rows);
    }

    // ---- for sessions (executor) ---------------------------------------------------------------

    Replication replication() {
        return replication;
    }

    SyncRuntime runtime() {
        return runtime;
    }

    Options options() {
        return options;
    }

    String databaseId() {
        return databaseId;
    }

    LocalPeer localPeer() {
        return localPeer;
    }

    List<LocalQuery> localQueries() {
        return localQueries;
    }

    /** Returns the sessions (executor only; tests). */
    List<Session> sessions() {
        return List.copyOf(sessions);
    }

    /** Tells whether every session is idle and nothing waits on the executor's side (tests, executor only). */
    boolean isIdle() {
        for (Session s : sessions) {
            if (!s.isIdle()) {
                return false;
            }
        }
        return true;
    }

    /** Describes the sessions, for test reports (executor only). */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Session s : sessions) {
            b.append("  ").append(s.describe()).append('\n');
        }
        return b.toString();
    }

    PeerRecord loadRecord(long site) {
        return replication.peerRecord(site).map(bytes -> PeerRecord.decode(bytes, Long.toHexString(site)))
                .orElseGet(PeerRecord::new);
    }

    ConnectionAuthorizer authorizer() {
        return authorizer;
    }

    /** Returns this peer's current presence record (built at start, replaced on every change). */
    Message.Presence localPresence() {
        if (localPresence == null) {
            localPresence = buildLocalPresence();
        }
        return localPresence;
    }

    /** A session was allowed: it is a connection now, and learns everything this peer knows. */
    void onSessionAuthorized(Session session) {
        publishPresence();
        for (Message.Presence p : presenceTable.records()) {
            session.sendPresence(p);
        }
    }

    /** A presence record arrived on an authorized session: keep it if newer, relay it, report. */
    void onPresence(Session from, Message.Presence record) {
        if (localPeer == null || !presenceTable.offer(localPeer.peerKey(), record)) {
            return;
        }
        // A failed send closes its session, which changes the set: iterate over a copy.
        for (Session s : List.copyOf(sessions)) {
            if (s != from && s.isAuthorized()) {
                s.sendPresence(record);
            }
        }
        notifyPresence();
    }

    /** Builds a new version of this peer's record, sends it to every authorized session, reports. */
    private void publishPresence() {
        if (!active || localPeer == null) {
            return;
        }
        presenceVersion = Math.max(presenceVersion + 1, runtime.nowMillis());
        Message.Presence mine = buildLocalPresence();
        localPresence = mine;
        for (Session s : List.copyOf(sessions)) {
            if (s.isAuthorized()) {
                s.sendPresence(mine);
            }
        }
        notifyPresence();
    }

    private Message.Presence buildLocalPresence() {
        LocalPeer me = localPeer;
        PresenceInfo info = presenceInfo;
        Set<Message.PresenceLink> links = new LinkedHashSet<>();
        for (Session s : sessions) {
            if (s.isAuthorized()) {
                links.add(new Message.PresenceLink(s.remotePeerKey(), s.channel().connectionType().wireName()));
            }
        }
        return new Message.Presence(me.peerKey(), presenceVersion, me.deviceName(), info.os(), info.sdkVersion(),
                Message.PROTOCOL_VERSION, info.peerMetadata(), info.identityMetadata(), List.copyOf(links));
    }

    private void notifyPresence() {
        Consumer<PresenceSnapshot> listener = presenceListener;
        if (listener == null || localPresence == null) {
            return;
        }
        PresenceSnapshot snapshot = new PresenceSnapshot(localPresence, active ? presenceTable.reachable(localPresence)
                : List.of());
        try {
            listener.accept(snapshot);
        } catch (RuntimeException e) {
            Logger.error(e, "sync of {}: the presence listener failed", owner);
        }
    }

    /**
     * A session finished its hello: keeps at most one session per remote store, preferring the
     * link dialed by the peer with the smaller site id (both ends decide alike); two links dialed
     * by the same peer are both kept.
     */
    void onSessionActive(Session session) {
        stats.sessionsOpened.incrementAndGet();
        for (Session other : List.copyOf(sessions)) {
            if (other == session || other.state() != Session.State.ACTIVE || other.remoteSite() != session.remoteSite()) {
                continue;
            }
            long mine = dialer(session);
            long theirs = dialer(other);
            if (mine == theirs) {
                continue;
            }
            Session loser = Long.compareUnsigned(mine, theirs) < 0 ? other : session;
            Logger.debug("sync of {}: two links to peer {}; closing {}", owner, session.remotePeerKey(), loser.name());
            loser.close(null, "duplicate link");
            if (loser == session) {
                return;
            }
        }
        peerChanged(session);
    }

    void onSessionClosed(Session session, boolean wasActive) {
        sessions.remove(session);
        if (session.wasAuthorized()) {
            if (active) {
                publishPresence();
            } else {
                presenceVersion = Math.max(presenceVersion + 1, runtime.nowMillis());
                localPresence = buildLocalPresence();
                if (sessions.isEmpty()) {
                    presenceTable.clear();
                }
                notifyPresence();
            }
        }
        if (wasActive) {
            stats.sessionsClosed.incrementAndGet();
            boolean another = false;
            for (Session s : sessions) {
                another |= s.state() == Session.State.ACTIVE && s.remoteSite() == session.remoteSite();
            }
            if (!another) {
                PeerStatus previous = status.get(session.remoteSite());
                if (previous != null) {
                    status.put(session.remoteSite(), new PeerStatus(previous.site(), previous.peerKey(),
                            previous.isServer(), false, previous.syncedUpTo(), previous.lastUpdateReceived()));
                }
            }
        }
    }

    /**
     * Records documents a peer sent that its write permission does not cover: counted, logged
     * (at most every 10 s per engine) and shown in {@code system:data_sync_info}.
     */
    void noteRejectedWrites(Session session, int count, String first) {
        stats.writesForbidden.addAndGet(count);
        long now = runtime.nowMillis();
        RejectedWrites total = rejectedWrites.merge(session.remotePeerKey(), new RejectedWrites(count, first, now),
                (a, b) -> new RejectedWrites(a.count() + b.count(), b.last(), b.lastMillis()));
        long last = lastRejectLog.get();
        if (last == Long.MIN_VALUE || now - last >= 10_000 || total.count() == count) {
            lastRejectLog.set(now);
            Logger.warn("sync {}: rejected {} document(s) from {} (user '{}') outside its write permission, first: {}"
                    + " ({} rejected from this peer so far); they were not stored or relayed", session.name(), count,
                    session.remotePeerKey(), session.userId(), first, total.count());
        }
    }

    private final AtomicLong lastRejectLog = new AtomicLong(Long.MIN_VALUE);

    /**
     * Makes this engine a server peer's: its hello says so, and it subscribes to every document
     * of every collection of every peer. Set before {@link #start}.
     *
     * @param server whether this is a server peer
     */
    public void setServerPeer(boolean server) {
        this.serverPeer = server;
        runtime.execute(() -> refreshLocalQueries(true));
    }

    /** Tells whether this engine is a server peer's. */
    boolean isServerPeer() {
        return serverPeer;
    }

    /**
     * Sets who answers plain HTTP requests under {@code /_ditto/} that transports receive (the
     * server peer's login endpoint); null answers 404.
     *
     * @param handler the handler, or null
     */
    public void setHttpHandler(Function<HttpRequest, HttpResponse> handler) {
        this.httpHandler = handler;
    }

    void peerChanged(Session session) {
        PeerRecord r = session.record();
        if (r == null || session.state() != Session.State.ACTIVE) {
            return;
        }
        status.put(session.remoteSite(), new PeerStatus(session.remoteSite(), session.remotePeerKey(),
                session.remoteIsServer(), true, session.ackedUpTo(), r.lastUpdateReceivedMillis));
    }

    private final AtomicLong lastDriftLog = new AtomicLong(Long.MIN_VALUE);

    void noteDriftRejection(Session session, ClockDriftException drift, String collection, Object id) {
        long now = runtime.nowMillis();
        long last = lastDriftLog.get();
        if (last == Long.MIN_VALUE || now - last >= 10_000) {
            lastDriftLog.set(now);
            Logger.warn("sync {}: rejected document {} of '{}' from {}: {} ({} rejected so far)", session.name(), id,
                    collection, session.remotePeerKey(), drift.getMessage(), stats.clockDriftRejected());
        }
    }

    // ---- internals (executor) ------------------------------------------------------------------

    private long dialer(Session s) {
        return s.channel().isIncoming() ? s.remoteSite() : replication.siteId();
    }

    private void onLocalCommit(ReplicationEvent event) {
        if (closed) {
            return;
        }
        if (!event.evictedCollections().isEmpty()) {
            boolean affected = false;
            for (Subscription s : subscriptions) {
                affected |= event.evictedCollections().contains(s.collection());
            }
            if (affected) {
                refreshLocalQueries(true);
            }
        }
        long commitId = event.commit().commitId();
        for (Session s : List.copyOf(sessions)) {
            s.onLocalCommit(commitId);
        }
    }

    private void refreshLocalQueries(boolean tellPeers) {
        List<LocalQuery> queries = new ArrayList<>(subscriptions.size() + 1);
        Map<String, Long> generations = new LinkedHashMap<>();
        try {
            if (serverPeer) {
                queries.add(LocalQuery.of(LocalQuery.ALL_COLLECTIONS_QUERY, Map.of(), LocalQuery.ALL_COLLECTIONS, 0));
            }
            for (Subscription s : subscriptions) {
                long generation = generations.computeIfAbsent(s.collection(), replication::evictionGeneration);
                queries.add(LocalQuery.of(s.query(), s.arguments(), s.collection(), generation));
            }
        } catch (DittoException e) {
            if (e.code() != ErrorCode.CLOSED) {
                Logger.error(e, "sync of {}: reading the eviction generations failed", owner);
            }
            return;
        }
        localQueries = List.copyOf(queries);
        if (tellPeers) {
            for (Session s : List.copyOf(sessions)) {
                s.onLocalSubscriptionsChanged();
            }
        }
    }

    private void scheduleTick(long generation) {
        if (!active || closed || generation != startGeneration) {
            return;
        }
        tick = runtime.schedule(options.tickMillis(), () -> {
            if (!active || closed || generation != startGeneration) {
                return;
            }
            long now = runtime.nowMillis();
            for (Session s : List.copyOf(sessions)) {
                s.onTick(now);
            }
            scheduleTick(generation);
        });
    }

    private void closeAllSessions() {
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        for (Session s : List.copyOf(sessions)) {
            s.close(null, "sync stopped");
        }
        presenceTable.clear();
        for (Map.Entry<Long, PeerStatus> e : status.entrySet()) {
            PeerStatus s = e.getValue();
            e.setValue(new PeerStatus(s.site(), s.peerKey(), s.isServer(), false, s.syncedUpTo(),
                    s.lastUpdateReceived()));
        }
    }

    private void openSession(Link channel, String authenticatedPeerKey, ChannelFactory.Grant grant, Port port) {
        if (!active || closed) {
            channel.close();
            return;
        }
        Session session = new Session(this, channel, authenticatedPeerKey,
                grant == null ? null : new AccessRules(grant.permissions(), grant.userId(), grant.expiresAtMillis()));
        sessions.add(session);
        port.session = session;
        try {
            session.start();
        } catch (DittoException e) {
            Logger.info("sync of {}: could not start a session on {}: {}", owner, session.name(), e.getMessage());
            session.close(e.code(), e.getMessage());
        }
    }

    /** The engine's side of every transport. */
    private final class Listener implements TransportListener {
        private final ChannelFactory channels;

        Listener(ChannelFactory channels) {
            this.channels = channels;
        }

        @Override
        public LinkHandler onLinkOpened(Link link) {
            if (!active || closed) {
                link.close();
                return IGNORE;
            }
            try {
                return channels.open(link, new ChannelFactory.Listener() {
                    @Override
                    public LinkHandler onEstablished(Link channel, String authenticatedPeerKey,
                            ChannelFactory.Grant grant) {
                        Port port = new Port(channel);
                        runtime.execute(() -> openSession(channel, authenticatedPeerKey, grant, port));
                        return port;
                    }

                    @Override
                    public void onFailed(Link failed, DittoException error) {
                        Logger.info("sync of {}: link {} ({}) could not be secured: {}: {}", owner, failed.id(),
                                failed.remoteDescription(), error.code().wireName(), error.getMessage());
                    }
                });
            } catch (RuntimeException e) {
                Logger.error(e, "sync of {}: could not secure link {}", owner, link.id());
                link.close();
                return IGNORE;
            }
        }

        @Override
        public HttpResponse onHttpRequest(HttpRequest request) {
            var handler = httpHandler;
            if (handler == null || !active || closed) {
                return HttpResponse.notFound(request.path());
            }
            try {
                return handler.apply(request);
            } catch (RuntimeException e) {
                Logger.error(e, "sync of {}: answering {} failed", owner, request);
                return HttpResponse.text(500, "internal error");
            }
        }

        @Override
        public void onPeerDiscovered(DiscoveredPeer peer) {
            Logger.debug("sync of {}: discovered {} by {}", owner, peer.endpoint(), peer.mechanism());
        }

        @Override
        public void onPeerLost(String endpoint) {
            Logger.debug("sync of {}: lost {}", owner, endpoint);
        }
    }

    /** The handler of a link the engine does not want: everything is dropped. */
    private static final LinkHandler IGNORE = new LinkHandler() {
        @Override
        public void onFrame(ByteBuffer frame) {
        }

        @Override
        public void onClosed(Throwable cause) {
        }
    };

    /**
     * The handler of one channel's application frames: counts what waits for the executor and
     * hands each frame to the session. The session is created by a task queued before the
     * channel's first frame, so on the serial executor it always exists when a frame is handled
     * (unless sync stopped meanwhile, and then the frame is dropped).
     */
    private final class Port implements LinkHandler {
        private final Link channel;
        private final AtomicLong queued = new AtomicLong();
        private Session session;

        Port(Link channel) {
            this.channel = channel;
        }

        @Override
        public void onFrame(ByteBuffer frame) {
            int size = frame.remaining();
            if (queued.addAndGet(size) > options.maxInboundQueuedBytes()) {
                Logger.warn("sync of {}: link {} sent more than {} bytes the engine has not processed yet; closing it",
                        owner, channel.id(), options.maxInboundQueuedBytes());
                channel.close();
                return;
            }
            runtime.execute(() -> {
                queued.addAndGet(-size);
                if (!closed) {
                    deliver(s -> s.onFrame(frame));
                }
            });
        }

        @Override
        public void onClosed(Throwable cause) {
            runtime.execute(() -> deliver(s -> s.onClosed(cause)));
        }

        private void deliver(java.util.function.Consumer<Session> action) {
            if (session != null) {
                action.accept(session);
            }
        }
    }
}
