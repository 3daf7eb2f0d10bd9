package ditto.bench;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * W3, DQL over the data set. Each repetition of a side runs, in this order: (a) the filter
 * {@code age BETWEEN 30 AND 32 AND city = :c} without an index, {@link Sizes#queries()} times
 * with the cities in turn; (b) {@code active ORDER BY score DESC LIMIT 10}, as often; (d) the
 * creation of an index on {@code city}, timed; (c) (a) again, now with the index. The index is
 * dropped (untimed) at the start of each repetition. Every returned document is decoded to a
 * {@code Map} on both sides.
 *
 * <p>Peer: SQLite with {@code json_extract} on the JSON body, and for (c)/(d) the expression
 * index {@code docs_city ON docs (json_extract(body, '$.city'))}. Ceiling: the same filters over
 * the pre-parsed documents in memory (no storage, no decoding), the best any store could do.
 * Results are checked against the ceiling's: a side returning other documents is reported as a
 * wrong result, not as fast.
 */
final class W3Queries {

    static final String DQL_A = "SELECT * FROM bench WHERE age BETWEEN 30 AND 32 AND city = :c";
    static final String DQL_B = "SELECT * FROM bench WHERE active ORDER BY score DESC LIMIT 10";
    static final String DQL_CREATE = "CREATE INDEX bench_city ON bench (city)";
    static final String DQL_DROP = "DROP INDEX IF EXISTS bench_city ON bench";
    static final String SQL_A = "SELECT body FROM docs WHERE json_extract(body, '$.age') BETWEEN 30 AND 32"
            + " AND json_extract(body, '$.city') = ?";
    static final String SQL_B = "SELECT body FROM docs WHERE json_extract(body, '$.active')"
            + " ORDER BY json_extract(body, '$.score') DESC LIMIT 10";
    static final String SQL_CREATE = "CREATE INDEX docs_city ON docs (json_extract(body, '$.city'))";
    static final String SQL_DROP = "DROP INDEX IF EXISTS docs_city";

    /**
     * One side's repetition: median latency per query of each kind and the index build time, in
     * milliseconds; the total number of documents (a) and (c) returned; (b)'s scores in order.
     */
    record Result(double aMs, double bMs, double buildMs, double cMs, long aCount, long cCount,
            List<Double> bScores) {
    }

    private W3Queries() {
    }

    static void run(Sizes sizes, Fixture fixture, Report report) {
        Pairing.Outcome<Result> out = Pairing.run("W3 queries", sizes.warmups(), sizes.reps(),
                round -> ours(sizes, fixture.ditto()),
                round -> peer(sizes, fixture.sqlite));
        report.cost(out);
        Result ceiling = ceiling(sizes, fixture.docs);

        String wrongOurs = check(out.ours, ceiling);
        String wrongPeer = check(out.peer, ceiling);
        String wrong = wrongOurs != null ? "WRONG RESULT (ours: " + wrongOurs + ")"
                : wrongPeer != null ? "WRONG RESULT (peer: " + wrongPeer + ")" : null;
        row(report, out, "W3a filter age+city, no index (per query)", Result::aMs, Target.atMost(0.5), wrong);
        row(report, out, "W3b active, top 10 by score (per query)", Result::bMs, Target.atMost(0.5), wrong);
        row(report, out, "W3c filter age+city, index on city (per query)", Result::cMs, Target.atMost(1.0), wrong);
        row(report, out, "W3d CREATE INDEX on city", Result::buildMs, Target.atMost(1.5), null);
        double oursA = out.oursMedian(Result::aMs);
        double oursB = out.oursMedian(Result::bMs);
        report.row("W3a vs in-memory ceiling", W1DurableWrites.orNa(out, true, Report.millis(oursA)),
                Report.millis(ceiling.aMs()) + " (ceiling)", oursA / ceiling.aMs(), null);
        report.row("W3b vs in-memory ceiling", W1DurableWrites.orNa(out, true, Report.millis(oursB)),
                Report.millis(ceiling.bMs()) + " (ceiling)", oursB / ceiling.bMs(), null);
        report.note(String.format(Locale.ROOT, "W3: %d queries of each kind per repetition; (a)/(c) returned %,d"
                + " documents in all per repetition, (b) 10 each; the peer uses json_extract and, for (c)/(d), an"
                + " expression index; the ceiling scans pre-parsed maps in memory (median of %d runs).",
                sizes.queries(), ceiling.aCount(), sizes.reps()));
        W1DurableWrites.failures(report, out);
    }

    private static void row(Report report, Pairing.Outcome<Result> out, String name,
            java.util.function.ToDoubleFunction<Result> metric, Target target, String wrong) {
        String ours = W1DurableWrites.orNa(out, true, Report.millis(out.oursMedian(metric)));
        String peer = W1DurableWrites.orNa(out, false, Report.millis(out.peerMedian(metric)));
        double ratio = out.pairedRatio(metric);
        if (wrong != null) {
            report.row(name, ours, peer, ratio, target, wrong);
        } else {
            report.row(name, ours, peer, ratio, target);
        }
    }

    private static Result ours(Sizes sizes, DittoSide d) {
        d.execute(DQL_DROP, Map.of());
        List<Double> a = new ArrayList<>();
        long aCount = 0;
        for (int q = 0; q < sizes.queries(); q++) {
            long t = System.nanoTime();
            aCount += d.query(DQL_A, Map.of("c", city(q))).size();
            a.add((System.nanoTime() - t) / 1e6);
        }
        List<Double> b = new ArrayList<>();
        List<Double> bScores = null;
        for (int q = 0; q < sizes.queries(); q++) {
            long t = System.nanoTime();
            List<Map<String, Object>> top = d.query(DQL_B, Map.of());
            b.add((System.nanoTime() - t) / 1e6);
            if (bScores == null) {
                bScores = scores(top);
            }
        }
        long t = System.nanoTime();
        d.execute(DQL_CREATE, Map.of());
        double build = (System.nanoTime() - t) / 1e6;
        List<Double> c = new ArrayList<>();
        long cCount = 0;
        for (int q = 0; q < sizes.queries(); q++) {
            long s = System.nanoTime();
            cCount += d.query(DQL_A, Map.of("c", city(q))).size();
            c.add((System.nanoTime() - s) / 1e6);
        }
        return new Result(Stats.median(a), Stats.median(b), build, Stats.median(c), aCount, cCount, bScores);
    }

    private static Result peer(Sizes sizes, SqliteSide s) throws Exception {
        s.execute(SQL_DROP);
        List<Double> a = new ArrayList<>();
        long aCount = 0;
        try (PreparedStatement ps = s.connection().prepareStatement(SQL_A)) {
            for (int q = 0; q < sizes.queries(); q++) {
                long t = System.nanoTime();
                ps.setString(1, city(q));
                aCount += s.queryBodies(ps).size();
                a.add((System.nanoTime() - t) / 1e6);
            }
        }
        List<Double> b = new ArrayList<>();
        List<Double> bScores = null;
        try (PreparedStatement ps = s.connection().prepareStatement(SQL_B)) {
            for (int q = 0; q < sizes.queries(); q++) {
                long t = System.nanoTime();
                List<Map<String, Object>> top = s.queryBodies(ps);
                b.add((System.nanoTime() - t) / 1e6);
                if (bScores == null) {
                    bScores = scores(top);
                }
            }
        }
        long t = System.nanoTime();
        s.execute(SQL_CREATE);
        double build = (System.nanoTime() - t) / 1e6;
        List<Double> c = new ArrayList<>();
        long cCount = 0;
        try (PreparedStatement ps = s.connection().prepareStatement(SQL_A)) {
            for (int q = 0; q < sizes.queries(); q++) {
                long u = System.nanoTime();
                ps.setString(1, city(q));
                cCount += s.queryBodies(ps).size();
                c.add((System.nanoTime() - u) / 1e6);
            }
        }
        return new Result(Stats.median(a), Stats.median(b), build, Stats.median(c), aCount, cCount, bScores);
    }

    /** The same queries over pre-parsed maps: the median over {@code reps} runs of each per-query median. */
    static Result ceiling(Sizes sizes, List<Map<String, Object>> docs) {
        List<Double> aRuns = new ArrayList<>();
        List<Double> bRuns = new ArrayList<>();
        long aCount = 0;
        List<Double> bScores = null;
        for (int r = 0; r < Math.max(1, sizes.reps()); r++) {
            List<Double> a = new ArrayList<>();
            aCount = 0;
            for (int q = 0; q < sizes.queries(); q++) {
                long t = System.nanoTime();
                aCount += filterA(docs, city(q)).size();
                a.add((System.nanoTime() - t) / 1e6);
            }
            List<Double> b = new ArrayList<>();
            for (int q = 0; q < sizes.queries(); q++) {
                long t = System.nanoTime();
                List<Map<String, Object>> top = topActive(docs, 10);
                b.add((System.nanoTime() - t) / 1e6);
                bScores = scores(top);
            }
            aRuns.add(Stats.median(a));
            bRuns.add(Stats.median(b));
        }
        return new Result(Stats.median(aRuns), Stats.median(bRuns), Double.NaN, Double.NaN, aCount, aCount, bScores);
    }

    static List<Map<String, Object>> filterA(List<Map<String, Object>> docs, String city) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : docs) {
            int age = ((Number) d.get("age")).intValue();
            if (age >= 30 && age <= 32 && city.equals(d.get("city"))) {
                out.add(d);
            }
        }
        return out;
    }

    static List<Map<String, Object>> topActive(List<Map<String, Object>> docs, int limit) {
        Comparator<Map<String, Object>> byScore = Comparator.comparingDouble(d -> ((Number) d.get("score")).doubleValue());
        PriorityQueue<Map<String, Object>> heap = new PriorityQueue<>(limit + 1, byScore);
        for (Map<String, Object> d : docs) {
            if (Boolean.TRUE.equals(d.get("active"))) {
                heap.add(d);
                if (heap.size() > limit) {
                    heap.poll();
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(heap);
        out.sort(byScore.reversed());
        return out;
    }

    private static List<Double> scores(List<Map<String, Object>> docs) {
        return docs.stream().map(d -> d.get("score") instanceof Number n ? n.doubleValue() : Double.NaN).toList();
    }

    /** Compares every repetition's counts and top scores with the ceiling's; null if all agree. */
    private static String check(List<Pairing.Timed<Result>> runs, Result expected) {
        for (Pairing.Timed<Result> t : runs) {
            Result r = t.value();
            if (r.aCount() != expected.aCount()) {
                return "(a) returned " + r.aCount() + " documents, expected " + expected.aCount();
            }
            if (r.cCount() != expected.aCount()) {
                return "(c) returned " + r.cCount() + " documents, expected " + expected.aCount();
            }
            if (!expected.bScores().equals(r.bScores())) {
                return "(b) returned scores " + r.bScores() + ", expected " + expected.bScores();
            }
        }
        return null;
    }

    private static String city(int q) {
        return DataGenerator.CITIES.get(q % DataGenerator.CITIES.size());
    }
}
