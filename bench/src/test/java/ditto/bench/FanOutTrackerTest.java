package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FanOutTrackerTest {

    @Test
    void aLaterVersionCompletesEveryEarlierWriteWithItsOwnLatency() {
        // given client 0 that wrote versions 1..3 at 100, 200 and 300 ns, and a receiver 1 of three clients
        FanOutTracker tracker = new FanOutTracker(3, 10);
        tracker.started(0, 1, 100);
        tracker.started(0, 2, 200);
        tracker.started(0, 3, 300);
        tracker.finished(0, 3);

        // when receiver 1 first sees version 3 at 1,300 ns
        tracker.observed(1, 0, 3, 1_300);

        // then all three writes are delivered to it, with latencies 1,200, 1,100 and 1,000 ns, in one state seen
        assertEquals(3, tracker.delivered());
        assertEquals(1, tracker.states());
        Latencies latency = tracker.latencies();
        assertEquals(3, latency.count());
        assertEquals(0.0012, latency.percentileMillis(100), 0.000_01);
        assertEquals(0.001, latency.percentileMillis(0), 0.000_01);
        // and receiver 2 still misses all three: 3 of 6 expected deliveries are lost
        assertEquals(6, tracker.expected());
        assertEquals(3, tracker.lost());
        assertFalse(tracker.complete());
    }

    @Test
    void ownWritesRepeatsAndOlderVersionsAreIgnored() {
        // given two clients; client 0 wrote two versions
        FanOutTracker tracker = new FanOutTracker(2, 5);
        tracker.started(0, 1, 10);
        tracker.started(0, 2, 20);
        tracker.finished(0, 2);
        tracker.finished(1, 0);

        // when client 0 sees its own document, and client 1 sees version 2, then 2 again, then 1
        tracker.observed(0, 0, 2, 50);
        tracker.observed(1, 0, 2, 60);
        tracker.observed(1, 0, 2, 70);
        tracker.observed(1, 0, 1, 80);

        // then only client 1's first observation counts, and everything expected arrived
        assertEquals(2, tracker.delivered());
        assertEquals(1, tracker.states());
        assertEquals(2, tracker.expected());
        assertEquals(0, tracker.lost());
        assertTrue(tracker.complete());
        assertEquals(60, tracker.lastDeliveryNanos());
    }

    @Test
    void versionsWithoutAStartAreCountedAsUnstampedNotAsSamples() {
        // given a write whose start time was never recorded (version 1) and one that was (version 2)
        FanOutTracker tracker = new FanOutTracker(2, 5);
        tracker.started(0, 2, 20);
        tracker.finished(0, 2);

        // when the receiver sees version 2
        tracker.observed(1, 0, 2, 100);

        // then both are delivered, one sample is recorded and one delivery is unstamped
        assertEquals(2, tracker.delivered());
        assertEquals(1, tracker.latencies().count());
        assertEquals(1, tracker.unstamped());
    }

    @Test
    void theHubIsTrackedApartFromTheClients() {
        // given a write of client 0 seen by the hub only
        FanOutTracker tracker = new FanOutTracker(2, 5);
        tracker.started(0, 1, 1_000);
        tracker.finished(0, 1);

        // when the hub sees it
        tracker.observedAtHub(0, 1, 3_000);

        // then the hub has one sample of 2,000 ns and no client delivery counts it
        assertEquals(1, tracker.hubLatencies().count());
        assertEquals(0.002, tracker.hubLatencies().p50Millis(), 0.000_01);
        assertEquals(0, tracker.delivered());
        assertEquals(1, tracker.lost());
    }

    @Test
    void refusesTooFewClientsAndWritesOutsideTheCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new FanOutTracker(1, 5));
        assertThrows(IllegalArgumentException.class, () -> new FanOutTracker(2, 0));
        FanOutTracker tracker = new FanOutTracker(2, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tracker.started(1, 6, 1));
        assertTrue(e.getMessage().contains("write 6 of client 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tracker.started(1, 0, 1));
    }
}
