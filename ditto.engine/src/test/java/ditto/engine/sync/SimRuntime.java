package ditto.engine.sync;

import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

import ditto.testkit.sim.SimClock;

/**
 * The sync runtime of one simulated peer: a trampoline on the test thread (a task submitted while
 * none runs runs at once, one submitted from inside a task runs after it), the peer's skewed view
 * of the simulation clock, timers on that clock, and a seeded generator. A task that throws fails
 * the test: the exception is rethrown (wrapped) once the trampoline has drained, so it comes out
 * of the {@code SimNetwork} call that triggered it.
 */
final class SimRuntime implements SyncRuntime {

    private final SimClock clock;
    private final SimClock.NodeClock node;
    private final RandomGenerator random;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean closed;

    SimRuntime(SimClock.NodeClock node, RandomGenerator random) {
        this.clock = node.base();
        this.node = node;
        this.random = random;
    }

    @Override
    public long nowMillis() {
        return node.millis();
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            return;
        }
        queue.add(task);
        if (draining) {
            return;
        }
        draining = true;
        RuntimeException failure = null;
        try {
            Runnable next;
            while ((next = queue.poll()) != null) {
                try {
                    next.run();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        } finally {
            draining = false;
        }
        if (failure != null) {
            throw new IllegalStateException("a sync task failed: " + failure, failure);
        }
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        SimClock.Timer t = clock.schedule(Math.max(0, delayMillis), () -> execute(task));
        return t::cancel;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    /** Tells whether nothing waits to run. */
    boolean isQuiet() {
        return queue.isEmpty() && !draining;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
    }
}
