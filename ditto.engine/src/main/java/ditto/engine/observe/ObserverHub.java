package ditto.engine.observe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.tinylog.Logger;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.SignalNext;
import ditto.api.StoreObserver;
import ditto.engine.dql.Dql;
import ditto.engine.dql.DqlCache;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Statement;

/**
 * Owns every live query (store observer) of one Ditto instance: registers them, routes each
 * commit to the observers of the collections it changed, and stops them all on close.
 *
 * <pre>
 *  store (committing thread) ── onCommit(event) ──▶ observers of the changed collections
 *                                                     └─ changed(ids): record + schedule (no I/O)
 *  delivery executor ──▶ observer.run(): QueryRunner.documents(ids) or QueryRunner.select(query)
 *                                        └─ callback(result[, signalNext]) if the result changed
 * </pre>
 *
 * <p>Semantics (see {@code docs/live-queries.md}): the first result is delivered soon after
 * registration, even when empty; later results only when a commit changed the result; callbacks
 * of one observer run one at a time, each reflecting a later state than the previous one; commits
 * that arrive while a callback runs (or, with {@link SignalNext}, before the signal) are
 * coalesced into one next result. Observers whose query has no aggregate, DISTINCT, LIMIT or
 * OFFSET are maintained incrementally from the changed documents; others run their query again.
 * An exception thrown by a callback is logged and the observer stays active.
 *
 * <p>Thread-safe. {@link #onCommit} must be called in commit order, after each commit is visible
 * to {@link QueryRunner}; it only records work and returns quickly.
 */
public final class ObserverHub implements AutoCloseable {
    /** How long {@link #close()} waits for evaluations in progress (not for callbacks). */
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final Ditto ditto;
    private final QueryRunner runner;
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final DqlCache cache;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListMap<Long, LiveObserver> observers = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, Set<LiveObserver>> byCollection = new ConcurrentHashMap<>();
    private final Object evaluationLock = new Object();
    private int evaluating;
    private volatile boolean closed;

    /**
     * Creates a hub with its own statement cache.
     *
     * @param ditto the instance the observers belong to, never null
     * @param runner reads the store, never null
     * @param deliveryExecutor runs evaluations and callbacks; null for a default pool of up to
     *        four daemon threads named {@code ditto-observer-N}, shut down by {@link #close()}
     */
    public ObserverHub(Ditto ditto, QueryRunner runner, Executor deliveryExecutor) {
        this(ditto, runner, deliveryExecutor, new DqlCache());
    }

    /**
     * Creates a hub that parses with a shared statement cache.
     *
     * @param ditto the instance the observers belong to, never null
     * @param runner reads the store, never null
     * @param deliveryExecutor runs evaluations and callbacks; null for the default pool (see
     *        {@link #ObserverHub(Ditto, QueryRunner, Executor)}); an executor given here is not
     *        shut down by the hub
     * @param cache parses the queries, never null
     */
    public ObserverHub(Ditto ditto, QueryRunner runner, Executor deliveryExecutor, DqlCache cache) {
        this.ditto = Objects.requireNonNull(ditto, "ditto");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.cache = Objects.requireNonNull(cache, "cache");
        if (deliveryExecutor == null) {
            int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "ditto-observer-" + THREAD_NUMBER.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            // Each observer has at most one task queued, so the queue is bounded by the observer count.
            pool.allowCoreThreadTimeOut(true);
            this.ownExecutor = pool;
            this.executor = pool;
        } else {
            this.ownExecutor = null;
            this.executor = deliveryExecutor;
        }
    }

    /**
     * Registers a live query whose callback receives each result; the next result is delivered
     * after the callback returns. See {@code Store.registerObserver}.
     *
     * @param dql a SELECT statement, never null
     * @param args the query arguments, or null for none; copied
     * @param handler receives each result (which it then owns), never null
     * @return the active observer, never null
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} if the DQL does not parse,
     *         {@link ErrorCode#UNSUPPORTED} if it is not a SELECT, {@link ErrorCode#INVALID_ARGUMENTS}
     *         if an argument is missing or unsupported, {@link ErrorCode#CLOSED} if the hub is closed
     * @throws NullPointerException if {@code dql} or {@code handler} is null
     */
    public StoreObserver register(String dql, Map<String, ?> args, Consumer<QueryResult> handler) {
        Objects.requireNonNull(handler, "onChange");
        return register(dql, args, handler, null);
    }

    /**
     * Registers a live query with back-pressure: after each delivery nothing more is delivered
     * until the {@link SignalNext} handed to the callback runs; changes meanwhile are coalesced
     * into one next result. If the callback throws, the signal is run for it.
     *
     * @param dql a SELECT statement, never null
     * @param args the query arguments, or null for none; copied
     * @param handler receives each result and its signal, never null
     * @return the active observer, never null
     * @throws DittoException as {@link #register(String, Map, Consumer)}
     * @throws NullPointerException if {@code dql} or {@code handler} is null
     */
    public StoreObserver register(String dql, Map<String, ?> args, BiConsumer<QueryResult, SignalNext> handler) {
        Objects.requireNonNull(handler, "onChange");
        return register(dql, args, null, handler);
    }

    private StoreObserver register(String dql, Map<String, ?> args, Consumer<QueryResult> plain,
            BiConsumer<QueryResult, SignalNext> withSignal) {
        Objects.requireNonNull(dql, "dql");
        checkOpen();
        Statement statement = cache.parse(dql);
        Dql.requireSelect(statement, "registerObserver");
        Statement.Select select = (Statement.Select) statement;
        EvalContext context = EvalContext.of(args);
        context.requireParameters(select);
        LiveQuery query = new LiveQuery(dql, select, context);
        // Evaluates LIMIT and OFFSET now, so a bad argument fails here rather than in the first delivery.
        query.executor.execute(Collections.emptyIterator(), context);
        Map<String, Object> copy = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
        LiveObserver observer = new LiveObserver(this, sequence.incrementAndGet(), query, copy, runner, executor,
                plain, withSignal);
        observers.put(observer.sequence, observer);
        byCollection.compute(query.collection(), (name, set) -> {
            Set<LiveObserver> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(observer);
            return s;
        });
        if (closed) {
            observer.cancel();
            throw closedError();
        }
        observer.start();
        return observer;
    }

    /**
     * Returns the observers not yet cancelled, in registration order.
     *
     * @return an unmodifiable snapshot, never null
     */
    public List<StoreObserver> observers() {
        return List.copyOf(observers.values());
    }

    /**
     * Routes one commit to the observers of the collections it changed. Called by the store after
     * each commit is visible to reads, in commit order; records work and returns at once; never
     * throws. Does nothing after close.
     *
     * @param event what the commit changed; a collection mapped to an empty id set means "changed,
     *        ids unknown" and makes its observers run their query fully
     */
    public void onCommit(CommitEvent event) {
        if (closed) {
            return;
        }
        for (Map.Entry<String, Set<Object>> e : event.changedIdsByCollection().entrySet()) {
            Set<LiveObserver> interested = byCollection.get(e.getKey());
            if (interested == null) {
                continue;
            }
            for (LiveObserver observer : interested) {
                try {
                    observer.changed(e.getValue(), event.commitId());
                } catch (Throwable t) {
                    Logger.error(t, "live query '{}': could not record commit {}", observer.queryString(),
                            event.commitId());
                }
            }
        }
    }

    /**
     * Cancels every observer, shuts the default delivery pool down and waits (up to five
     * seconds) for evaluations in progress, so that none reads the store after this returns.
     * Callbacks already running are not waited for; none starts afterwards. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (LiveObserver observer : observers.values()) {
            observer.cancel();
        }
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        synchronized (evaluationLock) {
            while (evaluating > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    Logger.warn("live queries: {} evaluation(s) still running after close", evaluating);
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(evaluationLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Returns whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    Ditto ditto() {
        return ditto;
    }

    /** Marks an evaluation as running; false (and nothing marked) once closed. */
    boolean evaluationStarted() {
        synchronized (evaluationLock) {
            if (closed) {
                return false;
            }
            evaluating++;
            return true;
        }
    }

    void evaluationEnded() {
        synchronized (evaluationLock) {
            evaluating--;
            evaluationLock.notifyAll();
        }
    }

    void unregister(LiveObserver observer) {
        observers.remove(observer.sequence);
        byCollection.computeIfPresent(observer.query.collection(), (name, set) -> {
            set.remove(observer);
            return set.isEmpty() ? null : set;
        });
    }

    private void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private static DittoException closedError() {
        return new DittoException(ErrorCode.CLOSED, "registerObserver: the Ditto instance is closed");
    }
}
