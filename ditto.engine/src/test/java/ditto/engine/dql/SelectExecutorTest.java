package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class SelectExecutorTest {

    private static SelectExecutor executor(String select) {
        return SelectExecutor.of((Statement.Select) Dql.parse(select));
    }

    private static List<Map<String, Object>> docs(int n) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("_id", (long) i);
            d.put("k", (long) (i % 7));
            docs.add(d);
        }
        return docs;
    }

    /** An iterator that counts how many documents were read. */
    private static Iterator<Map<String, Object>> counting(List<Map<String, Object>> docs, AtomicInteger reads) {
        Iterator<Map<String, Object>> it = docs.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                reads.incrementAndGet();
                return it.next();
            }
        };
    }

    @Test
    void streamsAndStopsReadingOnceTheLimitIsReached() {
        AtomicInteger reads = new AtomicInteger();
        Iterator<Map<String, Object>> rows = executor("SELECT _id FROM c WHERE k = 1 LIMIT 2")
                .execute(counting(docs(1000), reads), EvalContext.empty());
        assertEquals(0, reads.get(), "nothing is read before a row is pulled");
        assertEquals(Map.of("_id", 1L), rows.next());
        assertEquals(Map.of("_id", 8L), rows.next());
        assertTrue(!rows.hasNext());
        assertEquals(9, reads.get());
    }

    @Test
    void returnsTheDocumentsThemselvesForSelectStar() {
        List<Map<String, Object>> docs = docs(3);
        List<Map<String, Object>> rows = executor("SELECT * FROM c").executeAll(docs, EvalContext.empty());
        for (int i = 0; i < 3; i++) {
            assertSame(docs.get(i), rows.get(i));
        }
    }

    @Test
    void topKHeapAgreesWithAFullSort() {
        long seed = 7;
        Random r = new Random(seed);
        for (int round = 0; round < 200; round++) {
            List<Map<String, Object>> docs = new ArrayList<>();
            int n = r.nextInt(60);
            for (int i = 0; i < n; i++) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("_id", (long) i);
                if (r.nextInt(5) != 0) {
                    d.put("v", r.nextBoolean() ? (Object) (long) r.nextInt(10) : "s" + r.nextInt(5));
                }
                docs.add(d);
            }
            int limit = r.nextInt(10);
            int offset = r.nextInt(5);
            boolean desc = r.nextBoolean();
            List<Map<String, Object>> expected = new ArrayList<>(docs);
            Comparator<Map<String, Object>> order = (a, b) -> DqlValues.compare(ExprCompiler.get(a, "v"), ExprCompiler.get(b, "v"));
            expected.sort(desc ? order.reversed() : order);
            List<Object> expectedIds = new ArrayList<>();
            for (int i = offset; i < Math.min(expected.size(), offset + limit); i++) {
                expectedIds.add(expected.get(i).get("_id"));
            }
            List<Object> actualIds = new ArrayList<>();
            executor("SELECT _id FROM c ORDER BY v" + (desc ? " DESC" : "") + " LIMIT " + limit + " OFFSET " + offset)
                    .executeAll(docs, EvalContext.empty()).forEach(row -> actualIds.add(row.get("_id")));
            assertEquals(expectedIds, actualIds, "seed " + seed + " round " + round);
        }
    }

    @Test
    void checksParametersEvenWithoutDocuments() {
        DittoException e = assertThrows(DittoException.class,
                () -> executor("SELECT * FROM c WHERE a = :a").executeAll(List.of(), EvalContext.empty()));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }

    @Test
    void validatesTreesBuiltInCode() {
        Statement.Select bad = new Statement.Select(false, List.of(new Statement.SelectItem(new Expr.Field("a"), null),
                new Statement.SelectItem(new Expr.Call("count", List.of(), false, true), null)),
                new Statement.CollectionRef("c", List.of()), null, List.of(), null, List.of(), null, null);
        DittoException e = assertThrows(DittoException.class, () -> SelectExecutor.of(bad));
        assertEquals("'a' in the projection must appear in GROUP BY or be used in an aggregate function", e.getMessage());
    }

    @Test
    void ordersByExpressionsThatAreNotProjected() {
        List<Map<String, Object>> rows = executor("SELECT DISTINCT k FROM c ORDER BY _id DESC LIMIT 3").executeAll(docs(20), EvalContext.empty());
        assertEquals(List.of(Map.of("k", 5L), Map.of("k", 4L), Map.of("k", 3L)), rows);
    }

    @Test
    void namesItsOutputs() {
        assertEquals(List.of("a", "c", "($3)", "x"), executor("SELECT a, b.c, 1 + 1, d AS x FROM c").outputNames());
        assertTrue(executor("SELECT count(*) FROM c").isAggregate());
    }

    @Test
    void canBeSharedByConcurrentExecutions() throws Exception {
        SelectExecutor shared = executor("SELECT k, count(*) AS n FROM c WHERE _id >= :min GROUP BY k ORDER BY k");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Map<String, Object>>>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> shared.executeAll(docs(700), EvalContext.of(Map.of("min", 0)))));
            }
            for (Future<List<Map<String, Object>>> f : results) {
                List<Map<String, Object>> rows = f.get(30, TimeUnit.SECONDS);
                assertEquals(7, rows.size());
                assertEquals(Map.of("k", 0L, "n", 100L), rows.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
