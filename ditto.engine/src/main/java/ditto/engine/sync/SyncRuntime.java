package ditto.engine.sync;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import org.tinylog.Logger;

/**
 * Where the sync engine's state machine runs: one serial executor (tasks run one at a time, in
 * submission order, never concurrently), timers that run their task on that executor, the
 * clock the engine reads and the randomness it draws. Production uses {@link #threaded}: one
 * daemon thread per instance. A simulation supplies the test thread, a virtual clock and a
 * seeded generator, which is what makes a run replayable.
 */
public interface SyncRuntime extends Executor, AutoCloseable {

    /** A scheduled task that can still be cancelled. */
    interface Timer {
        /** Cancels the task if it has not run; idempotent. */
        void cancel();
    }

    /**
     * Returns the current time of this runtime's clock.
     *
     * @return epoch milliseconds
     */
    long nowMillis();

    /**
     * Runs a task on the serial executor: later, or at once if the caller is a trampoline that
     * is not running a task; never concurrently with another task of this runtime. Does
     * nothing after {@link #close()}.
     *
     * @param task the task, never null; its exceptions are logged, not propagated
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs a task on the serial executor after a delay of this runtime's clock.
     *
     * @param delayMillis the delay, zero or more
     * @param task the task, never null
     * @return the timer, never null
     */
    Timer schedule(long delayMillis, Runnable task);

    /**
     * Returns the generator the engine draws from (jitter); only used on the executor.
     *
     * @return the generator, never null
     */
    RandomGenerator random();

    /** Stops running tasks: the running one finishes, pending ones may be dropped. Idempotent. */
    @Override
    void close();

    /**
     * Returns the production runtime: one daemon thread named {@code ditto-sync-N}, the system
     * clock and a securely seeded generator.
     *
     * @param owner how the log names the instance
     * @return a new runtime, never null
     */
    static SyncRuntime threaded(String owner) {
        return new Threaded(owner);
    }

    /** The production runtime: a one-thread scheduled executor. */
    final class Threaded implements SyncRuntime {
        private static final AtomicInteger NUMBER = new AtomicInteger();
        private final ScheduledThreadPoolExecutor executor;
        private final RandomGenerator random = new SplittableRandom(new SecureRandom().nextLong());
        private final String owner;
        private volatile Thread thread;

        Threaded(String owner) {
            this.owner = owner;
            int n = NUMBER.incrementAndGet();
            this.executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "ditto-sync-" + n);
                t.setDaemon(true);
                thread = t;
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }

        @Override
        public long nowMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void execute(Runnable task) {
            try {
                executor.execute(() -> run(task));
            } catch (RejectedExecutionException e) {
                // closed: the engine is gone, nothing left to do
            }
        }

        @Override
        public Timer schedule(long delayMillis, Runnable task) {
            try {
                ScheduledFuture<?> f = executor.schedule(() -> run(task), Math.max(0, delayMillis),
                        TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            } catch (RejectedExecutionException e) {
                return () -> { };
            }
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        /**
         * Lets the running task (perhaps a store commit) finish, drops delayed ones, and waits up
         * to 10 s. The thread is never interrupted: an interrupt during file I/O would close the
         * storage's file channel under it.
         */
        @Override
        public void close() {
            executor.shutdown();
            if (Thread.currentThread() == thread) {
                return;
            }
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    Logger.warn("sync of {}: its thread was still busy 10 s after close", owner);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run(Runnable task) {
            try {
                task.run();
            } catch (Throwable t) {
                Logger.error(t, "sync of {}: a task failed", owner);
            }
        }
    }
}
