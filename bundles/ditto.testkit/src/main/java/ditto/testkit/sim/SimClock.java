package ditto.testkit.sim;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Virtual time for deterministic simulations: a clock that moves only when a test moves it, and
 * timers that fire when it does.
 *
 * <p>Readings are epoch milliseconds, starting at {@link #DEFAULT_START_MILLIS}
 * (2024-01-01T00:00:00Z) unless another start is given, so that code expecting wall-clock time
 * (a hybrid logical clock, expiry checks) can read it through {@link #asLongSupplier()} or
 * {@link #asInstantSource()}. Time never goes backwards on this clock; per-node views made with
 * {@link #forNode(long)} add a skew that may change in either direction, for clock-skew tests.
 *
 * <p><b>Timers.</b> {@link #schedule(long, Runnable)} registers a task that runs when
 * {@link #advance(long)} or {@link #advanceTo(long)} moves time to or past its due time. Timers
 * run in due-time order, timers due at the same millisecond in the order they were scheduled;
 * while a timer runs, {@link #millis()} reads its due time. A task may schedule further timers:
 * those due within the same advance run in the same advance.
 *
 * <p><b>Threading.</b> Not thread-safe, by design: a simulation runs on one thread so that a run
 * is a pure function of its seed. Tasks run on the thread that advances the clock. A task that
 * throws stops the advance at that task's due time; the exception propagates and later timers
 * stay pending.
 */
public final class SimClock {

    /** The default start of virtual time: 2024-01-01T00:00:00Z, in epoch milliseconds. */
    public static final long DEFAULT_START_MILLIS = 1_704_067_200_000L;

    private final long startMillis;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.dueMillis != b.dueMillis
            ? Long.compare(a.dueMillis, b.dueMillis) : Long.compare(a.sequence, b.sequence));
    private long now;
    private long nextSequence;
    private int pending;
    private boolean advancing;

    /** Creates a clock reading {@link #DEFAULT_START_MILLIS}, with no timers. */
    public SimClock() {
        this(DEFAULT_START_MILLIS);
    }

    /**
     * Creates a clock reading a given time, with no timers.
     *
     * @param startMillis the first reading, in epoch milliseconds; any value, even negative
     */
    public SimClock(long startMillis) {
        this.startMillis = startMillis;
        this.now = startMillis;
    }

    /**
     * Returns the current virtual time.
     *
     * @return epoch milliseconds
     */
    public long millis() {
        return now;
    }

    /**
     * Returns the reading this clock started at.
     *
     * @return epoch milliseconds
     */
    public long startMillis() {
        return startMillis;
    }

    /**
     * Returns how much virtual time has passed since the clock was created.
     *
     * @return milliseconds, zero or more
     */
    public long elapsedMillis() {
        return now - startMillis;
    }

    /**
     * Returns a live view of {@link #millis()}, for code that takes a time source as a
     * {@code LongSupplier} of epoch milliseconds.
     *
     * @return the view, never null
     */
    public LongSupplier asLongSupplier() {
        return this::millis;
    }

    /**
     * Returns a live view of this clock as an {@link InstantSource}.
     *
     * @return the view, never null
     */
    public InstantSource asInstantSource() {
        return new MillisSource(this::millis);
    }

    /**
     * Schedules a task to run once after a delay of virtual time.
     *
     * @param delayMillis the delay, zero or more; a timer with delay 0 runs at the next advance,
     *        even {@code advance(0)}
     * @param task what to run, never null
     * @return the timer, which can be cancelled; never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the delay is negative or the
     *         due time overflows
     * @throws NullPointerException if {@code task} is null
     */
    public Timer schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated clock: cannot schedule a timer with negative delay "
                    + delayMillis + " ms");
        }
        long due;
        try {
            due = Math.addExact(now, delayMillis);
        } catch (ArithmeticException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated clock: delay " + delayMillis
                    + " ms overflows the clock", e);
        }
        return scheduleAt(due, task);
    }

    /**
     * Schedules a task to run once at a given virtual time.
     *
     * @param dueMillis when to run it, in epoch milliseconds; not before {@link #millis()}
     * @param task what to run, never null
     * @return the timer, which can be cancelled; never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the time is in the past
     * @throws NullPointerException if {@code task} is null
     */
    public Timer scheduleAt(long dueMillis, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (dueMillis < now) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated clock: cannot schedule a timer at "
                    + dueMillis + ", " + (now - dueMillis) + " ms in the past");
        }
        Timer timer = new Timer(this, dueMillis, nextSequence++, task);
        timers.add(timer);
        pending++;
        return timer;
    }

    /**
     * Moves time forward, running every timer that becomes due, in order.
     *
     * @param millis how far to move, zero or more
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code millis} is negative
     *         (this clock never goes back; use a {@link NodeClock} for backward jumps);
     *         {@link ErrorCode#INTERNAL} if called from inside a timer task
     */
    public void advance(long millis) {
        if (millis < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated clock: cannot advance by " + millis
                    + " ms; virtual time only moves forward (use forNode(...).jump for a backward jump)");
        }
        if (now > Long.MAX_VALUE - millis) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated clock: advancing by " + millis
                    + " ms overflows the clock");
        }
        advanceTo(now + millis);
    }

    /**
     * Moves time forward to a given reading, running every timer due up to and including it.
     *
     * @param targetMillis the new reading, in epoch milliseconds; not before {@link #millis()}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the target is in the past;
     *         {@link ErrorCode#INTERNAL} if called from inside a timer task
     */
    public void advanceTo(long targetMillis) {
        if (targetMillis < now) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated clock: cannot move back from " + now
                    + " to " + targetMillis);
        }
        if (advancing) {
            throw new DittoException(ErrorCode.INTERNAL,
                    "simulated clock: advance called from inside a timer task; schedule a timer instead");
        }
        advancing = true;
        try {
            while (true) {
                Timer next = timers.peek();
                if (next == null || next.dueMillis > targetMillis) {
                    break;
                }
                timers.poll();
                if (next.cancelled) {
                    continue;
                }
                next.fired = true;
                pending--;
                now = next.dueMillis;
                next.task.run();
            }
            now = targetMillis;
        } finally {
            advancing = false;
        }
    }

    /**
     * Returns when the earliest pending timer is due.
     *
     * @return its due time in epoch milliseconds, or empty when no timer is pending
     */
    public OptionalLong nextTimerMillis() {
        while (!timers.isEmpty() && timers.peek().cancelled) {
            timers.poll();
        }
        return timers.isEmpty() ? OptionalLong.empty() : OptionalLong.of(timers.peek().dueMillis);
    }

    /**
     * Returns how many timers are scheduled and neither fired nor cancelled.
     *
     * @return the count, zero or more
     */
    public int pendingTimers() {
        return pending;
    }

    /**
     * Returns a view of this clock for one node, whose readings are offset by a skew. The skew
     * may be changed later, in either direction, to model a node whose clock is wrong or is
     * corrected backwards; the shared virtual time and its timers are unaffected.
     *
     * @param skewMillis the initial offset added to every reading; negative for a slow clock
     * @return a new view, never null
     */
    public NodeClock forNode(long skewMillis) {
        return new NodeClock(this, skewMillis);
    }

    /**
     * A timer scheduled on a {@link SimClock}. Not thread-safe, like its clock.
     */
    public static final class Timer {
        private final SimClock clock;
        private final long dueMillis;
        private final long sequence;
        private final Runnable task;
        private boolean cancelled;
        private boolean fired;

        private Timer(SimClock clock, long dueMillis, long sequence, Runnable task) {
            this.clock = clock;
            this.dueMillis = dueMillis;
            this.sequence = sequence;
            this.task = task;
        }

        /**
         * Returns when the timer is (or was) due.
         *
         * @return epoch milliseconds
         */
        public long dueMillis() {
            return dueMillis;
        }

        /**
         * Tells whether the timer will still run.
         *
         * @return false once it ran or was cancelled
         */
        public boolean isPending() {
            return !cancelled && !fired;
        }

        /**
         * Cancels the timer so that it never runs; idempotent.
         *
         * @return true if this call cancelled it, false if it had already run or been cancelled
         */
        public boolean cancel() {
            if (!isPending()) {
                return false;
            }
            cancelled = true;
            clock.pending--;
            return true;
        }
    }

    /**
     * One node's view of a {@link SimClock}: the shared virtual time plus a skew that the test may
     * change at any moment. Readings follow the shared clock forward; {@link #jump(long)} with a
     * negative amount makes them go backwards, as a node whose clock is corrected would see.
     * Not thread-safe, like its clock.
     */
    public static final class NodeClock {
        private final SimClock base;
        private long skewMillis;

        private NodeClock(SimClock base, long skewMillis) {
            this.base = base;
            this.skewMillis = skewMillis;
        }

        /**
         * Returns the shared virtual time plus this node's skew.
         *
         * @return epoch milliseconds as this node believes them
         */
        public long millis() {
            return base.millis() + skewMillis;
        }

        /**
         * Returns the current skew.
         *
         * @return milliseconds added to the shared time; negative for a slow clock
         */
        public long skewMillis() {
            return skewMillis;
        }

        /**
         * Sets the skew.
         *
         * @param skewMillis milliseconds to add to the shared time from now on
         */
        public void setSkewMillis(long skewMillis) {
            this.skewMillis = skewMillis;
        }

        /**
         * Changes the skew by an amount: a negative amount is a backward jump of this node's
         * readings, a positive one a forward jump.
         *
         * @param deltaMillis milliseconds to add to the skew
         */
        public void jump(long deltaMillis) {
            this.skewMillis += deltaMillis;
        }

        /** Returns the shared clock this view reads, never null. */
        public SimClock base() {
            return base;
        }

        /**
         * Returns a live view of {@link #millis()} as a {@code LongSupplier} of epoch milliseconds.
         *
         * @return the view, never null
         */
        public LongSupplier asLongSupplier() {
            return this::millis;
        }

        /**
         * Returns a live view of {@link #millis()} as an {@link InstantSource}.
         *
         * @return the view, never null
         */
        public InstantSource asInstantSource() {
            return new MillisSource(this::millis);
        }
    }

    /** An {@link InstantSource} reading a supplier of epoch milliseconds; holds no state of its own. */
    private static final class MillisSource implements InstantSource {
        private final LongSupplier millis;

        MillisSource(LongSupplier millis) {
            this.millis = millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.getAsLong());
        }

        @Override
        public long millis() {
            return millis.getAsLong();
        }
    }
}
