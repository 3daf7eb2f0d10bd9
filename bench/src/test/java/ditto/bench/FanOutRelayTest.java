package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FanOutRelayTest {

    @Test
    void forwardsEveryClientsMessagesToEveryOtherClientOverLoopback() throws Exception {
        // given a relay with three clients and a 300-byte payload
        FanOutTracker tracker = new FanOutTracker(3, 20);
        try (FanOutRelay relay = new FanOutRelay(new byte[300], tracker)) {
            // when every client sends 20 messages, each from its own thread
            Thread[] writers = new Thread[3];
            for (int c = 0; c < 3; c++) {
                int client = c;
                writers[c] = new Thread(() -> {
                    try {
                        for (long seq = 1; seq <= 20; seq++) {
                            tracker.started(client, seq, System.nanoTime());
                            relay.send(client, seq);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        tracker.finished(client, 20);
                    }
                });
                writers[c].start();
            }
            for (Thread w : writers) {
                w.join(10_000);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!tracker.complete() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            // then each of the 60 messages reached the two other clients, the hub saw all 60, nothing failed
            assertNull(relay.failure());
            assertTrue(tracker.complete(), "lost " + tracker.lost());
            assertEquals(120, tracker.expected());
            assertEquals(120, tracker.delivered());
            assertEquals(120, tracker.latencies().count());
            assertEquals(60, tracker.hubLatencies().count());
        }
    }
}
