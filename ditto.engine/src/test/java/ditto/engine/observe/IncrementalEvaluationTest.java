package ditto.engine.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ditto.engine.dql.Dql;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Statement;

/**
 * The incremental path against the reference (running the query again): random commit streams,
 * seeded. Replay a failure with {@code -Dditto.test.seed=<seed printed by the failing run>}.
 */
class IncrementalEvaluationTest {
    private static final int STREAMS = Integer.getInteger("ditto.test.streams", 300);
    private static final int STEPS = 40;

    private static final List<String> QUERIES = List.of(
            "SELECT * FROM c",
            "SELECT * FROM c WHERE n > :k",
            "SELECT _id, n FROM c WHERE tag = 'x' OR n < 3",
            "SELECT * FROM c WHERE tag IN ['x', 'y'] ORDER BY n",
            "SELECT n, tag FROM c WHERE n IS NOT MISSING ORDER BY tag DESC, n",
            "SELECT upper(tag) AS t, _id FROM c WHERE n % 2 = 0",
            "SELECT * FROM c WHERE obj.a = 1 ORDER BY obj.b DESC",
            "SELECT tag FROM c WHERE n BETWEEN 2 AND 6",
            "SELECT * FROM c WHERE _id.s = 'x' OR tag IS NULL");

    @Test
    void incrementalResultEqualsRunningTheQueryAgainOnRandomCommitStreams() {
        long base = Long.getLong("ditto.test.seed", new Random().nextLong());
        System.out.println("IncrementalEvaluationTest seed=" + base + " streams=" + STREAMS);
        for (int i = 0; i < STREAMS; i++) {
            long seed = base + i;
            try {
                runStream(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("stream failed; replay with -Dditto.test.seed=" + seed
                        + " -Dditto.test.streams=1: " + e.getMessage(), e);
            }
        }
    }

    private static void runStream(long seed) {
        Random rnd = new Random(seed);
        FakeStore store = new FakeStore();
        // some documents exist before the observer starts
        for (int i = 0; i < rnd.nextInt(6); i++) {
            store.upsert("c", randomDoc(rnd));
        }
        String dql = QUERIES.get(rnd.nextInt(QUERIES.size()));
        Statement.Select select = (Statement.Select) Dql.parse(dql);
        Map<String, Object> args = Map.of("k", (long) rnd.nextInt(8));
        LiveQuery query = new LiveQuery(dql, select, EvalContext.of(args));
        assertTrue(query.incremental, dql);
        IncrementalEvaluation incremental = new IncrementalEvaluation(query, store);

        Evaluation.Outcome first = incremental.evaluate(true, Set.of(), -1);
        assertNotNull(first, "the first evaluation always yields a result");
        List<Map<String, Object>> delivered = first.rows();
        assertRowsEqual(store.select(select, args).rows(), delivered, dql, "first");

        Set<Object> pending = new HashSet<>();
        long lastCommit = -1;
        for (int step = 0; step < STEPS; step++) {
            int kind = rnd.nextInt(10);
            if (kind == 0) {
                // a commit elsewhere: the observer is not told
                store.upsert("other", randomDoc(rnd));
                continue;
            }
            List<Map<String, Object>> upserts = new ArrayList<>();
            List<Object> deletes = new ArrayList<>();
            int ops = 1 + rnd.nextInt(4);
            for (int o = 0; o < ops; o++) {
                if (rnd.nextInt(4) == 0) {
                    Object id = randomId(rnd);
                    deletes.add(id);
                    pending.add(id);
                } else {
                    Map<String, Object> doc = randomDoc(rnd);
                    upserts.add(doc);
                    pending.add(doc.get("_id"));
                }
            }
            lastCommit = store.commit("c", upserts, deletes);
            if (rnd.nextInt(3) == 0) {
                continue; // coalesce with the next commit
            }
            boolean full = rnd.nextInt(15) == 0;
            List<Map<String, Object>> expected = store.select(select, args).rows();
            Evaluation.Outcome outcome = incremental.evaluate(full, pending, lastCommit);
            pending = new HashSet<>();
            if (outcome == null) {
                assertTrue(ValueEquality.sameRows(expected, delivered),
                        "step " + step + ": reported unchanged but the result is now " + expected + ", was " + delivered);
            } else {
                assertEquals(lastCommit, outcome.commitId(), "step " + step + ": commit id");
                assertRowsEqual(expected, outcome.rows(), dql, "step " + step);
                assertTrue(!ValueEquality.sameRows(delivered, outcome.rows()),
                        "step " + step + ": delivered an unchanged result");
                delivered = outcome.rows();
            }
        }
    }

    @Test
    void reportsNoChangeWhenAProjectionWithoutIdLooksTheSameAfterOneDocumentReplacedAnother() {
        // Regression (found by the random streams, seed -6966393187845912196): rows without _id are
        // equal when one document leaves the result while another with the same projection enters.
        // given
        FakeStore store = new FakeStore();
        store.upsert("c", Map.of("_id", "a", "tag", "x", "n", 3L));
        String dql = "SELECT tag FROM c WHERE n BETWEEN 2 AND 6";
        LiveQuery query = new LiveQuery(dql, (Statement.Select) Dql.parse(dql), EvalContext.of(null));
        IncrementalEvaluation evaluation = new IncrementalEvaluation(query, store);
        assertEquals(List.of(Map.of("tag", "x")), evaluation.evaluate(true, Set.of(), -1).rows());
        // when a leaves the result and b, projected the same, enters it in one commit
        long commit = store.commit("c", List.of(Map.of("_id", "a", "tag", "x", "n", 9L),
                Map.of("_id", "b", "tag", "x", "n", 4L)), List.of());
        // then the result did not change
        assertNull(evaluation.evaluate(false, Set.of("a", "b"), commit));
        // when b's projected field changes
        commit = store.upsert("c", Map.of("_id", "b", "tag", "y", "n", 4L));
        // then it did
        assertEquals(List.of(Map.of("tag", "y")), evaluation.evaluate(false, Set.of("b"), commit).rows());
    }

    private static void assertRowsEqual(List<Map<String, Object>> expected, List<Map<String, Object>> actual,
            String dql, String where) {
        if (!ValueEquality.sameRows(expected, actual)) {
            fail(where + " of '" + dql + "': expected " + expected + " but the incremental result is " + actual);
        }
    }

    private static Object randomId(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> "d" + rnd.nextInt(8);
            case 1 -> (long) rnd.nextInt(5);
            default -> Map.of("s", rnd.nextBoolean() ? "x" : "y", "n", (long) rnd.nextInt(2));
        };
    }

    private static Map<String, Object> randomDoc(Random rnd) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", randomId(rnd));
        switch (rnd.nextInt(4)) {
            case 0 -> { }
            case 1 -> doc.put("n", rnd.nextInt(10) + 0.5);
            default -> doc.put("n", (long) rnd.nextInt(10));
        }
        switch (rnd.nextInt(5)) {
            case 0 -> { }
            case 1 -> doc.put("tag", null);
            default -> doc.put("tag", List.of("x", "y", "z").get(rnd.nextInt(3)));
        }
        if (rnd.nextBoolean()) {
            doc.put("obj", Map.of("a", (long) rnd.nextInt(2), "b", (long) rnd.nextInt(4)));
        }
        return doc;
    }

    @Test
    void theHubConvergesOnTheFullResultUnderARandomCommitStream() throws Exception {
        // given
        long seed = Long.getLong("ditto.test.seed", new Random().nextLong());
        System.out.println("IncrementalEvaluationTest hub seed=" + seed);
        Random rnd = new Random(seed);
        FakeStore store = new FakeStore();
        try (ObserverHub hub = new ObserverHub(FakeStore.ditto(), store, null)) {
            store.attach(hub);
            String dql = "SELECT * FROM c WHERE tag IN ['x', 'y'] ORDER BY n";
            Statement.Select select = (Statement.Select) Dql.parse(dql);
            BlockingQueue<List<Map<String, Object>>> deliveries = new LinkedBlockingQueue<>();
            hub.register(dql, null, result -> {
                deliveries.add(result.values());
                result.close();
            });
            // when
            for (int i = 0; i < 500; i++) {
                Map<String, Object> doc = randomDoc(rnd);
                if (rnd.nextInt(5) == 0) {
                    store.delete("c", doc.get("_id"));
                } else {
                    store.upsert("c", doc);
                }
            }
            // then the deliveries end with the full result
            List<Map<String, Object>> expected = store.select(select, Map.of()).rows();
            List<Map<String, Object>> last = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (last == null || !ValueEquality.sameRows(expected, last)) {
                List<Map<String, Object>> d = deliveries.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (d == null) {
                    fail("seed " + seed + ": the last delivery " + last + " never became " + expected);
                }
                last = d;
            }
            assertNull(deliveries.poll(200, TimeUnit.MILLISECONDS), "seed " + seed + ": delivered after converging");
        }
    }
}
