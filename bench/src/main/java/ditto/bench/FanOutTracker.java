package ditto.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * W10's bookkeeping: the start time of every write of every client and, per receiving client,
 * how far it has seen each other client's writes, with the latency of each (write, receiver)
 * delivery.
 *
 * <p>Every client writes versions {@code 1, 2, 3, …} of its own document (its sequence number
 * {@code seq}). A receiver that sees version {@code m} of writer {@code w} has the effect of every
 * write of {@code w} up to {@code m} (a later version of one document supersedes the earlier
 * ones), so it completes all of them at that moment, as W6 does: a delivery's latency runs from
 * just before the write call on the writer to the first moment the receiver saw that version or
 * a later one. Versions a receiver never saw separately (coalesced by sync or by its observer)
 * are thus counted with their real, longer latency, never dropped; {@link #states()} counts how
 * many distinct versions the receivers saw. The hub (the server, or the relay) is tracked the
 * same way but apart ({@link #observedAtHub}): its latencies are the fan-in leg alone and it
 * counts in no total.
 *
 * <p>Thread-safe: writers record on their own threads ({@link #started}, {@link #finished}); each
 * receiver's observations arrive serially (one observer or one socket reader per receiver) and
 * lock only that receiver; the totals are read by the harness after the run.
 */
final class FanOutTracker {

    private final int clients;
    private final int capacity;
    private final AtomicLongArray[] starts;
    private final AtomicLongArray finalSeq;
    private final Receiver[] receivers;
    private final Receiver hub;

    /** What one receiving client (or the hub) has seen of every writer. */
    private static final class Receiver {
        final long[] seen;
        final Latencies latency = new Latencies();
        long delivered;
        long states;
        long unstamped;
        long lastNanos;

        Receiver(int clients) {
            seen = new long[clients];
        }
    }

    /**
     * Creates the bookkeeping for a run.
     *
     * @param clients how many clients write and receive, at least 2
     * @param capacity the most writes one client may make in the run, at least 1
     * @throws IllegalArgumentException for fewer than 2 clients or a capacity below 1
     */
    FanOutTracker(int clients, int capacity) {
        if (clients < 2 || capacity < 1) {
            throw new IllegalArgumentException("fan-out tracker: needs at least 2 clients and a capacity of 1 write,"
                    + " got " + clients + " clients and capacity " + capacity);
        }
        this.clients = clients;
        this.capacity = capacity;
        this.starts = new AtomicLongArray[clients];
        this.receivers = new Receiver[clients];
        for (int i = 0; i < clients; i++) {
            starts[i] = new AtomicLongArray(capacity + 1);
            receivers[i] = new Receiver(clients);
        }
        this.finalSeq = new AtomicLongArray(clients);
        this.hub = new Receiver(clients);
    }

    /** Returns the number of clients. */
    int clients() {
        return clients;
    }

    /** Returns the most writes one client may make. */
    int capacity() {
        return capacity;
    }

    /**
     * Records that {@code writer} starts its write {@code seq} now; call just before the write.
     *
     * @throws IllegalArgumentException if {@code seq} is outside 1…{@link #capacity()}
     */
    void started(int writer, long seq, long nanos) {
        if (seq < 1 || seq > capacity) {
            throw new IllegalArgumentException("fan-out tracker: write " + seq + " of client " + writer
                    + " is outside 1.." + capacity);
        }
        starts[writer].set((int) seq, nanos);
    }

    /** Records that {@code writer} made {@code lastSeq} writes in all (it wrote 1…lastSeq). */
    void finished(int writer, long lastSeq) {
        finalSeq.set(writer, lastSeq);
    }

    /**
     * Records that {@code receiver} sees version {@code seq} of {@code writer}'s document at
     * {@code nanos}: completes every write of that writer up to {@code seq} not completed yet.
     * A receiver's own writes and versions it has already passed are ignored.
     */
    void observed(int receiver, int writer, long seq, long nanos) {
        if (receiver != writer) {
            record(receivers[receiver], writer, seq, nanos);
        }
    }

    /**
     * Records that the hub (the server all clients sync through) sees version {@code seq} of
     * {@code writer}'s document at {@code nanos}, as {@link #observed} does for a client.
     */
    void observedAtHub(int writer, long seq, long nanos) {
        record(hub, writer, seq, nanos);
    }

    /** Returns the hub's latency samples (write → hub) in a new recorder. */
    Latencies hubLatencies() {
        Latencies copy = new Latencies();
        copy.addAll(hub.latency);
        return copy;
    }

    private void record(Receiver r, int writer, long seq, long nanos) {
        if (writer < 0 || writer >= clients) {
            return;
        }
        synchronized (r) {
            long prev = r.seen[writer];
            if (seq <= prev) {
                return;
            }
            long top = Math.min(seq, capacity);
            for (long s = prev + 1; s <= top; s++) {
                long start = starts[writer].get((int) s);
                if (start == 0) {
                    r.unstamped++;
                } else {
                    r.latency.record(nanos - start);
                }
            }
            r.delivered += top - prev;
            r.seen[writer] = top;
            r.states++;
            r.lastNanos = Math.max(r.lastNanos, nanos);
        }
    }

    /** Whether every receiver has seen every other writer's last write (after {@link #finished}). */
    boolean complete() {
        return lost() == 0;
    }

    /** Returns the (write, receiver) deliveries expected: each write reaches every other client. */
    long expected() {
        long writes = writes();
        return writes * (clients - 1);
    }

    /** Returns the writes made by all clients, as recorded by {@link #finished}. */
    long writes() {
        long sum = 0;
        for (int w = 0; w < clients; w++) {
            sum += finalSeq.get(w);
        }
        return sum;
    }

    /** Returns the deliveries completed so far (each (write, receiver) pair once). */
    long delivered() {
        long sum = 0;
        for (Receiver r : receivers) {
            synchronized (r) {
                sum += r.delivered;
            }
        }
        return sum;
    }

    /** Returns the expected deliveries that have not happened (yet): writes receivers have not seen. */
    long lost() {
        long sum = 0;
        for (int i = 0; i < clients; i++) {
            Receiver r = receivers[i];
            synchronized (r) {
                for (int w = 0; w < clients; w++) {
                    if (w != i) {
                        sum += Math.max(0, finalSeq.get(w) - r.seen[w]);
                    }
                }
            }
        }
        return sum;
    }

    /** Returns how many distinct versions the receivers saw (at most {@link #delivered()}). */
    long states() {
        long sum = 0;
        for (Receiver r : receivers) {
            synchronized (r) {
                sum += r.states;
            }
        }
        return sum;
    }

    /** Returns deliveries whose start time was not visible to the receiver (no latency sample); 0 normally. */
    long unstamped() {
        long sum = 0;
        for (Receiver r : receivers) {
            synchronized (r) {
                sum += r.unstamped;
            }
        }
        return sum;
    }

    /** Returns the time of the last delivery seen by any receiver, or 0 if none. */
    long lastDeliveryNanos() {
        long last = 0;
        for (Receiver r : receivers) {
            synchronized (r) {
                last = Math.max(last, r.lastNanos);
            }
        }
        return last;
    }

    /** Returns every receiver's latency samples pooled in a new recorder. */
    Latencies latencies() {
        Latencies all = new Latencies();
        for (Receiver r : receivers) {
            all.addAll(r.latency);
        }
        return all;
    }
}
