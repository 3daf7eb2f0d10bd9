package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DifferTest {

    /** Items {@code {"_id": id, "v": 0}} for the given ids. */
    private static List<QueryResultItem> items(String... ids) {
        List<QueryResultItem> list = new ArrayList<>();
        for (String id : ids) {
            list.add(TestQueryResultItem.of(id, 0L));
        }
        return list;
    }

    /** The diff a fresh differ reports for {@code second} after seeing {@code first}. */
    private static Diff between(List<QueryResultItem> first, List<QueryResultItem> second) {
        try (Differ differ = new Differ()) {
            differ.diff(first);
            return differ.diff(second);
        }
    }

    private static Set<Integer> set(Integer... values) {
        return new TreeSet<>(Arrays.asList(values));
    }

    @Test
    void firstDiffReportsEveryItemAsInserted() {
        try (Differ differ = new Differ()) {
            Diff diff = differ.diff(items("a", "b", "c"));
            assertEquals(set(0, 1, 2), diff.insertions());
            assertTrue(diff.deletions().isEmpty());
            assertTrue(diff.updates().isEmpty());
            assertTrue(diff.moves().isEmpty());
        }
    }

    @Test
    void unchangedItemsGiveEmptyDiff() {
        try (Differ differ = new Differ()) {
            differ.diff(items("a", "b"));
            Diff diff = differ.diff(items("a", "b"));
            assertTrue(diff.isEmpty(), diff.toString());
            assertEquals(Diff.EMPTY, diff);
        }
    }

    @Test
    void insertionInTheMiddleShiftsNothingIntoMoves() {
        try (Differ differ = new Differ()) {
            differ.diff(items("a", "b", "c"));
            Diff diff = differ.diff(items("a", "x", "b", "c"));
            assertEquals(Diff.of(set(1), set(), set(), List.of()), diff);
        }
    }

    @Test
    void deletionReportsOldIndex() {
        try (Differ differ = new Differ()) {
            differ.diff(items("a", "b", "c", "d"));
            Diff diff = differ.diff(items("a", "c", "d"));
            assertEquals(Diff.of(set(), set(1), set(), List.of()), diff);
        }
    }

    @Test
    void changedValueWithSameIdIsAnUpdateAtNewIndex() {
        try (Differ differ = new Differ()) {
            differ.diff(List.of(TestQueryResultItem.of("a", 1L), TestQueryResultItem.of("b", 1L)));
            Diff diff = differ.diff(List.of(TestQueryResultItem.of("x", 1L), TestQueryResultItem.of("a", 1L),
                    TestQueryResultItem.of("b", 2L)));
            assertEquals(Diff.of(set(0), set(), set(2), List.of()), diff);
        }
    }

    @Test
    void draggingOneItemYieldsExactlyOneMove() {
        try (Differ differ = new Differ()) {
            differ.diff(items("a", "b", "c", "d"));
            Diff diff = differ.diff(items("d", "a", "b", "c"));
            assertEquals(Diff.of(set(), set(), set(), List.of(new Move(3, 0))), diff);
        }
    }

    @Test
    void swapYieldsOneMove() {
        try (Differ differ = new Differ()) {
            differ.diff(items("a", "b"));
            Diff diff = differ.diff(items("b", "a"));
            assertEquals(1, diff.moves().size(), diff.toString());
            Move move = diff.moves().get(0);
            assertTrue(move.equals(new Move(0, 1)) || move.equals(new Move(1, 0)), diff.toString());
        }
    }

    @Test
    void reversalKeepsOneItemAndMovesTheRest() {
        try (Differ differ = new Differ()) {
            differ.diff(items("a", "b", "c", "d"));
            Diff diff = differ.diff(items("d", "c", "b", "a"));
            assertEquals(3, diff.moves().size(), diff.toString());
            assertTrue(diff.insertions().isEmpty() && diff.deletions().isEmpty() && diff.updates().isEmpty());
        }
    }

    @Test
    void movedAndChangedItemIsBothMoveAndUpdate() {
        try (Differ differ = new Differ()) {
            differ.diff(List.of(TestQueryResultItem.of("a", 1L), TestQueryResultItem.of("b", 1L),
                    TestQueryResultItem.of("c", 1L)));
            Diff diff = differ.diff(List.of(TestQueryResultItem.of("c", 9L), TestQueryResultItem.of("a", 1L),
                    TestQueryResultItem.of("b", 1L)));
            assertEquals(Diff.of(set(), set(), set(0), List.of(new Move(2, 0))), diff);
        }
    }

    @Test
    void shiftCausedByInsertAndDeleteIsNotAMove() {
        try (Differ differ = new Differ()) {
            differ.diff(items("a", "b", "c", "d"));
            Diff diff = differ.diff(items("x", "b", "c", "d", "y"));
            assertEquals(Diff.of(set(0, 4), set(0), set(), List.of()), diff);
        }
    }

    @Test
    void itemsWithoutIdAreIdentifiedByWholeValue() {
        try (Differ differ = new Differ()) {
            differ.diff(List.of(new TestQueryResultItem(Map.of("name", "a")), new TestQueryResultItem(Map.of("name", "b"))));
            Diff diff = differ.diff(List.of(new TestQueryResultItem(Map.of("name", "b")),
                    new TestQueryResultItem(Map.of("name", "c"))));
            assertEquals(Diff.of(set(1), set(0), set(), List.of()), diff);
        }
    }

    @Test
    void duplicateIdsMatchInOrder() {
        try (Differ differ = new Differ()) {
            differ.diff(List.of(TestQueryResultItem.of("a", 1L), TestQueryResultItem.of("a", 2L)));
            Diff diff = differ.diff(List.of(TestQueryResultItem.of("a", 1L), TestQueryResultItem.of("a", 2L),
                    TestQueryResultItem.of("a", 3L)));
            assertEquals(Diff.of(set(2), set(), set(), List.of()), diff);
        }
    }

    @Test
    void structuredIdsAndBytesCompareByContent() {
        try (Differ differ = new Differ()) {
            Map<String, Object> compositeId = new LinkedHashMap<>();
            compositeId.put("k", new byte[] {1, 2});
            differ.diff(List.of(TestQueryResultItem.of(compositeId, new byte[] {7})));
            Map<String, Object> sameId = new LinkedHashMap<>();
            sameId.put("k", new byte[] {1, 2});
            Diff unchanged = differ.diff(List.of(TestQueryResultItem.of(sameId, new byte[] {7})));
            assertTrue(unchanged.isEmpty(), unchanged.toString());
            Diff updated = differ.diff(List.of(TestQueryResultItem.of(sameId, new byte[] {8})));
            assertEquals(set(0), updated.updates());
        }
    }

    @Test
    void diffOfResultReadsItsItemsAndLeavesItOpen() {
        try (Differ differ = new Differ()) {
            TestQueryResult result = new TestQueryResult(List.of(TestQueryResultItem.of("a", 1L)));
            Diff diff = differ.diff(result);
            assertEquals(set(0), diff.insertions());
            assertFalse(result.isClosed());
        }
    }

    @Test
    void restoresDematerializedStateAndNeverClosesItems() {
        try (Differ differ = new Differ()) {
            TestQueryResultItem lazy = TestQueryResultItem.of("a", 1L);
            TestQueryResultItem eager = TestQueryResultItem.of("b", 1L);
            eager.materialize();
            differ.diff(List.of(lazy, eager));
            assertFalse(lazy.isMaterialized());
            assertTrue(eager.isMaterialized());
            assertFalse(lazy.isClosed() || eager.isClosed());
        }
    }

    @Test
    void closeIsIdempotentAndDiffAfterCloseFails() {
        Differ differ = new Differ();
        differ.diff(items("a"));
        differ.close();
        differ.close();
        DittoException e = assertThrows(DittoException.class, () -> differ.diff(items("a")));
        assertEquals(ErrorCode.CLOSED, e.code());
    }

    @Test
    void concurrentCallsAreSerialized() throws Exception {
        // Given many threads that each diff one of two lists against whatever came before
        List<QueryResultItem> small = items("a", "b", "c");
        List<QueryResultItem> large = items("c", "b", "a", "d");
        Set<Diff> consistent = Set.of(
                Diff.of(set(0, 1, 2), set(), set(), List.of()),
                Diff.of(set(0, 1, 2, 3), set(), set(), List.of()),
                Diff.EMPTY,
                between(small, large),
                between(large, small));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Differ differ = new Differ()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Diff>> futures = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                List<QueryResultItem> list = t % 2 == 0 ? small : large;
                futures.add(pool.submit(() -> {
                    start.await();
                    return differ.diff(list);
                }));
            }
            // When they run at once
            start.countDown();
            // Then every diff is one a sequential run could give (never a torn state)
            for (Future<Diff> f : futures) {
                Diff d = f.get(10, TimeUnit.SECONDS);
                assertTrue(consistent.contains(d), d.toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- randomized test against a simple model ----

    @Test
    void randomizedDiffsReplayToTheNewListWithMinimalMoves() {
        long seed = Long.getLong("ditto.test.seed", 0x5EED_D1FFL);
        System.out.println("DifferTest.randomized seed=" + seed + " (replay with -Dditto.test.seed=" + seed + ")");
        Random random = new Random(seed);
        try (Differ differ = new Differ()) {
            List<Map<String, Object>> previous = List.of();
            for (int round = 0; round < 2_000; round++) {
                List<Map<String, Object>> next = mutate(previous, random);
                List<QueryResultItem> nextItems = new ArrayList<>();
                next.forEach(v -> nextItems.add(new TestQueryResultItem(v)));
                Diff diff = differ.diff(nextItems);
                String context = "seed=" + seed + " round=" + round + " old=" + previous + " new=" + next + " " + diff;
                checkAgainstModel(previous, next, diff, context);
                previous = next;
            }
        }
    }

    private static List<Map<String, Object>> mutate(List<Map<String, Object>> old, Random random) {
        List<Map<String, Object>> list = new ArrayList<>(old);
        int operations = random.nextInt(4);
        for (int op = 0; op < operations; op++) {
            switch (random.nextInt(5)) {
                case 0 -> list.add(random.nextInt(list.size() + 1), doc("id" + random.nextInt(40), random.nextInt(3)));
                case 1 -> {
                    if (!list.isEmpty()) {
                        list.remove(random.nextInt(list.size()));
                    }
                }
                case 2 -> {
                    if (!list.isEmpty()) {
                        int i = random.nextInt(list.size());
                        list.set(i, doc((String) list.get(i).get("_id"), random.nextInt(3)));
                    }
                }
                case 3 -> {
                    if (!list.isEmpty()) {
                        Map<String, Object> moved = list.remove(random.nextInt(list.size()));
                        list.add(random.nextInt(list.size() + 1), moved);
                    }
                }
                default -> {
                    if (random.nextInt(20) == 0) {
                        list.clear();
                    }
                }
            }
        }
        // Query results have unique ids: keep the first occurrence of each.
        Set<Object> seen = new java.util.HashSet<>();
        list.removeIf(d -> !seen.add(d.get("_id")));
        return list;
    }

    private static Map<String, Object> doc(String id, long v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_id", id);
        m.put("v", v);
        return m;
    }

    /**
     * The model: ids present only in new are insertions, only in old deletions; kept ids whose
     * value changed are updates; replaying deletions, insertions and moves on the old list gives
     * the new order; and the number of moves equals kept items minus the longest run of kept
     * items whose relative order is unchanged (computed by quadratic DP here).
     */
    private static void checkAgainstModel(List<Map<String, Object>> old, List<Map<String, Object>> neu, Diff diff,
            String context) {
        Map<Object, Integer> oldIndex = new HashMap<>();
        for (int i = 0; i < old.size(); i++) {
            oldIndex.put(old.get(i).get("_id"), i);
        }
        Map<Object, Integer> newIndex = new HashMap<>();
        for (int j = 0; j < neu.size(); j++) {
            newIndex.put(neu.get(j).get("_id"), j);
        }
        TreeSet<Integer> insertions = new TreeSet<>();
        TreeSet<Integer> updates = new TreeSet<>();
        List<Integer> keptOldInNewOrder = new ArrayList<>();
        for (int j = 0; j < neu.size(); j++) {
            Integer i = oldIndex.get(neu.get(j).get("_id"));
            if (i == null) {
                insertions.add(j);
            } else {
                keptOldInNewOrder.add(i);
                if (!old.get(i).equals(neu.get(j))) {
                    updates.add(j);
                }
            }
        }
        TreeSet<Integer> deletions = new TreeSet<>();
        for (int i = 0; i < old.size(); i++) {
            if (!newIndex.containsKey(old.get(i).get("_id"))) {
                deletions.add(i);
            }
        }
        assertEquals(insertions, diff.insertions(), context);
        assertEquals(deletions, diff.deletions(), context);
        assertEquals(updates, diff.updates(), context);

        // Replay: place insertions and move targets, fill the rest with unmoved kept items in old order.
        Object[] rebuilt = new Object[neu.size()];
        for (int j : diff.insertions()) {
            rebuilt[j] = neu.get(j).get("_id");
        }
        Set<Integer> movedFrom = new java.util.HashSet<>();
        for (Move m : diff.moves()) {
            assertTrue(rebuilt[m.to()] == null, "two items placed at " + m.to() + " " + context);
            rebuilt[m.to()] = old.get(m.from()).get("_id");
            movedFrom.add(m.from());
        }
        int slot = 0;
        for (int i = 0; i < old.size(); i++) {
            if (diff.deletions().contains(i) || movedFrom.contains(i)) {
                continue;
            }
            while (rebuilt[slot] != null) {
                slot++;
            }
            rebuilt[slot] = old.get(i).get("_id");
        }
        List<Object> expectedIds = neu.stream().map(d -> d.get("_id")).toList();
        assertEquals(expectedIds, Arrays.asList(rebuilt), "replay " + context);

        int[] dp = new int[keptOldInNewOrder.size()];
        int lis = 0;
        for (int a = 0; a < dp.length; a++) {
            dp[a] = 1;
            for (int b = 0; b < a; b++) {
                if (keptOldInNewOrder.get(b) < keptOldInNewOrder.get(a)) {
                    dp[a] = Math.max(dp[a], dp[b] + 1);
                }
            }
            lis = Math.max(lis, dp[a]);
        }
        assertEquals(keptOldInNewOrder.size() - lis, diff.moves().size(), "minimal moves " + context);
    }
}
