package ditto.engine.observe;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.tinylog.Logger;

import ditto.api.Ditto;
import ditto.api.QueryResult;
import ditto.api.SignalNext;
import ditto.api.StoreObserver;
import ditto.engine.result.Results;

/**
 * One live query: accumulates the changes announced by commits and delivers results to its
 * callback one at a time.
 *
 * <pre>
 *  committing thread            this (monitor)                         delivery executor
 *  changed(ids, commit) ──▶ pending ids += ids, dirty ──schedule──▶ run(): take pending,
 *                           (unless scheduled or awaitingSignal)           evaluate, deliver,
 *  SignalNext.run() (any) ─▶ awaitingSignal = false ─schedule if dirty─▶    then again if dirty
 * </pre>
 *
 * Invariants (under the monitor): at most one task is {@code scheduled} (queued or running) per
 * observer, so callbacks never overlap and each result reflects a later state than the previous
 * one; pending changes are a bounded set of ids (beyond {@link #MAX_PENDING_IDS}, or for a
 * non-incremental query, just "run it fully") so a slow callback coalesces commits instead of
 * queueing them; in signal-next mode nothing is scheduled while {@code awaitingSignal}; once
 * {@code cancelled}, no callback starts and nothing is scheduled.
 */
final class LiveObserver implements StoreObserver {
    /** Beyond this many pending changed ids, the next evaluation reads everything again. */
    static final int MAX_PENDING_IDS = 1024;

    final long sequence;
    final LiveQuery query;
    private final ObserverHub hub;
    private final Map<String, Object> queryArguments;
    private final Evaluation evaluation;
    private final Executor executor;
    private final Consumer<QueryResult> plainHandler;
    private final BiConsumer<QueryResult, SignalNext> signalHandler;

    private volatile boolean cancelled;
    private boolean scheduled;
    private boolean awaitingSignal;
    private boolean dirty = true;
    private boolean full = true;
    private Set<Object> pendingIds = new HashSet<>();
    private long pendingCommitId = -1;
    private List<Runnable> cancelActions = new ArrayList<>();

    LiveObserver(ObserverHub hub, long sequence, LiveQuery query, Map<String, Object> queryArguments,
            QueryRunner runner, Executor executor, Consumer<QueryResult> plainHandler,
            BiConsumer<QueryResult, SignalNext> signalHandler) {
        this.hub = hub;
        this.sequence = sequence;
        this.query = query;
        this.queryArguments = queryArguments;
        this.evaluation = query.incremental ? new IncrementalEvaluation(query, runner) : new FullEvaluation(query, runner);
        this.executor = executor;
        this.plainHandler = plainHandler;
        this.signalHandler = signalHandler;
    }

    /** Schedules the first delivery (unless a commit already did). */
    void start() {
        boolean submit;
        synchronized (this) {
            submit = !cancelled && !scheduled;
            scheduled |= submit;
        }
        if (submit) {
            schedule();
        }
    }

    /**
     * Records that a commit changed documents of the observed collection; called on the
     * committing thread, so it only records and schedules.
     *
     * @param ids the changed ids; empty means "unknown which", forcing a full evaluation
     */
    void changed(Set<Object> ids, long commitId) {
        boolean submit;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            if (!full) {
                if (ids.isEmpty() || !query.incremental || pendingIds.size() + ids.size() > MAX_PENDING_IDS) {
                    full = true;
                    pendingIds = new HashSet<>();
                } else {
                    pendingIds.addAll(ids);
                }
            }
            pendingCommitId = Math.max(pendingCommitId, commitId);
            dirty = true;
            submit = !scheduled && !awaitingSignal;
            scheduled |= submit;
        }
        if (submit) {
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false;
            }
            if (!hub.isClosed() && !cancelled) {
                Logger.error(e, "live query '{}': the delivery executor refused the next evaluation", query.dql);
            }
        }
    }

    /** One delivery round on the executor: evaluate the pending changes, deliver if the result changed. */
    private void run() {
        boolean readAll;
        Set<Object> ids;
        long commitId;
        synchronized (this) {
            if (cancelled) {
                scheduled = false;
                return;
            }
            readAll = full || evaluation.needsFull();
            ids = pendingIds;
            commitId = pendingCommitId;
            full = false;
            pendingIds = new HashSet<>();
            dirty = false;
        }
        Evaluation.Outcome outcome = null;
        if (hub.evaluationStarted()) {
            try {
                outcome = evaluation.evaluate(readAll, ids, commitId);
            } catch (Throwable t) {
                evaluation.invalidate();
                if (!hub.isClosed() && !cancelled) {
                    Logger.error(t, "live query '{}': evaluation failed; the observer retries at the next change",
                            query.dql);
                }
            } finally {
                hub.evaluationEnded();
            }
        }
        if (outcome != null) {
            deliver(outcome);
        }
        boolean again;
        synchronized (this) {
            again = !cancelled && dirty && !awaitingSignal;
            scheduled = again;
        }
        if (again) {
            schedule();
        }
    }

    private void deliver(Evaluation.Outcome outcome) {
        QueryResult result = Results.ofRows(outcome.rows(), outcome.commitId());
        Signal signal = null;
        synchronized (this) {
            if (cancelled) {
                result.close();
                return;
            }
            if (signalHandler != null) {
                awaitingSignal = true;
                signal = new Signal();
            }
        }
        try {
            if (signal == null) {
                plainHandler.accept(result);
            } else {
                signalHandler.accept(result, signal);
            }
        } catch (Throwable t) {
            Logger.error(t, "live query '{}': the observer callback threw; the observer stays active", query.dql);
            if (signal != null) {
                // A callback that failed cannot be relied on to signal: release the next delivery.
                signal.run();
            }
        }
    }

    /** Called when the application runs the signal of the latest delivery. */
    private void signalled() {
        boolean submit;
        synchronized (this) {
            awaitingSignal = false;
            submit = !cancelled && dirty && !scheduled;
            scheduled |= submit;
        }
        if (submit) {
            schedule();
        }
    }

    /** The signal handed to one delivery; only its first run counts. */
    private final class Signal implements SignalNext {
        private final AtomicBoolean used = new AtomicBoolean();

        @Override
        public void run() {
            if (used.compareAndSet(false, true)) {
                signalled();
            }
        }
    }

    @Override
    public void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            pendingIds = Set.of();
            actions = cancelActions;
            cancelActions = List.of();
        }
        hub.unregister(this);
        actions.forEach(this::scheduleCancelAction);
    }

    /**
     * Runs {@code action} once, on an engine thread, when this observer is cancelled (directly or
     * by closing the instance); soon after this call if it already is. A delivery in progress may
     * still be running when the action runs; none starts afterwards. An exception from the action
     * is logged. (The hook behind completing a {@code Store.livePublisher} subscriber when the
     * instance closes; see docs/live-queries.md.)
     *
     * @param action the action, never null
     * @throws NullPointerException if {@code action} is null
     */
    @Override
    public void onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (this) {
            if (!cancelled) {
                cancelActions.add(action);
                return;
            }
        }
        scheduleCancelAction(action);
    }

    /** Runs a cancel action on the executor, or here if it no longer accepts tasks. */
    private void scheduleCancelAction(Runnable action) {
        try {
            executor.execute(() -> runCancelAction(action));
        } catch (RejectedExecutionException e) {
            runCancelAction(action);
        }
    }

    private void runCancelAction(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            Logger.error(t, "live query '{}': a cancel action threw", query.dql);
        }
    }

    @Override
    public boolean isCanceled() {
        return cancelled;
    }

    @Override
    public Ditto ditto() {
        return hub.ditto();
    }

    @Override
    public String queryString() {
        return query.dql;
    }

    @Override
    public Map<String, Object> queryArguments() {
        return queryArguments;
    }

    @Override
    public String toString() {
        return "StoreObserver[" + query.dql + (cancelled ? ", canceled]" : "]");
    }
}
