package ditto.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class SimClockTest {

    @Test
    void startsAtTheDefaultEpochAndMovesOnlyWhenAdvanced() {
        SimClock clock = new SimClock();

        assertEquals(SimClock.DEFAULT_START_MILLIS, clock.millis());
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), clock.asInstantSource().instant());
        clock.advance(1500);

        assertEquals(SimClock.DEFAULT_START_MILLIS + 1500, clock.millis());
        assertEquals(1500, clock.elapsedMillis());
        assertEquals(clock.millis(), clock.asLongSupplier().getAsLong());
        assertEquals(clock.millis(), clock.asInstantSource().millis());
    }

    @Test
    void firesTimersInDueOrderAndTiesInInsertionOrder() {
        SimClock clock = new SimClock(0);
        List<String> fired = new ArrayList<>();
        clock.schedule(30, () -> fired.add("c@" + clock.millis()));
        clock.schedule(10, () -> fired.add("a1@" + clock.millis()));
        clock.schedule(20, () -> fired.add("b@" + clock.millis()));
        clock.schedule(10, () -> fired.add("a2@" + clock.millis()));
        clock.scheduleAt(10, () -> fired.add("a3@" + clock.millis()));

        clock.advance(25);

        assertEquals(List.of("a1@10", "a2@10", "a3@10", "b@20"), fired);
        assertEquals(25, clock.millis());
        assertEquals(1, clock.pendingTimers());
        assertEquals(OptionalLong.of(30), clock.nextTimerMillis());
        clock.advanceTo(30);
        assertEquals("c@30", fired.get(4));
        assertEquals(0, clock.pendingTimers());
    }

    @Test
    void timersScheduledWhileFiringRunInTheSameAdvanceWhenDue() {
        SimClock clock = new SimClock(0);
        List<String> fired = new ArrayList<>();
        clock.schedule(10, () -> {
            fired.add("first@" + clock.millis());
            clock.schedule(0, () -> fired.add("zero@" + clock.millis()));
            clock.schedule(5, () -> fired.add("five@" + clock.millis()));
            clock.schedule(100, () -> fired.add("late@" + clock.millis()));
        });

        clock.advance(20);

        assertEquals(List.of("first@10", "zero@10", "five@15"), fired);
        assertEquals(1, clock.pendingTimers());
    }

    @Test
    void advanceByZeroRunsTimersDueNow() {
        SimClock clock = new SimClock(0);
        int[] runs = {0};
        clock.schedule(0, () -> runs[0]++);

        clock.advance(0);

        assertEquals(1, runs[0]);
    }

    @Test
    void cancelledTimersNeverRun() {
        SimClock clock = new SimClock(0);
        List<String> fired = new ArrayList<>();
        SimClock.Timer cancelled = clock.schedule(10, () -> fired.add("cancelled"));
        SimClock.Timer kept = clock.schedule(10, () -> fired.add("kept"));

        assertTrue(cancelled.cancel());
        assertFalse(cancelled.cancel(), "cancel is idempotent");
        assertEquals(1, clock.pendingTimers());
        clock.advance(10);

        assertEquals(List.of("kept"), fired);
        assertFalse(kept.isPending());
        assertFalse(kept.cancel(), "a fired timer cannot be cancelled");
        assertEquals(OptionalLong.empty(), clock.nextTimerMillis());
    }

    @Test
    void refusesToGoBackwardsOrScheduleInThePast() {
        SimClock clock = new SimClock(100);

        DittoException back = assertThrows(DittoException.class, () -> clock.advance(-1));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, back.code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class, () -> clock.advanceTo(99)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> clock.schedule(-5, () -> { })).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> clock.scheduleAt(99, () -> { })).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> clock.schedule(Long.MAX_VALUE, () -> { })).code());
        assertEquals(100, clock.millis());
    }

    @Test
    void refusesToAdvanceFromInsideATimer() {
        SimClock clock = new SimClock(0);
        List<DittoException> errors = new ArrayList<>();
        clock.schedule(1, () -> {
            try {
                clock.advance(1);
            } catch (DittoException e) {
                errors.add(e);
            }
        });

        clock.advance(5);

        assertEquals(1, errors.size());
        assertEquals(ErrorCode.INTERNAL, errors.get(0).code());
        assertEquals(5, clock.millis());
    }

    @Test
    void aThrowingTimerStopsTheAdvanceAtItsDueTimeAndLeavesLaterTimersPending() {
        SimClock clock = new SimClock(0);
        List<String> fired = new ArrayList<>();
        clock.schedule(10, () -> {
            throw new IllegalStateException("boom");
        });
        clock.schedule(20, () -> fired.add("later"));

        assertThrows(IllegalStateException.class, () -> clock.advance(30));

        assertEquals(10, clock.millis());
        assertEquals(1, clock.pendingTimers());
        clock.advance(20);
        assertEquals(List.of("later"), fired);
    }

    @Test
    void nodeViewsAreSkewedAndCanJumpBackwardsWhileSharedTimeMovesOn() {
        SimClock clock = new SimClock(1_000_000);
        SimClock.NodeClock fast = clock.forNode(600_000);
        SimClock.NodeClock slow = clock.forNode(-600_000);

        assertEquals(1_600_000, fast.millis());
        assertEquals(400_000, slow.millis());
        clock.advance(1000);
        assertEquals(1_601_000, fast.millis());
        assertEquals(401_000, slow.millis());

        long before = fast.millis();
        fast.jump(-5000);

        assertEquals(before - 5000, fast.millis(), "a backward jump makes this node's readings go back");
        assertEquals(595_000, fast.skewMillis());
        assertEquals(1_001_000, clock.millis(), "shared time is unaffected");
        assertEquals(fast.millis(), fast.asLongSupplier().getAsLong());
        assertEquals(Instant.ofEpochMilli(fast.millis()), fast.asInstantSource().instant());
        slow.setSkewMillis(0);
        assertEquals(clock.millis(), slow.millis());
        assertSame(clock, slow.base());
    }
}
