package ditto.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import ditto.api.QueryResult;
import ditto.api.StoreObserver;

/**
 * W6, incremental sync: A and B (one JVM, so one clock) are synced over loopback through a
 * counting {@link LoopbackProxy}; A updates the field {@code seq} of one document at 10, 100 and
 * 1,000 updates per second (paced by the clock, no catch-up bursts); the latency of an update
 * runs from just before A's call (so it includes A's durable commit) until B's observer on that
 * document delivers a result holding that {@code seq} (B applies it durably first). Bytes per
 * update are the proxy's bytes in both directions during the run ÷ updates (acks included).
 *
 * <p>Floor peer, same pacing: a commit of the same change on SQLite A (WAL, FULL), a 16-byte
 * message over a loopback socket, and a commit on SQLite B, stamped when B's commit returns; the
 * pieces (loopback round trip, single commit) are measured separately and reported in a note.
 * Single-threaded driver; callbacks and the receiver run on their own threads.
 */
final class W6IncrementalSync {

    private static final int DOCS = 100;
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final String UPDATE = "UPDATE " + DittoSide.COLLECTION + " SET seq = :seq WHERE _id = :id";
    private static final String OBSERVED = "SELECT _id, seq FROM " + DittoSide.COLLECTION + " WHERE _id = :id";

    /** One side's repetition at one rate. */
    record Result(Latencies latency, Latencies commit, Latencies rtt, long lost, double achievedRate,
            double bytesPerUpdate) {
    }

    private W6IncrementalSync() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        List<Map<String, Object>> docs = new DataGenerator(sizes.seed()).next(DOCS);
        String target = (String) docs.get(0).get("_id");
        boolean full = sizes.name().equals("full");
        int[][] rates = {{10, full ? 60 : 20}, {100, full ? 1_000 : 300}, {1000, full ? 5_000 : 1_000}};
        AtomicLong seq = new AtomicLong(1_000_000);
        SyncNet net = null;
        String failure = null;
        try {
            net = SyncNet.open(work.resolve("w6"), 2, docs);
            net.startAll();
            DittoSide b = net.peers.get(1);
            SyncNet.await("B holds A's " + DOCS + " documents", 120, 20,
                    () -> b.query(SyncNet.SUBSCRIPTION, Map.of()).size() == DOCS);
        } catch (Exception | LinkageError e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        SyncNet synced = net;
        String openFailure = failure;
        Path floorDir = work.resolve("w6-floor");
        Files.createDirectories(floorDir);
        try {
            for (int[] rate : rates) {
                int perSecond = rate[0];
                int writes = rate[1];
                int warmups = perSecond >= 100 ? sizes.warmups() : 0;
                Pairing.Outcome<Result> out = Pairing.run("W6 incremental sync @" + perSecond + "/s", warmups,
                        sizes.reps(), round -> {
                            if (synced == null) {
                                throw new IllegalStateException("opening and syncing A and B failed: " + openFailure);
                            }
                            return ours(synced, target, perSecond, writes, seq);
                        }, round -> floor(floorDir, perSecond, writes));
                report.cost(out);
                rows(report, out, perSecond);
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    private static void rows(Report report, Pairing.Outcome<Result> out, int perSecond) {
        String at = "W6 @" + perSecond + "/s";
        Latencies ours = pooled(out.ours, Result::latency);
        Latencies floor = pooled(out.peer, Result::latency);
        Latencies floorCommit = pooled(out.peer, Result::commit);
        Latencies rtt = pooled(out.peer, Result::rtt);
        Latencies oursCommit = pooled(out.ours, Result::commit);
        double floorSum = rtt.p50Millis() + 2 * floorCommit.p50Millis();
        report.row(at + " A commit→B observer p50 vs 2 ms",
                W1DurableWrites.orNa(out, true, Report.millis(ours.p50Millis())), "2.00 ms (budget)",
                ours.p50Millis() / 2.0, Target.atMost(1.0));
        if (perSecond >= 100) {
            double budget = perSecond == 100 ? 10.0 : 50.0;
            report.row(at + " A commit→B observer p99 vs " + (int) budget + " ms",
                    W1DurableWrites.orNa(out, true, Report.millis(ours.p99Millis())),
                    Report.millis(budget) + " (budget)", ours.p99Millis() / budget, Target.atMost(1.0));
        }
        report.row(at + " p50 vs floor (RTT + 2 commits)",
                W1DurableWrites.orNa(out, true, Report.millis(ours.p50Millis())),
                W1DurableWrites.orNa(out, false, Report.millis(floorSum)), ours.p50Millis() / floorSum, null);
        report.row(at + " p99 vs floor pipeline p99",
                W1DurableWrites.orNa(out, true, Report.millis(ours.p99Millis())),
                W1DurableWrites.orNa(out, false, Report.millis(floor.p99Millis())),
                ours.p99Millis() / floor.p99Millis(), null);
        double bytes = out.oursMedian(Result::bytesPerUpdate);
        report.row(at + " wire bytes per one-field update", W1DurableWrites.orNa(out, true,
                String.format(Locale.ROOT, "%.0f B", bytes)), "150 B (budget)", bytes / 150.0, Target.atMost(1.0));
        long oursLost = out.ours.stream().mapToLong(t -> t.value().lost()).sum();
        long floorLost = out.peer.stream().mapToLong(t -> t.value().lost()).sum();
        report.note(String.format(Locale.ROOT, "%s: achieved %s updates/s ours, %s floor; samples %d ours, %d floor;"
                + " updates never seen by B within 5 s: %d ours, %d floor; A's commit p50/p99 %s/%s ours; floor pieces:"
                + " SQLite single commit p50/p99 %s/%s, loopback round trip (16 B) p50/p99 %s/%s, floor pipeline"
                + " (commit, send, commit) p50 %s",
                at, Report.rate(out.oursMedian(Result::achievedRate), "").trim(),
                Report.rate(out.peerMedian(Result::achievedRate), "").trim(), ours.count(), floor.count(), oursLost,
                floorLost, Report.millis(oursCommit.p50Millis()), Report.millis(oursCommit.p99Millis()),
                Report.millis(floorCommit.p50Millis()), Report.millis(floorCommit.p99Millis()),
                Report.millis(rtt.p50Millis()), Report.millis(rtt.p99Millis()), Report.millis(floor.p50Millis())));
        W1DurableWrites.failures(report, out);
    }

    private static Latencies pooled(List<Pairing.Timed<Result>> runs, Function<Result, Latencies> which) {
        Latencies all = new Latencies();
        for (Pairing.Timed<Result> t : runs) {
            all.addAll(which.apply(t.value()));
        }
        return all;
    }

    /** Start times of updates {@code base+1 … base+writes}; a delivery of seq m completes every update up to m. */
    private static final class Tracker {
        final long base;
        final AtomicLongArray starts;
        final AtomicLong seen;
        final Latencies latency = new Latencies();
        final Semaphore firstDelivery = new Semaphore(0);

        Tracker(long base, int writes) {
            this.base = base;
            this.starts = new AtomicLongArray(writes + 1);
            this.seen = new AtomicLong(base);
        }

        synchronized void delivered(long maxSeq, long now) {
            long prev = seen.get();
            for (long s = prev + 1; s <= maxSeq && s - base < starts.length(); s++) {
                long start = starts.get((int) (s - base));
                if (start != 0) {
                    latency.record(now - start);
                }
            }
            seen.accumulateAndGet(maxSeq, Math::max);
            firstDelivery.release();
        }

        void settle(int writes) throws InterruptedException {
            long deadline = System.nanoTime() + SETTLE_NANOS;
            while (seen.get() < base + writes && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }

        long lost(int writes) {
            return Math.max(0, base + writes - seen.get());
        }
    }

    @FunctionalInterface
    private interface Write {
        void write(int i, long seq) throws Exception;
    }

    /** Runs the paced updates; returns the achieved rate per second. */
    private static double paced(Tracker tracker, int perSecond, int writes, Latencies commit, Write write)
            throws Exception {
        long interval = 1_000_000_000L / perSecond;
        long t0 = System.nanoTime();
        long next = t0;
        for (int i = 1; i <= writes; i++) {
            long now = System.nanoTime();
            if (next > now) {
                LockSupport.parkNanos(next - now);
            }
            long start = System.nanoTime();
            tracker.starts.set(i, start);
            write.write(i, tracker.base + i);
            commit.record(System.nanoTime() - start);
            next = Math.max(next + interval, System.nanoTime());
        }
        return writes / ((System.nanoTime() - t0) / 1e9);
    }

    private static Result ours(SyncNet net, String target, int perSecond, int writes, AtomicLong seq)
            throws Exception {
        DittoSide a = net.peers.get(0);
        DittoSide b = net.peers.get(1);
        Tracker tracker = new Tracker(seq.getAndAdd(writes + 1), writes);
        AtomicReference<Throwable> callbackFailure = new AtomicReference<>();
        StoreObserver observer = b.observe(OBSERVED, Map.of("id", target), result -> {
            try (QueryResult r = result) {
                long max = tracker.base;
                for (Map<String, Object> v : r.values()) {
                    if (v.get("seq") instanceof Number n) {
                        max = Math.max(max, n.longValue());
                    }
                }
                tracker.delivered(max, System.nanoTime());
            } catch (RuntimeException e) {
                callbackFailure.compareAndSet(null, e);
                tracker.firstDelivery.release();
            }
        });
        Latencies commit = new Latencies();
        double achieved;
        long bytes0;
        long bytes1;
        try {
            if (!tracker.firstDelivery.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("W6: B's observer delivered no initial result within 10 s");
            }
            bytes0 = net.wireBytes();
            achieved = paced(tracker, perSecond, writes, commit,
                    (i, s) -> a.execute(UPDATE, Map.of("seq", s, "id", target)));
            tracker.settle(writes);
            bytes1 = net.wireBytes();
        } finally {
            observer.cancel();
        }
        if (callbackFailure.get() != null) {
            throw new IllegalStateException("W6: the observer callback failed: " + callbackFailure.get(),
                    callbackFailure.get());
        }
        return new Result(tracker.latency, commit, new Latencies(), tracker.lost(writes), achieved,
                (bytes1 - bytes0) / (double) writes);
    }

    private static Connection table(Path file) throws SQLException {
        Connection c = SqliteSide.connect(file);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS kv (id TEXT PRIMARY KEY, seq INTEGER)");
            s.execute("INSERT OR REPLACE INTO kv (id, seq) VALUES ('d', 0)");
        }
        return c;
    }

    private static Result floor(Path dir, int perSecond, int writes) throws Exception {
        Tracker tracker = new Tracker(0, writes);
        Latencies commit = new Latencies();
        double achieved;
        try (Connection ca = table(dir.resolve("a.db")); Connection cb = table(dir.resolve("b.db"));
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept(); DataInputStream in = new DataInputStream(s.getInputStream());
                        PreparedStatement up = cb.prepareStatement("UPDATE kv SET seq = ? WHERE id = 'd'")) {
                    s.setTcpNoDelay(true);
                    for (int i = 1; i <= writes; i++) {
                        long value = in.readLong();
                        in.readLong();
                        up.setLong(1, value);
                        up.executeUpdate();
                        tracker.delivered(value, System.nanoTime());
                    }
                } catch (IOException | SQLException e) {
                    throw new IllegalStateException("W6 floor receiver: " + e.getMessage(), e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    PreparedStatement up = ca.prepareStatement("UPDATE kv SET seq = ? WHERE id = 'd'")) {
                s.setTcpNoDelay(true);
                achieved = paced(tracker, perSecond, writes, commit, (i, value) -> {
                    up.setLong(1, value);
                    up.executeUpdate();
                    out.writeLong(value);
                    out.writeLong(0);
                    out.flush();
                });
                receiver.get(60, TimeUnit.SECONDS);
            }
        }
        return new Result(tracker.latency, commit, roundTrips(200), tracker.lost(writes), achieved, 16);
    }

    /** Times 16-byte ping-pongs over a loopback socket. */
    static Latencies roundTrips(int count) throws Exception {
        Latencies rtt = new Latencies();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept(); DataInputStream in = new DataInputStream(s.getInputStream());
                        DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                    s.setTcpNoDelay(true);
                    byte[] message = new byte[16];
                    for (int i = 0; i < count; i++) {
                        in.readFully(message);
                        out.write(message);
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("W6 echo: " + e.getMessage(), e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                s.setTcpNoDelay(true);
                byte[] message = new byte[16];
                for (int i = 0; i < count; i++) {
                    long t = System.nanoTime();
                    out.write(message);
                    out.flush();
                    in.readFully(message);
                    rtt.record(System.nanoTime() - t);
                }
            }
            echo.get(60, TimeUnit.SECONDS);
        }
        return rtt;
    }
}
