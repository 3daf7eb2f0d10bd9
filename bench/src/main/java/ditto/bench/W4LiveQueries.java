package ditto.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteUpdateListener;

import ditto.api.QueryResult;
import ditto.api.StoreObserver;

/**
 * W4, live query latency: a live query on {@code grp = 7} (about 1 % of the documents,
 * projected to {@code _id, seq}) while a paced writer updates the field {@code seq} of one of
 * those documents at 1, 100 and 1,000 writes per second, for a bounded number of writes. The
 * latency of a write is the time from just before the writer's call until a callback delivers a
 * result holding that write's {@code seq} (so it includes the commit). Writes coalesced into one
 * delivery each count from their own start.
 *
 * <pre>
 *  writer thread                         engine / re-query thread
 *  start[i] = now; UPDATE seq = i  ───▶  result with max(seq) = m
 *  (sleeps until the next slot)          for every i ≤ m not yet seen: record(now − start[i])
 * </pre>
 *
 * <p>Ours: {@code Store.registerObserver}. Peer: SQLite's update hook
 * ({@code SQLiteConnection.addUpdateListener}) marks the table dirty; after the write returns
 * (committed) the writer signals a re-query thread, which re-runs the query on its own
 * connection and "delivers" its result: the pattern of SQLite observers such as Android Room's
 * invalidation tracker. Neither side has an index on {@code grp}: the peer re-runs the query as
 * it stands on W1's schema, as BENCHMARKS.md describes it. Because a developer could add an
 * expression index, the run also times that indexed query alone and reports it in a note. The
 * writer is paced by the clock: when a write takes longer than its slot, the next starts at once
 * (no catch-up burst), so the achieved rate is reported.
 */
final class W4LiveQueries {

    static final String DQL_OBSERVED = "SELECT _id, seq FROM bench WHERE grp = :g";
    static final String DQL_UPDATE = "UPDATE bench SET seq = :seq WHERE _id = :id";
    static final String SQL_OBSERVED = "SELECT id, json_extract(body, '$.seq') FROM docs"
            + " WHERE json_extract(body, '$.grp') = ?";
    static final String SQL_UPDATE = "UPDATE docs SET body = json_set(body, '$.seq', ?) WHERE id = ?";
    static final String SQL_INDEX = "CREATE INDEX IF NOT EXISTS docs_grp ON docs (json_extract(body, '$.grp'))";

    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * One side's repetition at one rate: write→callback latency, commit (write call) latency,
     * delivery latency (write call returned → callback), writes never delivered, achieved rate.
     */
    record Result(Latencies latency, Latencies commit, Latencies delivery, long lost, double achievedRate) {
    }

    private W4LiveQueries() {
    }

    static void run(Sizes sizes, Fixture fixture, Report report) throws Exception {
        AtomicLong seq = new AtomicLong();
        try (Connection reader = SqliteSide.connect(fixture.sqlite.file())) {
            int[][] rates = {{1, sizes.writesAt1()}, {100, sizes.writesAt100()}, {1000, sizes.writesAt1000()}};
            for (int[] rate : rates) {
                int perSecond = rate[0];
                int writes = rate[1];
                // warm up at the rate itself only where that is quick; the 1/s round would only cost time
                int warmups = perSecond >= 100 ? sizes.warmups() : 0;
                Pairing.Outcome<Result> out = Pairing.run("W4 live query @" + perSecond + "/s", warmups, sizes.reps(),
                        round -> ours(fixture, perSecond, writes, seq),
                        round -> peer(fixture, reader, perSecond, writes, seq));
                report.cost(out);
                rows(report, out, perSecond);
            }
            double indexed = indexedRequeryMillis(fixture, reader);
            report.note("W4: write→callback latency counts from just before the write call, so it includes the"
                    + " commit; the \"commit + 1 ms\" rows compare with our own median commit time at that rate; the"
                    + " peer re-runs the query (json_extract, no index) after each committed write, signalled by the"
                    + " update hook. With an expression index on grp the same re-query alone takes "
                    + Report.millis(indexed) + " (median of 20), instead of a full scan.");
        }
    }

    /** Times the observed query with an expression index on {@code grp} (created, then dropped again). */
    private static double indexedRequeryMillis(Fixture fixture, Connection reader) throws SQLException {
        fixture.sqlite.execute(SQL_INDEX);
        try {
            Tracker scratch = new Tracker(0, 0);
            List<Double> times = new ArrayList<>();
            try (PreparedStatement ps = reader.prepareStatement(SQL_OBSERVED)) {
                ps.setInt(1, Fixture.OBSERVED_GROUP);
                for (int i = 0; i < 25; i++) {
                    long t = System.nanoTime();
                    requery(ps, scratch);
                    if (i >= 5) {
                        times.add((System.nanoTime() - t) / 1e6);
                    }
                }
            }
            return Stats.median(times);
        } finally {
            fixture.sqlite.execute("DROP INDEX IF EXISTS docs_grp");
        }
    }

    private static void rows(Report report, Pairing.Outcome<Result> out, int perSecond) {
        String at = "W4 @" + perSecond + "/s";
        Latencies ours = pooled(out.ours, Result::latency);
        Latencies peer = pooled(out.peer, Result::latency);
        Latencies commits = pooled(out.ours, Result::commit);
        Latencies peerCommits = pooled(out.peer, Result::commit);
        Latencies oursDelivery = pooled(out.ours, Result::delivery);
        Latencies peerDelivery = pooled(out.peer, Result::delivery);
        report.row(at + " write→callback p50 vs re-query",
                W1DurableWrites.orNa(out, true, Report.millis(ours.p50Millis())),
                W1DurableWrites.orNa(out, false, Report.millis(peer.p50Millis())),
                out.pairedRatio(r -> r.latency().p50Millis()), Target.atMost(0.1));
        double budget = commits.p50Millis() + 1.0;
        report.row(at + " write→callback p50 vs commit + 1 ms",
                W1DurableWrites.orNa(out, true, Report.millis(ours.p50Millis())),
                W1DurableWrites.orNa(out, true, Report.millis(budget) + " (commit+1)"),
                ours.p50Millis() / budget, Target.atMost(1.0));
        if (perSecond == 1000) {
            report.row(at + " write→callback p99 vs 16 ms",
                    W1DurableWrites.orNa(out, true, Report.millis(ours.p99Millis())), "16.0 ms (budget)",
                    ours.p99Millis() / 16.0, Target.atMost(1.0));
        }
        report.row(at + " write→callback p99 vs re-query",
                W1DurableWrites.orNa(out, true, Report.millis(ours.p99Millis())),
                W1DurableWrites.orNa(out, false, Report.millis(peer.p99Millis())),
                out.pairedRatio(r -> r.latency().p99Millis()), null);
        report.row(at + " delivery p99 (write returned→callback)",
                W1DurableWrites.orNa(out, true, Report.millis(oursDelivery.p99Millis())),
                W1DurableWrites.orNa(out, false, Report.millis(peerDelivery.p99Millis())),
                out.pairedRatio(r -> r.delivery().p99Millis()), null);
        long oursLost = out.ours.stream().mapToLong(t -> t.value().lost()).sum();
        long peerLost = out.peer.stream().mapToLong(t -> t.value().lost()).sum();
        report.note(String.format(Locale.ROOT, "%s: achieved %s writes/s ours, %s peer; latency samples %d ours,"
                + " %d peer; writes never seen by a callback within 5 s: %d ours, %d peer; commit p50/p99 %s/%s ours, %s/%s peer;"
                + " delivery p50 %s ours, %s peer",
                at, Report.rate(out.oursMedian(Result::achievedRate), "").trim(),
                Report.rate(out.peerMedian(Result::achievedRate), "").trim(), ours.count(), peer.count(),
                oursLost, peerLost, Report.millis(commits.p50Millis()), Report.millis(commits.p99Millis()),
                Report.millis(peerCommits.p50Millis()), Report.millis(peerCommits.p99Millis()),
                Report.millis(oursDelivery.p50Millis()), Report.millis(peerDelivery.p50Millis())));
        W1DurableWrites.failures(report, out);
    }

    private static Latencies pooled(List<Pairing.Timed<Result>> runs, Function<Result, Latencies> which) {
        Latencies all = new Latencies();
        for (Pairing.Timed<Result> t : runs) {
            all.addAll(which.apply(t.value()));
        }
        return all;
    }

    /**
     * Tracks which writes a delivered result shows: seq values {@code base+1 … base+writes} map
     * to start times; a delivery whose highest seq is m completes every write up to m.
     */
    private static final class Tracker {
        final long base;
        final AtomicLongArray starts;
        final AtomicLongArray ends;
        final AtomicLong seen;
        final Latencies latency = new Latencies();
        final Latencies delivery = new Latencies();
        final Semaphore firstDelivery = new Semaphore(0);

        Tracker(long base, int writes) {
            this.base = base;
            this.starts = new AtomicLongArray(writes + 1);
            this.ends = new AtomicLongArray(writes + 1);
            this.seen = new AtomicLong(base);
        }

        /** Called by the delivering thread with the highest seq in the result it delivers. */
        void delivered(long maxSeq, long now) {
            long prev = seen.get();
            for (long s = prev + 1; s <= maxSeq && s - base < starts.length(); s++) {
                long start = starts.get((int) (s - base));
                if (start != 0) {
                    latency.record(now - start);
                    // 0 when the callback came before the write call returned: no delivery delay at all
                    long end = ends.get((int) (s - base));
                    delivery.record(end == 0 ? 0 : now - end);
                }
            }
            seen.accumulateAndGet(maxSeq, Math::max);
            firstDelivery.release();
        }

        boolean awaitFirst() throws InterruptedException {
            return firstDelivery.tryAcquire(10, TimeUnit.SECONDS);
        }

        long lost(int writes) {
            return Math.max(0, base + writes - seen.get());
        }

        /** Waits until every write was delivered or the settle time passed. */
        void settle(int writes) {
            long deadline = System.nanoTime() + SETTLE_NANOS;
            while (seen.get() < base + writes && System.nanoTime() < deadline) {
                LockSupport.parkNanos(200_000);
            }
        }
    }

    /** How one side performs write number {@code i} with seq value {@code seqValue}. */
    @FunctionalInterface
    private interface Writer {
        void write(int i, long seqValue) throws Exception;
    }

    /**
     * Runs the paced writes; returns the achieved rate: writes started per second, measured
     * from the first write's start to the last one's (the requested rate when the writer keeps
     * up).
     */
    private static double pacedWrites(Tracker tracker, int perSecond, int writes, Latencies commit, Writer writer)
            throws Exception {
        long period = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        long last = next;
        for (int i = 1; i <= writes; i++) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
            tracker.starts.set(i, now);
            last = now;
            writer.write(i, tracker.base + i);
            long done = System.nanoTime();
            tracker.ends.set(i, done);
            commit.record(done - now);
            next = Math.max(next + period, done);
        }
        return writes < 2 ? Double.NaN : (writes - 1) / ((last - tracker.starts.get(1)) / 1e9);
    }

    private static Result ours(Fixture fixture, int perSecond, int writes, AtomicLong seq) throws Exception {
        DittoSide d = fixture.ditto();
        List<String> targets = fixture.observedIds;
        Tracker tracker = new Tracker(seq.getAndAdd(writes), writes);
        AtomicReference<Throwable> callbackFailure = new AtomicReference<>();
        Latencies commit = new Latencies();
        double achieved;
        StoreObserver observer = d.observe(DQL_OBSERVED, Map.of("g", Fixture.OBSERVED_GROUP),
                result -> onResult(result, tracker, callbackFailure));
        try {
            if (!tracker.awaitFirst()) {
                throw new IllegalStateException("W4: the observer delivered no initial result within 10 s");
            }
            achieved = pacedWrites(tracker, perSecond, writes, commit, (i, s) ->
                    d.execute(DQL_UPDATE, Map.of("seq", s, "id", targets.get(i % targets.size()))));
            tracker.settle(writes);
        } finally {
            observer.cancel();
        }
        if (callbackFailure.get() != null) {
            throw new IllegalStateException("W4: the observer callback failed: " + callbackFailure.get(),
                    callbackFailure.get());
        }
        return new Result(tracker.latency, commit, tracker.delivery, tracker.lost(writes), achieved);
    }

    private static void onResult(QueryResult result, Tracker tracker, AtomicReference<Throwable> failure) {
        try (result) {
            long max = tracker.base;
            for (Map<String, Object> v : result.values()) {
                if (v.get("seq") instanceof Number n) {
                    max = Math.max(max, n.longValue());
                }
            }
            // stamped after reading the result, as the peer's time is stamped after reading its rows
            tracker.delivered(max, System.nanoTime());
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            tracker.firstDelivery.release();
        }
    }

    private static Result peer(Fixture fixture, Connection reader, int perSecond, int writes, AtomicLong seq)
            throws Exception {
        List<String> targets = fixture.observedIds;
        Tracker tracker = new Tracker(seq.getAndAdd(writes), writes);
        Connection writerConnection = fixture.sqlite.connection();
        SQLiteConnection hooks = writerConnection.unwrap(SQLiteConnection.class);
        AtomicBoolean dirty = new AtomicBoolean();
        SQLiteUpdateListener listener = (type, database, table, rowId) -> {
            if ("docs".equals(table)) {
                dirty.set(true);
            }
        };
        Semaphore signal = new Semaphore(0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> requeryFailure = new AtomicReference<>();
        Latencies commit = new Latencies();
        Thread requery = new Thread(() -> {
            try (PreparedStatement ps = reader.prepareStatement(SQL_OBSERVED)) {
                ps.setInt(1, Fixture.OBSERVED_GROUP);
                requery(ps, tracker); // the initial result, as an observer delivers on registration
                while (!stop.get()) {
                    if (signal.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        signal.drainPermits();
                        requery(ps, tracker);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                requeryFailure.compareAndSet(null, e);
                tracker.firstDelivery.release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-sqlite-requery");
        hooks.addUpdateListener(listener);
        double achieved;
        requery.setDaemon(true);
        requery.start();
        try (PreparedStatement update = writerConnection.prepareStatement(SQL_UPDATE)) {
            if (!tracker.awaitFirst()) {
                throw new IllegalStateException("W4: the SQLite re-query thread delivered nothing within 10 s");
            }
            achieved = pacedWrites(tracker, perSecond, writes, commit, (i, s) -> {
                update.setLong(1, s);
                update.setString(2, targets.get(i % targets.size()));
                update.executeUpdate();
                if (dirty.getAndSet(false)) {
                    signal.release();
                }
            });
            tracker.settle(writes);
        } finally {
            stop.set(true);
            hooks.removeUpdateListener(listener);
            requery.join(10_000);
        }
        if (requeryFailure.get() != null) {
            throw new IllegalStateException("W4: the SQLite re-query failed: " + requeryFailure.get(),
                    requeryFailure.get());
        }
        return new Result(tracker.latency, commit, tracker.delivery, tracker.lost(writes), achieved);
    }

    private static void requery(PreparedStatement ps, Tracker tracker) throws SQLException {
        long max = tracker.base;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getString(1);
                long s = rs.getLong(2);
                if (!rs.wasNull()) {
                    max = Math.max(max, s);
                }
            }
        }
        tracker.delivered(max, System.nanoTime());
    }
}
