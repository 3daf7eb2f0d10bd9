package ditto.engine.store;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.tinylog.Logger;

import ditto.api.Attachment;
import ditto.api.AttachmentFetchEvent;
import ditto.api.AttachmentFetcher;
import ditto.api.AttachmentToken;
import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.SignalNext;
import ditto.api.Store;
import ditto.api.StoreObserver;
import ditto.api.Transaction;
import ditto.api.TransactionCompletionAction;
import ditto.api.TransactionFunction;
import ditto.api.TransactionInfo;
import ditto.api.TransactionOptions;
import ditto.api.spi.storage.Durability;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.WriteBatch;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.crdt.HybridClock;
import ditto.engine.crdt.SiteId;
import ditto.engine.dql.DqlCache;
import ditto.engine.dql.DqlSettings;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.SelectExecutor;
import ditto.engine.dql.Statement;
import ditto.engine.observe.CommitEvent;
import ditto.engine.observe.ObserverHub;
import ditto.engine.observe.QueryRunner;
import ditto.engine.result.Results;

/**
 * The document store of one Ditto instance, on the storage SPI: DQL execution, transactions,
 * indexes, commit ids and the tombstone reaper; live queries are delegated to the
 * {@link ObserverHub}, which reads back through this class as its {@link QueryRunner}.
 *
 * <pre>
 *  execute / tx.execute ─▶ DqlCache.parse ─▶ TxState.run ─▶ Statements (plan, read, CRDT ops)
 *                                                               │ buffered in the WorkingSet
 *  commit (writer lock held): + meta "hlc" ─▶ WriteBatch ─▶ storage.commit(SYNC)  (one fsync)
 *        ─▶ publish index catalog ─▶ hub.onCommit(CommitEvent(sequence, changed ids)) ─▶ unlock
 *  readers: storage.snapshot() ─▶ WorkingSet(read-only)   (no lock, concurrent)
 * </pre>
 *
 * <p><b>Concurrency.</b> One read-write transaction at a time, under the fair {@link #writer}
 * lock, which a transaction holds from begin to end; its snapshot is taken after the lock, so it
 * sees every earlier commit and nothing changes under it (serializable). Read-only transactions
 * and single read statements run on their own snapshot without the lock. Commit events are
 * published under the lock, hence in commit order.
 *
 * <p><b>Commit ids</b> are the storage's commit sequence numbers. <b>Time</b>: each written
 * document gets its own {@link HybridClock} timestamp; every commit also stores the clock's
 * high-water mark, which {@link #open} restores, so timestamps never go back across restarts.
 *
 * <p>Invariants: {@link #catalog} is the index catalog of the latest commit (a reader whose
 * snapshot shows another catalog version loads that version from its snapshot instead); after
 * {@link #close()} no transaction starts and the hub is closed. Thread-safe.
 */
public final class StoreImpl implements Store, QueryRunner {

    /** The default size of the decoded-document cache: 16 MiB of encoded documents. */
    public static final long DEFAULT_DOCUMENT_CACHE_BYTES = DocumentCache.DEFAULT_BUDGET_BYTES;
    /** How long {@link #close()} waits for the running read-write transaction. */
    static final long CLOSE_DRAIN_MILLIS = 10_000;
    /** How often the tombstone reaper runs. */
    static final long REAP_PERIOD_MINUTES = 60;
    /** The most expired tombstones one reaper transaction removes. */
    static final int REAP_BATCH = 1_000;
    private static final int MAX_CACHED_EXECUTORS = 1_024;
    private static final long LOCK_POLL_MILLIS = 100;

    private final Storage storage;
    private final Runnable checkOpen;
    private final AttachmentSupport attachments;
    private final DqlSettings settings = new DqlSettings();
    private final DqlCache cache = new DqlCache();
    private final DocumentCache documents;
    private final Map<SameStatement, SelectExecutor> executors = new ConcurrentHashMap<>();
    private final Map<String, Supplier<List<Map<String, Object>>>> virtualCollections = new ConcurrentHashMap<>();
    private final HybridClock clock;
    final ReentrantLock writer = new ReentrantLock(true);
    private final LongTransactionMonitor monitor = new LongTransactionMonitor();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final ObserverHub hub;
    private final List<Consumer<ReplicationEvent>> replicationListeners = new CopyOnWriteArrayList<>();
    private final Replication replication = new Replication(this);
    private volatile IndexCatalog catalog;
    /** Set when close begins: nothing new starts. */
    private volatile boolean closing;
    /** Set when the running read-write transaction has drained (or the wait timed out). */
    private volatile boolean closed;

    private StoreImpl(Storage storage, Ditto ditto, Runnable checkOpen, AttachmentSupport attachments,
            HybridClock clock, IndexCatalog catalog, long documentCacheBytes) {
        this.storage = storage;
        this.documents = new DocumentCache(documentCacheBytes);
        this.checkOpen = checkOpen;
        this.attachments = attachments;
        this.clock = clock;
        this.catalog = catalog;
        this.hub = new ObserverHub(ditto, this, null, cache);
    }

    /**
     * Opens the store on an open storage: reads (or creates and persists) the site id, restores
     * the clock and loads the index catalog, then schedules the long-transaction check and the
     * tombstone reaper.
     *
     * @param storage the instance's storage, open; the store never closes it
     * @param ditto the instance, for {@link StoreObserver#ditto()}
     * @param checkOpen throws {@link ErrorCode#CLOSED} once the instance is closed
     * @param attachments the attachment operations
     * @param scheduler runs periodic maintenance; may be null (tests) for none
     * @param documentCacheBytes how many bytes of encoded documents to keep decoded in memory
     *        ({@link #DEFAULT_DOCUMENT_CACHE_BYTES} by default; 0 disables the cache)
     * @return the open store
     * @throws DittoException {@link ErrorCode#STORE} if the stored metadata cannot be read or written
     */
    public static StoreImpl open(Storage storage, Ditto ditto, Runnable checkOpen, AttachmentSupport attachments,
            ScheduledExecutorService scheduler, long documentCacheBytes) {
        return open(storage, ditto, checkOpen, attachments, scheduler, documentCacheBytes, System::currentTimeMillis,
                null);
    }

    /**
     * Opens the store as {@link #open(Storage, Ditto, Runnable, AttachmentSupport, ScheduledExecutorService, long)}
     * does, on a given physical clock and, for a new store, a given source of the site id: the
     * seams a deterministic simulation needs.
     *
     * @param physicalMillis the wall clock the hybrid logical clock follows, epoch milliseconds
     * @param siteRandom draws the site id of a new store; null for {@link SiteId#random()}
     * @return the open store
     * @throws DittoException {@link ErrorCode#STORE} if the stored metadata cannot be read or written
     */
    public static StoreImpl open(Storage storage, Ditto ditto, Runnable checkOpen, AttachmentSupport attachments,
            ScheduledExecutorService scheduler, long documentCacheBytes, LongSupplier physicalMillis,
            RandomGenerator siteRandom) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(physicalMillis, "physicalMillis");
        byte[] site;
        byte[] hlc;
        byte[] catalogVersion;
        IndexCatalog catalog;
        try (ditto.api.spi.storage.Snapshot snapshot = storage.snapshot()) {
            site = snapshot.get(Keys.META, Keys.META_SITE).orElse(null);
            hlc = snapshot.get(Keys.META, Keys.META_HLC).orElse(null);
            catalogVersion = snapshot.get(Keys.META, Keys.META_CATALOG).orElse(null);
            WorkingSet ws = new WorkingSet(snapshot, new DocumentCache(0), false);
            catalog = IndexCatalog.load(catalogVersion == null ? 0 : Keys.longOf(catalogVersion, "catalog version"),
                    ws.entries(Keys.INDEX_DEFS, null, null));
            ws.closeCursors();
        } catch (DittoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DittoException(ErrorCode.STORE, "store: reading the store's metadata failed: " + e, e);
        }
        SiteId siteId;
        if (site == null) {
            siteId = siteRandom == null ? SiteId.random() : SiteId.random(siteRandom);
            WriteBatch batch = new WriteBatch().put(Keys.META, Keys.META_SITE, Keys.longValue(siteId.value()))
                    .put(Keys.META, Keys.META_HLC, Keys.longValue(0));
            commitToStorage(storage, batch);
            Logger.info("store: new store, site id {}", siteId);
        } else {
            siteId = SiteId.of(Keys.longOf(site, "site id"));
        }
        HybridClock clock = new HybridClock(siteId, physicalMillis);
        if (hlc != null) {
            clock.restore(Keys.longOf(hlc, "clock"));
        }
        StoreImpl store = new StoreImpl(storage, ditto, checkOpen, attachments, clock, catalog, documentCacheBytes);
        if (scheduler != null) {
            store.schedule(scheduler);
        }
        return store;
    }

    private void schedule(ScheduledExecutorService scheduler) {
        tasks.add(scheduler.scheduleWithFixedDelay(() -> {
            try {
                monitor.check(System.nanoTime(), settings.transactionDurationBeforeLoggingMs());
            } catch (Throwable t) {
                Logger.error(t, "store: checking for long transactions failed");
            }
        }, 1, 1, TimeUnit.SECONDS));
        tasks.add(scheduler.scheduleWithFixedDelay(() -> {
            if (closing) {
                return;
            }
            try {
                int reaped = reapTombstones(System.currentTimeMillis());
                if (reaped > 0) {
                    Logger.info("store: removed {} expired tombstone(s)", reaped);
                }
            } catch (Throwable t) {
                if (!closing) {
                    Logger.error(t, "store: the tombstone reaper failed");
                }
            }
        }, 1, REAP_PERIOD_MINUTES, TimeUnit.MINUTES));
    }

    // ---- Store -------------------------------------------------------------------------------

    @Override
    public QueryResult execute(String dql, Map<String, ?> args) {
        Objects.requireNonNull(dql, "dql");
        Objects.requireNonNull(args, "args");
        checkOpen();
        Statement statement = cache.parse(dql);
        EvalContext ctx = EvalContext.of(args);
        if (statement.isReadOnly()) {
            try (TxState tx = readOnlyState()) {
                Statements.Outcome outcome = tx.run(statement, ctx);
                return Results.ofRows(outcome.rows(), OptionalLong.of(tx.workingSet().sequence()));
            } catch (RuntimeException e) {
                throw translate(e);
            }
        }
        if (statement.kind() == Statement.Kind.ALTER_SYSTEM) {
            settings.execute(statement, ctx);
            return Results.empty(OptionalLong.empty());
        }
        lockWriter("store.execute");
        try (TxState tx = writableState()) {
            Statements.Outcome outcome = tx.run(statement, ctx);
            long commitId = commit(tx);
            return Results.ofMutation(outcome.mutatedIds(), OptionalLong.of(commitId));
        } catch (RuntimeException e) {
            throw translate(e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public StoreObserver registerObserver(String dql, Map<String, ?> args, Consumer<QueryResult> onChange) {
        Objects.requireNonNull(dql, "dql");
        Objects.requireNonNull(onChange, "onChange");
        checkOpen();
        return hub.register(dql, args, onChange);
    }

    @Override
    public StoreObserver registerObserver(String dql, Map<String, ?> args,
            BiConsumer<QueryResult, SignalNext> onChange) {
        Objects.requireNonNull(dql, "dql");
        Objects.requireNonNull(onChange, "onChange");
        checkOpen();
        return hub.register(dql, args, onChange);
    }

    @Override
    public List<StoreObserver> observers() {
        checkOpen();
        return hub.observers();
    }

    @Override
    public TransactionCompletionAction transaction(TransactionOptions options, TransactionFunction function) {
        Objects.requireNonNull(function, "function");
        TransactionImpl tx = begin(options == null ? TransactionOptions.DEFAULT : options);
        TransactionCompletionAction action;
        try {
            action = function.apply(tx);
        } catch (RuntimeException | Error e) {
            finish(tx, false);
            throw e;
        } catch (Exception e) {
            finish(tx, false);
            throw new DittoException(ErrorCode.INTERNAL, "transaction " + tx.info().id()
                    + ": the transaction function failed, rolled back: " + e, e);
        }
        if (action == null) {
            finish(tx, false);
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "transaction " + tx.info().id()
                    + ": the transaction function returned null instead of COMMIT or ROLLBACK; rolled back");
        }
        finish(tx, action == TransactionCompletionAction.COMMIT);
        return action;
    }

    @Override
    public <T> T transactionWithResult(TransactionOptions options, Function<Transaction, T> function) {
        Objects.requireNonNull(function, "function");
        TransactionImpl tx = begin(options == null ? TransactionOptions.DEFAULT : options);
        T result;
        try {
            result = function.apply(tx);
        } catch (RuntimeException | Error e) {
            finish(tx, false);
            throw e;
        }
        finish(tx, true);
        return result;
    }

    @Override
    public Attachment newAttachment(Path file, Map<String, ?> metadata) {
        Objects.requireNonNull(file, "file");
        checkOpen();
        return attachments.newAttachment(file, metadata);
    }

    @Override
    public Attachment newAttachment(byte[] data, Map<String, ?> metadata) {
        Objects.requireNonNull(data, "data");
        checkOpen();
        return attachments.newAttachment(data, metadata);
    }

    @Override
    public Attachment newAttachment(InputStream content, Map<String, ?> metadata) {
        Objects.requireNonNull(content, "content");
        checkOpen();
        return attachments.newAttachment(content, metadata);
    }

    @Override
    public AttachmentFetcher fetchAttachment(AttachmentToken token, Consumer<AttachmentFetchEvent> onEvent) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(onEvent, "onEvent");
        checkOpen();
        return attachments.fetchAttachment(token, onEvent);
    }

    // ---- QueryRunner -------------------------------------------------------------------------

    @Override
    public QueryRunner.Snapshot select(Statement.Select select, Map<String, Object> args) {
        try (TxState tx = readOnlyState()) {
            List<Map<String, Object>> rows = Statements.select(tx, select, EvalContext.of(args));
            return new QueryRunner.Snapshot(tx.workingSet().sequence(), rows);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public Map<Object, Map<String, Object>> documents(String collection, Set<Object> ids) {
        try (TxState tx = readOnlyState()) {
            Map<Object, Map<String, Object>> found = new LinkedHashMap<>();
            if (!collection.startsWith("system:")) {
                byte[] prefix = Keys.collectionPrefix(collection);
                for (Object id : ids) {
                    byte[] key;
                    try {
                        key = Keys.documentKey(prefix, id);
                    } catch (DittoException e) {
                        continue;
                    }
                    CrdtDocument doc = tx.workingSet().document(key);
                    if (doc != null && !doc.isDeleted()) {
                        found.put(id, Statements.detached(doc.value().orElseThrow()));
                    }
                }
            }
            return Collections.unmodifiableMap(found);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    // ---- engine-internal ---------------------------------------------------------------------

    /** Returns the per-instance DQL settings ({@code ALTER SYSTEM}, {@code SHOW}). */
    public DqlSettings settings() {
        return settings;
    }

    /** Returns the instance's hybrid logical clock (sync observes remote timestamps through it). */
    public HybridClock clock() {
        return clock;
    }

    /** Returns the replication operations of this store (the sync engine's access). */
    public Replication replication() {
        return replication;
    }

    /**
     * Adds a listener told of every commit that changed documents, after the commit is durable,
     * in commit order, on the committing thread (with the writer lock held: it must only record
     * work and return).
     *
     * @param listener the listener, never null
     * @return closing it removes the listener
     */
    public AutoCloseable addReplicationListener(Consumer<ReplicationEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        replicationListeners.add(listener);
        return () -> replicationListeners.remove(listener);
    }

    /** Returns the live-query hub. */
    public ObserverHub hub() {
        return hub;
    }

    /** Returns the statement cache shared by the store and its observers. */
    public DqlCache cache() {
        return cache;
    }

    /**
     * Adds a virtual, read-only {@code system:} collection whose rows are produced on each read.
     *
     * @param name the collection name, starting with {@code system:}
     * @param rows produces the current rows (JSON-model maps), thread-safe
     */
    public void registerVirtualCollection(String name, Supplier<List<Map<String, Object>>> rows) {
        if (!name.startsWith("system:") || name.equals("system:indexes")) {
            throw new IllegalArgumentException("not a free system collection name: " + name);
        }
        virtualCollections.put(name, Objects.requireNonNull(rows, "rows"));
    }

    /**
     * Removes expired tombstones: deleted documents whose delete is older than
     * {@code TOMBSTONE_TTL_HOURS}, if {@code TOMBSTONE_TTL_ENABLED}. Runs in read-write
     * transactions of at most {@value #REAP_BATCH} removals each, so writers wait briefly.
     *
     * @param nowMillis the current time, epoch milliseconds
     * @return how many tombstones were removed
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     */
    public int reapTombstones(long nowMillis) {
        checkOpen();
        if (!settings.tombstoneTtlEnabled()) {
            return 0;
        }
        long ttl = TimeUnit.HOURS.toMillis(settings.tombstoneTtlHours());
        int total = 0;
        byte[] from = null;
        while (true) {
            lockWriter("tombstone reaper");
            try (TxState tx = writableState()) {
                WorkingSet ws = tx.workingSet();
                Iterator<WorkingSet.Stored> docs = ws.documents(from, null, false);
                List<WorkingSet.Stored> expired = new ArrayList<>();
                byte[] last = null;
                while (docs.hasNext() && expired.size() < REAP_BATCH) {
                    WorkingSet.Stored s = docs.next();
                    last = s.key();
                    if (s.document().isExpired(nowMillis, ttl)) {
                        expired.add(s);
                    }
                }
                boolean more = docs.hasNext();
                ws.closeCursors();
                for (WorkingSet.Stored s : expired) {
                    int[] pos = {0};
                    String collection = new String(KeyCodec.readEscaped(s.key(), pos), StandardCharsets.UTF_8);
                    ws.removeDocument(collection, s.key(), s.document().id());
                }
                commit(tx);
                total += expired.size();
                if (!more || last == null) {
                    return total;
                }
                from = Keys.withByte(last, 0);
            } catch (RuntimeException e) {
                throw translate(e);
            } finally {
                writer.unlock();
            }
        }
    }

    /**
     * Logs the transactions open longer than {@code TRANSACTION_DURATION_BEFORE_LOGGING_MS}; the
     * scheduler calls this every second.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the messages logged
     */
    List<String> checkLongTransactions(long nowNanos) {
        return monitor.check(nowNanos, settings.transactionDurationBeforeLoggingMs());
    }

    /**
     * Stops the store: refuses new transactions (the instance already reports CLOSED), waits up
     * to {@value #CLOSE_DRAIN_MILLIS} ms for the running read-write transaction to end, stops
     * the maintenance tasks and closes the hub. The caller then flushes and closes the storage.
     * Idempotent.
     */
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        for (ScheduledFuture<?> task : tasks) {
            task.cancel(false);
        }
        boolean drained = false;
        try {
            drained = writer.tryLock(CLOSE_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        if (!drained) {
            Logger.warn("store: a read-write transaction was still running {} ms after close began; closing anyway"
                    + " (its commit will fail)", CLOSE_DRAIN_MILLIS);
        }
        try {
            hub.close();
        } catch (Throwable t) {
            Logger.error(t, "store: closing the live queries failed");
        } finally {
            if (drained) {
                writer.unlock();
            }
        }
    }

    // ---- internals used by statements and transactions ------------------------------------------

    /**
     * Reads the stored state of one document at the latest commit, tombstones included.
     *
     * @return the document, or null if there is no local copy (never written, evicted or reaped)
     */
    CrdtDocument readDocument(String collection, Object id) {
        try (TxState tx = readOnlyState()) {
            return tx.workingSet().document(Keys.documentKey(Keys.collectionPrefix(collection), id));
        }
    }

    /** Returns the compiled pipeline of a SELECT, compiled once per distinct statement. */
    SelectExecutor selectExecutor(Statement.Select select) {
        SameStatement key = new SameStatement(select);
        SelectExecutor e = executors.get(key);
        if (e == null) {
            e = SelectExecutor.of(select);
            if (executors.size() >= MAX_CACHED_EXECUTORS) {
                executors.clear();
            }
            executors.put(key, e);
        }
        return e;
    }

    /**
     * A statement compared by identity: the {@link DqlCache} hands out one instance per text, so
     * identity finds the compiled pipeline without hashing the whole syntax tree.
     */
    private record SameStatement(Statement.Select select) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SameStatement s && s.select == select;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(select);
        }
    }

    /** Returns the rows of a virtual collection as the transaction sees it. */
    List<Map<String, Object>> virtualCollection(String name, TxState tx) {
        if (name.equals("system:indexes")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (IndexDef d : tx.catalog().all()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("_id", d.collection() + "." + d.name());
                row.put("collection", d.collection());
                row.put("name", d.name());
                row.put("fields", List.of(d.pathText()));
                rows.add(Collections.unmodifiableMap(row));
            }
            return rows;
        }
        requireVirtualCollection(name);
        return virtualCollections.get(name).get();
    }

    /** Throws a clear error unless {@code name} is a known virtual collection. */
    void requireVirtualCollection(String name) {
        if (!name.equals("system:indexes") && !virtualCollections.containsKey(name)) {
            List<String> known = new ArrayList<>(virtualCollections.keySet());
            known.add("system:indexes");
            Collections.sort(known);
            throw new DittoException(ErrorCode.QUERY_COMPILATION, "collection " + name
                    + " does not exist: system: collections are virtual and the known ones are " + known);
        }
    }

    /** Runs one statement in an explicit transaction. */
    QueryResult executeIn(TransactionImpl tx, String dql, Map<String, ?> args) {
        Statement statement = cache.parse(dql);
        if (tx.info().isReadOnly() && !statement.isReadOnly()) {
            throw new DittoException(ErrorCode.READ_ONLY_TRANSACTION, "transaction " + tx.info().id()
                    + " is read-only: cannot run " + statement.kind().name().replace('_', ' '));
        }
        EvalContext ctx = EvalContext.of(args);
        if (statement.kind() == Statement.Kind.ALTER_SYSTEM) {
            settings.execute(statement, ctx);
            return Results.empty(OptionalLong.empty());
        }
        try {
            Statements.Outcome outcome = tx.state().run(statement, ctx);
            if (outcome.mutation()) {
                return Results.ofMutation(outcome.mutatedIds(), OptionalLong.empty());
            }
            WorkingSet ws = tx.state().workingSet();
            return Results.ofRows(outcome.rows(), ws.isDirty() ? OptionalLong.empty() : OptionalLong.of(ws.sequence()));
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Throws {@link ErrorCode#CLOSED} if the instance is closed (or closing): nothing new may start. */
    void checkOpen() {
        checkOpen.run();
        if (closing) {
            throw new DittoException(ErrorCode.CLOSED, "store: the Ditto instance is closed");
        }
    }

    /**
     * Throws {@link ErrorCode#CLOSED} once the store has closed. A transaction that was running
     * when close began may go on (close drains it) until then.
     */
    void checkNotClosed() {
        if (closed) {
            checkOpen.run();
            throw new DittoException(ErrorCode.CLOSED, "store: the Ditto instance is closed");
        }
    }

    private TransactionImpl begin(TransactionOptions options) {
        checkOpen();
        TransactionInfo info = new TransactionInfo(UUID.randomUUID().toString(), java.util.Optional.ofNullable(
                options.hint()), options.isReadOnly());
        TxState state;
        if (options.isReadOnly()) {
            state = readOnlyState();
        } else {
            lockWriter("store.transaction");
            try {
                state = writableState();
            } catch (RuntimeException | Error e) {
                writer.unlock();
                throw e;
            }
        }
        TransactionImpl tx = new TransactionImpl(this, state, info);
        monitor.register(tx, info, System.nanoTime());
        return tx;
    }

    /** Commits (if asked) or rolls back, and in every case ends the transaction. */
    private void finish(TransactionImpl tx, boolean commit) {
        try {
            if (commit && !tx.info().isReadOnly()) {
                checkNotClosed();
                commit(tx.state());
            }
        } catch (RuntimeException e) {
            throw translate(e);
        } finally {
            tx.complete();
            monitor.unregister(tx);
            tx.state().close();
            if (!tx.info().isReadOnly()) {
                writer.unlock();
            }
        }
    }

    /**
     * Commits a read-write transaction's writes (the writer lock is held) and publishes the
     * commit; returns its commit id, or the id of the state read when nothing was written.
     */
    private long commit(TxState tx) {
        return commit(tx, Durability.SYNC);
    }

    /**
     * Commits as {@link #commit(TxState)} with a chosen durability. The change log entries are
     * keyed by the commit id the storage will assign: one more than the snapshot's, since the
     * snapshot was taken under the writer lock and every commit takes that lock.
     */
    long commit(TxState tx, Durability durability) {
        WorkingSet ws = tx.workingSet();
        if (!ws.isDirty()) {
            return ws.sequence();
        }
        long expected = ws.sequence() + 1;
        Set<String> evicted = ws.recordChanges(expected);
        ws.put(Keys.META, Keys.META_HLC, Keys.longValue(clock.current()));
        WriteBatch batch = ws.toBatch(settings.documentSizeHardLimitBytes());
        long sequence = commitToStorage(storage, batch, durability);
        if (sequence != expected) {
            Logger.warn("store: the storage numbered commit {} where {} was expected; change log entries carry {}"
                    + " (still in commit order)", sequence, expected, expected);
        }
        ws.publishTo(documents);
        if (tx.catalogChanged()) {
            catalog = tx.catalog();
        }
        Map<String, Set<Object>> changed = ws.changedIds();
        if (!changed.isEmpty()) {
            CommitEvent event = new CommitEvent(sequence, changed);
            try {
                hub.onCommit(event);
            } catch (Throwable t) {
                Logger.error(t, "store: publishing commit {} to the live queries failed", sequence);
            }
            ReplicationEvent replicated = new ReplicationEvent(event, evicted);
            for (Consumer<ReplicationEvent> listener : replicationListeners) {
                try {
                    listener.accept(replicated);
                } catch (Throwable t) {
                    Logger.error(t, "store: a replication listener failed on commit {}", sequence);
                }
            }
        }
        return sequence;
    }

    private static long commitToStorage(Storage storage, WriteBatch batch) {
        return commitToStorage(storage, batch, Durability.SYNC);
    }

    private static long commitToStorage(Storage storage, WriteBatch batch, Durability durability) {
        try {
            return storage.commit(batch, durability);
        } catch (DittoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DittoException(ErrorCode.STORE, "store: the storage failed to commit: " + e, e);
        }
    }

    TxState readOnlyState() {
        ditto.api.spi.storage.Snapshot snapshot;
        try {
            snapshot = storage.snapshot();
        } catch (RuntimeException e) {
            throw translate(WorkingSet.storageFailure("snapshot", e));
        }
        return newState(snapshot, false);
    }

    TxState writableState() {
        ditto.api.spi.storage.Snapshot snapshot;
        try {
            snapshot = storage.snapshot();
        } catch (RuntimeException e) {
            throw translate(WorkingSet.storageFailure("snapshot", e));
        }
        return newState(snapshot, true);
    }

    private TxState newState(ditto.api.spi.storage.Snapshot snapshot, boolean writable) {
        WorkingSet ws = new WorkingSet(snapshot, documents, writable);
        try {
            return new TxState(this, ws, catalogFor(ws));
        } catch (RuntimeException | Error e) {
            ws.close();
            throw e;
        }
    }

    /** Returns the index catalog a working set's snapshot shows. */
    private IndexCatalog catalogFor(WorkingSet ws) {
        byte[] v = ws.get(Keys.META, Keys.META_CATALOG);
        long version = v == null ? 0 : Keys.longOf(v, "catalog version");
        IndexCatalog published = catalog;
        if (published.version() == version) {
            return published;
        }
        IndexCatalog loaded = IndexCatalog.load(version, ws.entries(Keys.INDEX_DEFS, null, null));
        ws.closeCursors();
        return loaded;
    }

    /** Takes the writer lock, waiting in turn; fails with CLOSED once the instance closes. */
    void lockWriter(String operation) {
        if (writer.isHeldByCurrentThread()) {
            throw new DittoException(ErrorCode.UNSUPPORTED, operation + ": this thread is inside a read-write"
                    + " transaction of the same store; run the statement through that Transaction (a second"
                    + " read-write transaction would wait for the first forever)");
        }
        try {
            while (true) {
                checkOpen();
                if (writer.tryLock(LOCK_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    try {
                        checkOpen();
                    } catch (RuntimeException e) {
                        writer.unlock();
                        throw e;
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DittoException(ErrorCode.INTERNAL, operation + ": interrupted while waiting for the"
                    + " running read-write transaction to end", e);
        }
    }

    /**
     * Reports a storage that was closed under a statement as the instance's CLOSED error and any
     * non-Ditto exception (a bug) as INTERNAL; storage plug-in failures arrive here already as
     * STORE (see {@link WorkingSet#storageFailure}).
     */
    RuntimeException translate(RuntimeException e) {
        if (e instanceof DittoException d) {
            if (d.code() == ErrorCode.CLOSED) {
                checkOpen.run();
            }
            return d;
        }
        return new DittoException(ErrorCode.INTERNAL, "store: unexpected failure: " + e, e);
    }
}
