package ditto.engine.sync;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.tinylog.Logger;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.Link;
import ditto.engine.crdt.ClockDriftException;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.store.Replication;
import ditto.engine.wire.FrameCodec;
import ditto.engine.wire.Message;
import ditto.engine.wire.WireLimits;

/**
 * The replication state machine of one channel to one remote peer. Pure in the sense that
 * matters for simulation: it reacts only to {@link #onFrame}, {@link #onTick},
 * {@link #onLocalCommit}, {@link #onLocalSubscriptionsChanged} and {@link #onClosed}, all called
 * on the engine's serial executor, and acts only by sending frames on its channel and calling
 * the store ({@link Replication}); time comes from the runtime.
 *
 * <pre>
 *   OPENING ──hello in (checked)──▶ ACTIVE ──goodbye / error / link closed / stop──▶ CLOSED
 *                                     │ sends its PRESENCE; with a connection request handler it
 *                                     │ waits for the remote's PRESENCE and the handler's answer
 *                                     ▼ (DENY: goodbye "denied"); then "authorized":
 *                                   subscriptions, documents and relayed presence records flow
 *
 *   receiving side (our subscriptions)          sending side (the remote's subscriptions)
 *   ─────────────────────────────────           ───────────────────────────────────────
 *   SUBSCRIPTIONS(v, [key, query, since]) ──▶    scan change log from min(since) ─▶ DOCUMENTS(v, upTo, docs)
 *   DOCUMENTS ◀── decode, clock check, merge +  ◀── ACK(v, upTo): window slot freed, synced_up_to
 *        checkpoints in one commit ──▶ ACK
 * </pre>
 *
 * <p>Invariants: frames leave numbered from 0 and are accepted only in order (a repeat is
 * ignored, a gap is a protocol error); at most {@link SyncEngine.Options#window()} batches are
 * unacknowledged; a checkpoint is raised only with the documents it covers (same commit) and
 * never past a document that was not applied (clock drift freezes it for the batches of the
 * subscription versions already sent). Any failure closes the session with a typed error; it
 * never escapes to the transport.
 */
final class Session {

    /** The goodbye code of a session whose connection request was denied. */
    static final String DENIED = "denied";

    enum State { OPENING, ACTIVE, CLOSED }

    /** A subscription set as sent: its keys (whose checkpoints its batches raise) and collections. */
    record SentSet(Set<String> keys, Set<String> collections) {
    }

    private final SyncEngine engine;
    private final Link channel;
    private final String authenticatedPeerKey;
    private final AccessRules access;
    private final String name;
    private final Replication replication;
    private final SyncEngine.Options options;
    private final int payloadBudget;

    private State state = State.OPENING;
    private long nextOutSequence;
    private long expectedInSequence;
    private long lastSentAt;
    private long lastReceivedAt;

    // the remote
    private long remoteSite;
    private String remotePeerKey = "";
    private String remoteDeviceName = "";
    private boolean remoteIsServer;

    // authorization (the connection request handler) and presence
    private boolean authorized;
    private boolean authorizing;
    private List<Message.Presence> heldPresence = new ArrayList<>();

    // receiving side
    private PeerRecord record;
    private boolean recordDirty;
    private long subscriptionsVersion;
    private final LinkedHashMap<Long, SentSet> sentSets = new LinkedHashMap<>();
    private long frozenAt = Long.MAX_VALUE;
    private long frozenThroughVersion = -1;
    private byte[] assembly;
    private int assembled;

    // sending side
    private RemoteQueries remote;
    private long remoteVersion;
    private byte[] nextKey;
    private long completeThrough;
    private boolean exhausted;
    private long latestLocalCommit;
    private int inFlight;
    private long lastSentUpTo;
    private long ackedUpTo;
    private boolean pumpScheduled;

    Session(SyncEngine engine, Link channel, String authenticatedPeerKey, AccessRules access) {
        this.engine = engine;
        this.channel = channel;
        this.authenticatedPeerKey = authenticatedPeerKey;
        this.access = access;
        this.name = channel.id() + " (" + channel.remoteDescription() + ")";
        this.replication = engine.replication();
        this.options = engine.options();
        int frameLimit = Math.min(channel.maxFrameSize(), WireLimits.MAX_FRAME_BYTES);
        this.payloadBudget = Math.max(1024, Math.min(options.batchBytes(),
                frameLimit - WireLimits.ENVELOPE_BYTES - WireLimits.MESSAGE_OVERHEAD_BYTES));
    }

    // ---- inputs ---------------------------------------------------------------------------------

    /** Sends the hello. */
    void start() {
        long now = engine.runtime().nowMillis();
        lastReceivedAt = now;
        lastSentAt = now;
        SyncEngine.LocalPeer me = engine.localPeer();
        send(new Message.Hello(Message.PROTOCOL_VERSION, engine.databaseId(), me.peerKey(), me.deviceName(),
                replication.siteId(), engine.isServerPeer() ? Message.Hello.FLAG_SERVER : 0));
    }

    /** Handles one frame from the channel. */
    void onFrame(ByteBuffer frame) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            int size = frame.remaining();
            FrameCodec.Frame f = FrameCodec.decode(frame);
            if (f.sequence() < expectedInSequence) {
                engine.stats().duplicateFrames.incrementAndGet();
                return;
            }
            if (f.sequence() > expectedInSequence) {
                throw new DittoException(ErrorCode.PROTOCOL, "frame " + expectedInSequence + " is missing (got frame "
                        + f.sequence() + "): the link lost or reordered frames");
            }
            expectedInSequence++;
            engine.stats().framesReceived.incrementAndGet();
            engine.stats().bytesReceived.addAndGet(size);
            lastReceivedAt = engine.runtime().nowMillis();
            handle(f.message());
        } catch (DittoException e) {
            fail(e);
        } catch (RuntimeException e) {
            engine.stats().internalErrors.incrementAndGet();
            Logger.error(e, "sync {}: unexpected failure handling a frame; closing the session", name);
            close(ErrorCode.INTERNAL, "internal error: " + e);
        }
    }

    /** Sends keep-alives, detects a silent peer, reports progress. */
    void onTick(long now) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (now - lastReceivedAt >= options.idleTimeoutMillis()) {
                fail(new DittoException(ErrorCode.TIMEOUT, "nothing received for " + (now - lastReceivedAt) + " ms"));
                return;
            }
            if (access != null && now >= access.expiresAtMillis()) {
                Logger.info("sync {}: the credentials of {} (user '{}') expired; ending the session", name,
                        remotePeerKey, access.userId());
                closeWith("expired", "the peer's credentials expired");
                return;
            }
            if (state == State.ACTIVE) {
                if (authorized && remote != null && remote.size() > 0 && exhausted && inFlight == 0
                        && completeThrough > lastSentUpTo) {
                    sendBatch(List.of(), completeThrough);
                }
                if (recordDirty) {
                    persistRecord();
                }
                pump();
            }
            if (state != State.CLOSED && now - lastSentAt >= options.pingIntervalMillis()) {
                send(new Message.Ping());
            }
        } catch (DittoException e) {
            fail(e);
        } catch (RuntimeException e) {
            engine.stats().internalErrors.incrementAndGet();
            Logger.error(e, "sync {}: unexpected failure on a tick; closing the session", name);
            close(ErrorCode.INTERNAL, "internal error: " + e);
        }
    }

    /** Learns that the store committed {@code commitId}; more may be sent. */
    void onLocalCommit(long commitId) {
        if (commitId > latestLocalCommit) {
            latestLocalCommit = commitId;
            if (commitId > completeThrough) {
                exhausted = false;
            }
        }
        schedulePump();
    }

    /** Our subscriptions changed: tell the remote. */
    void onLocalSubscriptionsChanged() {
        if (state != State.ACTIVE || !authorized) {
            return;
        }
        try {
            sendSubscriptions();
        } catch (DittoException e) {
            fail(e);
        }
    }

    /** The channel closed (by either side or by failure). */
    void onClosed(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        if (cause == null) {
            Logger.debug("sync {}: link closed by the peer", name);
        } else {
            Logger.info("sync {}: link closed: {}", name, cause.getMessage());
        }
        finish();
    }

    /**
     * Closes the session: says goodbye (best effort), closes the channel, keeps the record.
     *
     * @param code why, for the goodbye
     * @param reason a human-readable explanation
     */
    void close(ErrorCode code, String reason) {
        closeWith(code == null ? "stopped" : code.wireName(), reason);
    }

    /** Closes without a goodbye and without touching the channel: the instance crashed (tests). */
    void abandon() {
        state = State.CLOSED;
    }

    // ---- queries for the engine -------------------------------------------------------------------

    State state() {
        return state;
    }

    long remoteSite() {
        return remoteSite;
    }

    String remotePeerKey() {
        return remotePeerKey;
    }

    /** Returns the remote's user id from its certificate's grant, or "" without one. */
    String userId() {
        return access == null ? "" : access.userId();
    }

    boolean remoteIsServer() {
        return remoteIsServer;
    }

    Link channel() {
        return channel;
    }

    String name() {
        return name;
    }

    long ackedUpTo() {
        return ackedUpTo;
    }

    PeerRecord record() {
        return record;
    }

    /** Tells whether the session has nothing left to do: nothing unacknowledged, nothing unscanned. */
    boolean isIdle() {
        return state != State.ACTIVE || (inFlight == 0 && assembly == null && !recordDirty
                && (remote == null || remote.size() == 0 || (exhausted && latestLocalCommit <= completeThrough)));
    }

    /** Describes the session's state, for test reports. */
    String describe() {
        return name + " " + state + " remote=" + remotePeerKey + " inFlight=" + inFlight + " exhausted=" + exhausted
                + " complete=" + completeThrough + " latest=" + latestLocalCommit + " acked=" + ackedUpTo
                + " remoteQueries=" + (remote == null ? "-" : remote.size()) + " dirty=" + recordDirty;
    }

    // ---- messages -------------------------------------------------------------------------------

    private void handle(Message m) {
        if (m instanceof Message.Hello h) {
            onHello(h);
            return;
        }
        if (state != State.ACTIVE) {
            throw new DittoException(ErrorCode.PROTOCOL, "received " + m.getClass().getSimpleName()
                    + " before the hello");
        }
        if (m instanceof Message.Presence p) {
            onPresence(p);
        } else if (m instanceof Message.Subscriptions s) {
            onSubscriptions(s);
        } else if (m instanceof Message.Documents d) {
            if (!authorized) {
                throw new DittoException(ErrorCode.PROTOCOL, "documents before the connection was allowed");
            }
            onDocuments(d);
        } else if (m instanceof Message.DocumentPart p) {
            onPart(p);
        } else if (m instanceof Message.Ack a) {
            onAck(a);
        } else if (m instanceof Message.Goodbye g) {
            Logger.info("sync {}: the peer {} closed the session: {}: {}", name, remotePeerKey, g.code(), g.reason());
            finishAndClose();
        }
        // Ping: receiving it was the point.
    }

    private void onHello(Message.Hello h) {
        if (state != State.OPENING) {
            throw new DittoException(ErrorCode.PROTOCOL, "a second hello");
        }
        if (h.protocolVersion() < 1) {
            throw new DittoException(ErrorCode.PROTOCOL, "the peer speaks protocol version " + h.protocolVersion()
                    + ", this peer speaks 1 to " + Message.PROTOCOL_VERSION);
        }
        if (!h.databaseId().equals(engine.databaseId())) {
            throw new DittoException(ErrorCode.PROTOCOL, "the peer serves database " + h.databaseId()
                    + ", this peer " + engine.databaseId());
        }
        if (h.siteId() == 0) {
            throw new DittoException(ErrorCode.PROTOCOL, "the peer announced site id 0");
        }
        if (authenticatedPeerKey != null && !authenticatedPeerKey.equals(h.peerKey())) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "the peer's hello names key " + h.peerKey()
                    + " but its certificate proves " + authenticatedPeerKey);
        }
        if (h.siteId() == replication.siteId()) {
            Logger.debug("sync {}: a link to this peer itself; closing it", name);
            closeWith("self", "a link to itself");
            return;
        }
        remoteSite = h.siteId();
        remotePeerKey = h.peerKey();
        remoteDeviceName = h.deviceName();
        remoteIsServer = (h.flags() & Message.Hello.FLAG_SERVER) != 0;
        record = engine.loadRecord(remoteSite);
        record.peerKey = remotePeerKey;
        record.deviceName = remoteDeviceName;
        record.isServer = remoteIsServer;
        record.lastSeenMillis = engine.runtime().nowMillis();
        recordDirty = true;
        ackedUpTo = record.syncedUpTo;
        state = State.ACTIVE;
        latestLocalCommit = replication.lastCommitId();
        engine.onSessionActive(this);
        if (state != State.ACTIVE) {
            return;
        }
        Logger.debug("sync {}: session with {} ({}) open", name, remotePeerKey, remoteDeviceName);
        send(engine.localPresence());
        if (engine.authorizer() == null) {
            onAuthorized();
        }
    }

    /**
     * A presence record: kept by the engine (and relayed) once the session is allowed; before
     * that held (bounded), and the remote's own record starts the connection request.
     */
    private void onPresence(Message.Presence p) {
        if (authorized) {
            engine.onPresence(this, p);
            return;
        }
        if (heldPresence.size() >= PresenceTable.MAX_RECORDS) {
            throw new DittoException(ErrorCode.PROTOCOL, "more than " + PresenceTable.MAX_RECORDS
                    + " presence records before the connection was allowed");
        }
        heldPresence.add(p);
        SyncEngine.ConnectionAuthorizer decider = engine.authorizer();
        if (!authorizing && decider != null && p.peerKey().equals(remotePeerKey)) {
            authorizing = true;
            decider.authorize(p, allowed -> engine.runtime().execute(() -> onDecision(allowed)));
        }
    }

    private void onDecision(boolean allowed) {
        if (state != State.ACTIVE || authorized) {
            return;
        }
        if (!allowed) {
            Logger.info("sync {}: the connection request of {} was denied", name, remotePeerKey);
            closeWith(DENIED, "the connection request was denied");
            return;
        }
        try {
            onAuthorized();
        } catch (DittoException e) {
            fail(e);
        } catch (RuntimeException e) {
            engine.stats().internalErrors.incrementAndGet();
            Logger.error(e, "sync {}: unexpected failure starting an allowed session; closing it", name);
            close(ErrorCode.INTERNAL, "internal error: " + e);
        }
    }

    /** The session may sync: it becomes a connection, learns the graph, and subscriptions flow. */
    private void onAuthorized() {
        authorized = true;
        engine.onSessionAuthorized(this);
        List<Message.Presence> held = heldPresence;
        heldPresence = List.of();
        for (Message.Presence p : held) {
            engine.onPresence(this, p);
        }
        if (state != State.ACTIVE) {
            return;
        }
        sendSubscriptions();
        schedulePump();
    }

    /** Sends a presence record if the session is open (the engine's relay and publication). */
    void sendPresence(Message.Presence p) {
        if (state != State.ACTIVE) {
            return;
        }
        try {
            send(p);
        } catch (DittoException e) {
            fail(e);
        }
    }

    /** Tells whether the session is open and allowed to sync (a connection of the presence graph). */
    boolean isAuthorized() {
        return state == State.ACTIVE && authorized;
    }

    /** Tells whether the session was ever allowed (also after it closed). */
    boolean wasAuthorized() {
        return authorized;
    }

    private void onSubscriptions(Message.Subscriptions s) {
        if (s.version() <= remoteVersion && remote != null) {
            throw new DittoException(ErrorCode.PROTOCOL, "subscription set version " + s.version()
                    + " does not follow " + remoteVersion);
        }
        remoteVersion = s.version();
        remote = RemoteQueries.parse(s, replication, remoteSite, remoteIsServer, access, name);
        long start = remote.minSince();
        nextKey = Replication.startAfter(start);
        completeThrough = start;
        lastSentUpTo = start;
        exhausted = false;
        schedulePump();
    }

    private void onDocuments(Message.Documents d) {
        long now = engine.runtime().nowMillis();
        List<Replication.Incoming> incoming = new ArrayList<>(d.documentCount());
        boolean capped = d.subscriptionsVersion() <= frozenThroughVersion;
        SentSet sent = sentSets.get(d.subscriptionsVersion());
        for (Message.Group g : d.groups()) {
            Replication.checkReplicableCollection(g.collection());
            if (sent != null && !sent.collections().contains(g.collection())
                    && !sent.collections().contains(LocalQuery.ALL_COLLECTIONS)) {
                throw new DittoException(ErrorCode.PROTOCOL, "the peer sent documents of '" + g.collection()
                        + "', which subscription set " + d.subscriptionsVersion() + " does not ask for");
            }
            for (Message.Entry e : g.entries()) {
                byte[] bytes = e.document();
                if (bytes == null) {
                    if (assembly == null || assembled != assembly.length) {
                        throw new DittoException(ErrorCode.PROTOCOL, "a batch refers to a document assembled from"
                                + " parts, but no complete one was sent");
                    }
                    bytes = assembly;
                    assembly = null;
                    assembled = 0;
                }
                engine.stats().documentsReceived.incrementAndGet();
                CrdtDocument doc = CrdtDocument.decode(bytes);
                try {
                    replication.clock().observe(doc.versionVector().maxHlc());
                } catch (ClockDriftException drift) {
                    engine.stats().clockDriftRejected.incrementAndGet();
                    engine.noteDriftRejection(this, drift, g.collection(), doc.id());
                    frozenAt = Math.min(frozenAt, e.commit() - 1);
                    frozenThroughVersion = subscriptionsVersion;
                    capped = true;
                    continue;
                }
                incoming.add(new Replication.Incoming(g.collection(), doc,
                        access == null || access.mayWrite(g.collection(), doc.id())));
            }
        }
        if (assembly != null) {
            throw new DittoException(ErrorCode.PROTOCOL, "document parts were not followed by their batch");
        }
        long upTo = capped ? Math.min(d.upTo(), frozenAt) : d.upTo();
        if (sent != null) {
            for (String key : sent.keys()) {
                recordDirty |= record.advance(key, upTo);
            }
        }
        if (!incoming.isEmpty()) {
            record.lastUpdateReceivedMillis = now;
            record.lastSeenMillis = now;
            Replication.Applied applied = replication.apply(remoteSite, incoming, remoteSite, record.encode());
            recordDirty = false;
            engine.stats().batchesApplied.incrementAndGet();
            engine.stats().documentsApplied.addAndGet(applied.applied());
            engine.stats().documentsUnchanged.addAndGet(applied.unchanged());
            engine.stats().documentsRefused.addAndGet(applied.refused());
            if (applied.forbidden() > 0) {
                engine.noteRejectedWrites(this, applied.forbidden(), applied.firstForbidden());
            }
            if (applied.refused() > 0) {
                Logger.warn("sync {}: {} document(s) from {} refused (above DOCUMENT_SIZE_HARD_LIMIT_BYTES after"
                        + " merging)", name, applied.refused(), remotePeerKey);
            }
        }
        engine.peerChanged(this);
        send(new Message.Ack(d.subscriptionsVersion(), d.upTo()));
    }

    private void onPart(Message.DocumentPart p) {
        if (p.offset() == 0 && assembly == null) {
            if (p.total() > WireLimits.MAX_DOCUMENT_BYTES) {
                throw new DittoException(ErrorCode.PROTOCOL, "document of " + p.total() + " bytes announced");
            }
            assembly = new byte[(int) p.total()];
            assembled = 0;
        }
        if (assembly == null || p.total() != assembly.length || p.offset() != assembled) {
            throw new DittoException(ErrorCode.PROTOCOL, "document part at " + p.offset() + " of " + p.total()
                    + " does not continue the document being assembled");
        }
        System.arraycopy(p.bytes(), 0, assembly, assembled, p.bytes().length);
        assembled += p.bytes().length;
    }

    private void onAck(Message.Ack a) {
        if (inFlight == 0) {
            throw new DittoException(ErrorCode.PROTOCOL, "an acknowledgement without a batch in flight");
        }
        inFlight--;
        if (a.upTo() > ackedUpTo) {
            ackedUpTo = a.upTo();
            record.syncedUpTo = ackedUpTo;
            recordDirty = true;
            engine.peerChanged(this);
        }
        pump();
    }

    // ---- sending ---------------------------------------------------------------------------------

    private void sendSubscriptions() {
        List<LocalQuery> queries = engine.localQueries();
        subscriptionsVersion++;
        List<Message.Subscription> subs = new ArrayList<>(queries.size());
        Set<String> keys = new LinkedHashSet<>();
        Set<String> collections = new LinkedHashSet<>();
        for (LocalQuery q : queries) {
            if (keys.add(q.keyHex())) {
                subs.add(new Message.Subscription(q.key(), q.query(), q.arguments(), record.checkpoint(q.keyHex())));
                collections.add(q.collection());
            }
        }
        sentSets.put(subscriptionsVersion, new SentSet(keys, collections));
        while (sentSets.size() > 32) {
            Iterator<Long> oldest = sentSets.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        send(new Message.Subscriptions(subscriptionsVersion, subs));
    }

    private void schedulePump() {
        if (!pumpScheduled && state == State.ACTIVE && remote != null) {
            pumpScheduled = true;
            engine.runtime().execute(() -> {
                pumpScheduled = false;
                try {
                    pump();
                } catch (DittoException e) {
                    fail(e);
                } catch (RuntimeException e) {
                    engine.stats().internalErrors.incrementAndGet();
                    Logger.error(e, "sync {}: unexpected failure while sending; closing the session", name);
                    close(ErrorCode.INTERNAL, "internal error: " + e);
                }
            });
        }
    }

    /** Reads changes the remote wants and sends them, within the window; yields after a few batches. */
    private void pump() {
        if (state != State.ACTIVE || !authorized || remote == null || remote.size() == 0) {
            return;
        }
        int reads = 0;
        while (state == State.ACTIVE && inFlight < options.window() && reads < options.readsPerTurn()) {
            if (exhausted && latestLocalCommit <= completeThrough) {
                return;
            }
            if (channel.queuedBytes() > channel.maxQueuedBytes() / 2) {
                return;
            }
            Replication.Changes changes = replication.readChanges(nextKey, remote, options.maxDocumentsPerBatch(),
                    payloadBudget, options.maxScannedPerRead());
            reads++;
            nextKey = changes.nextKey();
            exhausted = changes.exhausted();
            completeThrough = Math.max(completeThrough, changes.completeThrough());
            if (!changes.changes().isEmpty()) {
                sendChanges(changes.changes(), completeThrough);
            }
        }
        if (state == State.ACTIVE && inFlight < options.window()
                && !(exhausted && latestLocalCommit <= completeThrough)) {
            schedulePump();
        }
    }

    /** Splits changes into frames within the payload budget; oversized documents go in parts. */
    private void sendChanges(List<Replication.Change> changes, long upTo) {
        List<Replication.Change> frame = new ArrayList<>();
        long bytes = 0;
        for (Replication.Change c : changes) {
            long size = c.document().length + c.collection().length() * 3L + 32;
            if (c.document().length > payloadBudget) {
                if (!frame.isEmpty()) {
                    sendBatch(frame, Math.max(lastSentUpTo, c.commit() - 1));
                    frame = new ArrayList<>();
                    bytes = 0;
                }
                sendParts(c);
                continue;
            }
            if (!frame.isEmpty() && bytes + size > payloadBudget) {
                sendBatch(frame, Math.max(lastSentUpTo, c.commit() - 1));
                frame = new ArrayList<>();
                bytes = 0;
            }
            frame.add(c);
            bytes += size;
        }
        if (!frame.isEmpty()) {
            sendBatch(frame, upTo);
        } else if (upTo > lastSentUpTo && inFlight < options.window()) {
            sendBatch(List.of(), upTo);
        }
    }

    private void sendParts(Replication.Change c) {
        byte[] doc = c.document();
        for (int offset = 0; offset < doc.length; offset += payloadBudget) {
            int n = Math.min(payloadBudget, doc.length - offset);
            send(new Message.DocumentPart(doc.length, offset, Arrays.copyOfRange(doc, offset, offset + n)));
        }
        engine.stats().documentsSent.incrementAndGet();
        send(new Message.Documents(remoteVersion, Math.max(lastSentUpTo, c.commit() - 1),
                List.of(new Message.Group(c.collection(), List.of(new Message.Entry(c.commit(), null))))));
        inFlight++;
    }

    private void sendBatch(List<Replication.Change> changes, long upTo) {
        List<Message.Group> groups = new ArrayList<>();
        String collection = null;
        List<Message.Entry> entries = null;
        for (Replication.Change c : changes) {
            if (!c.collection().equals(collection)) {
                if (entries != null) {
                    groups.add(new Message.Group(collection, entries));
                }
                collection = c.collection();
                entries = new ArrayList<>();
            }
            entries.add(new Message.Entry(c.commit(), c.document()));
        }
        if (entries != null) {
            groups.add(new Message.Group(collection, entries));
        }
        long sentUpTo = Math.max(lastSentUpTo, upTo);
        send(new Message.Documents(remoteVersion, sentUpTo, groups));
        lastSentUpTo = sentUpTo;
        engine.stats().documentsSent.addAndGet(changes.size());
        inFlight++;
    }

    private void send(Message m) {
        if (state == State.CLOSED) {
            return;
        }
        byte[] frame = FrameCodec.encode(nextOutSequence++, m);
        channel.send(ByteBuffer.wrap(frame));
        lastSentAt = engine.runtime().nowMillis();
        engine.stats().framesSent.incrementAndGet();
        engine.stats().bytesSent.addAndGet(frame.length);
    }

    // ---- closing ---------------------------------------------------------------------------------

    private void fail(DittoException e) {
        if (state == State.CLOSED) {
            return;
        }
        if (e.code() == ErrorCode.PROTOCOL) {
            engine.stats().protocolErrors.incrementAndGet();
        }
        if (e.code() == ErrorCode.TRANSPORT && !channel.isOpen()) {
            // the link went away under a send; its close is on the way: an ordinary disconnect
            Logger.debug("sync {}: the link to {} closed: {}", name, remotePeerKey, e.getMessage());
        } else {
            Logger.warn("sync {}: closing the session with {}: {}: {}", name,
                    remotePeerKey.isEmpty() ? "the peer" : remotePeerKey, e.code().wireName().toUpperCase(),
                    e.getMessage());
        }
        closeWith(e.code().wireName(), e.getMessage() == null ? "" : e.getMessage());
    }

    private void closeWith(String code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            send(new Message.Goodbye(code, reason.length() > 1000 ? reason.substring(0, 1000) : reason));
        } catch (RuntimeException e) {
            // the channel is already closed or full; the close below is what matters
        }
        finishAndClose();
    }

    private void finishAndClose() {
        finish();
        try {
            channel.close();
        } catch (RuntimeException e) {
            Logger.debug("sync {}: closing the channel failed: {}", name, e.toString());
        }
    }

    private void finish() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasActive = state == State.ACTIVE;
        state = State.CLOSED;
        if (wasActive && recordDirty) {
            try {
                persistRecord();
            } catch (RuntimeException e) {
                Logger.debug("sync {}: could not keep the peer record at close: {}", name, e.toString());
            }
        }
        engine.onSessionClosed(this, wasActive);
    }

    private void persistRecord() {
        replication.putPeerRecord(remoteSite, record.encode());
        recordDirty = false;
    }

}
