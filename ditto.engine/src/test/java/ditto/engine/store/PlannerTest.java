package ditto.engine.store;

import static ditto.engine.store.StoreFixture.assertCode;
import static ditto.engine.store.StoreFixture.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.ErrorCode;
import ditto.api.Store;
import ditto.api.TransactionCompletionAction;
import ditto.engine.dql.DqlValues;

/**
 * Indexes end to end: creation and removal, maintenance by every write, the planner's choices as
 * EXPLAIN shows them, and index reads returning exactly what a full scan returns on random data.
 */
class PlannerTest {

    @TempDir
    Path temp;

    private StoreFixture fixture;
    private Ditto db;
    private Store store;

    @BeforeEach
    void open() {
        fixture = StoreFixture.memory();
        db = fixture.open(temp.resolve("db"));
        store = db.store();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private List<Map<String, Object>> select(String dql, Map<String, ?> args) {
        return rows(db, dql, args);
    }

    private List<Map<String, Object>> select(String dql) {
        return rows(db, dql);
    }

    private Map<String, Object> explain(String dql) {
        return select("EXPLAIN " + dql).get(0);
    }

    private void insertCars() {
        for (int i = 0; i < 20; i++) {
            store.execute("INSERT INTO cars DOCUMENTS (:d)", Map.of("d", Map.of("_id", "c" + i, "year", 2000L + i % 10,
                    "color", i % 3 == 0 ? "red" : "blue", "active", i % 2 == 0, "engine", Map.of("hp", 100L + i))));
        }
    }

    @Test
    void createIndexBuildsOverExistingDocumentsAndIsListed() {
        // given documents, then indexes
        insertCars();
        store.execute("CREATE INDEX by_year ON cars (year)");
        store.execute("CREATE INDEX IF NOT EXISTS by_hp ON cars (engine.hp)");
        store.execute("CREATE INDEX IF NOT EXISTS by_hp ON cars (engine.hp)");

        // then system:indexes lists them
        assertEquals(List.of(Map.of("_id", "cars.by_hp", "collection", "cars", "name", "by_hp", "fields", List.of("engine.hp")),
                Map.of("_id", "cars.by_year", "collection", "cars", "name", "by_year", "fields", List.of("year"))),
                select("SELECT * FROM system:indexes ORDER BY name"));
        // and queries use them and find the existing documents
        assertEquals("by_year", explain("SELECT * FROM cars WHERE year = 2003").get("index"));
        assertEquals(2, select("SELECT * FROM cars WHERE year = 2003").size());
        assertEquals(List.of("c5"), ids(select("SELECT * FROM cars WHERE engine.hp = 105")));
        assertCode(ErrorCode.QUERY_EXECUTION, () -> store.execute("CREATE INDEX by_year ON cars (color)"));
    }

    @Test
    void dropIndexRemovesItAndQueriesFallBackToAScan() {
        insertCars();
        store.execute("CREATE INDEX by_year ON cars (year)");
        store.execute("CREATE INDEX by_year ON trucks (year)");
        assertCode(ErrorCode.QUERY_EXECUTION, () -> store.execute("DROP INDEX by_year"));
        store.execute("DROP INDEX by_year ON cars");
        assertEquals("scan", explain("SELECT * FROM cars WHERE year = 2003").get("access"));
        assertEquals(2, select("SELECT * FROM cars WHERE year = 2003").size());
        store.execute("DROP INDEX by_year");
        store.execute("DROP INDEX IF EXISTS by_year");
        assertCode(ErrorCode.QUERY_EXECUTION, () -> store.execute("DROP INDEX by_year"));
        assertEquals(List.of(), select("SELECT * FROM system:indexes"));
    }

    @Test
    void explainShowsIndexScansForEqualityRangesInAndTheirCombinations() {
        insertCars();
        store.execute("CREATE INDEX by_year ON cars (year)");
        store.execute("CREATE INDEX by_color ON cars (color)");
        List<String> indexed = List.of(
                "SELECT * FROM cars WHERE year = 2003",
                "SELECT * FROM cars WHERE 2003 = year",
                "SELECT * FROM cars WHERE year IN [2001, 2002]",
                "SELECT * FROM cars WHERE year > 2005",
                "SELECT * FROM cars WHERE year <= :y",
                "SELECT * FROM cars WHERE year BETWEEN 2002 AND 2004",
                "SELECT * FROM cars WHERE year > 2002 AND year < 2005 AND active",
                "SELECT * FROM cars WHERE year = 2001 OR year = 2007",
                "SELECT * FROM cars WHERE color = 'red' AND engine.hp > 3",
                "UPDATE cars SET x = 1 WHERE year = 2001",
                "DELETE FROM cars WHERE color = 'red'",
                "EVICT FROM cars WHERE year IN [2001]");
        for (String q : indexed) {
            Map<String, Object> plan = explain(q);
            assertEquals("index scan", plan.get("access"), q + " -> " + plan);
        }
        assertEquals("by_year, by_color", explain("SELECT * FROM cars WHERE year = 2001 OR color = 'red'").get("index"));
        assertEquals("by_color", explain("SELECT * FROM cars WHERE year > 2001 AND color = 'red'").get("index"),
                "equality is preferred over a range");
        assertEquals("_id", explain("SELECT * FROM cars WHERE _id = 'c1' AND color = 'red'").get("index"),
                "the primary key is preferred for exact ids");
        assertEquals("by_year", explain("SELECT * FROM cars ORDER BY year DESC LIMIT 3").get("index"),
                "ORDER BY an indexed path reads the index in order");
        List<String> scanned = List.of(
                "SELECT * FROM cars",
                "SELECT * FROM cars WHERE year != 2003",
                "SELECT * FROM cars WHERE year = 2001 OR active",
                "SELECT * FROM cars WHERE NOT (year = 2001)",
                "SELECT * FROM cars WHERE color LIKE 'r%'",
                "SELECT * FROM cars WHERE engine.hp = 3",
                "SELECT * FROM cars ORDER BY active LIMIT 2");
        for (String q : scanned) {
            Map<String, Object> plan = explain(q);
            assertEquals("scan", plan.get("access"), q + " -> " + plan);
        }
        assertEquals(List.of("c10", "c11", "c12", "c13"), ids(select(
                "SELECT * FROM cars WHERE year IN [2000, 2001, 2002, 2003] AND _id BETWEEN 'c10' AND 'c13' ORDER BY _id",
                Map.of("y", 2003))));
    }

    @Test
    void orderByIndexWithLimitReturnsTheTopDocumentsInOrder() {
        insertCars();
        store.execute("CREATE INDEX by_hp ON cars (engine.hp)");
        store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'nohp'})");
        assertEquals(List.of("nohp", "c19", "c18"), ids(select("SELECT * FROM cars ORDER BY engine.hp DESC LIMIT 3")),
                "MISSING sorts last ascending, so first descending");
        assertEquals(List.of("c2", "c3"), ids(select("SELECT * FROM cars ORDER BY engine.hp LIMIT 2 OFFSET 2")));
        assertEquals(List.of("c18", "c16"),
                ids(select("SELECT * FROM cars WHERE active ORDER BY engine.hp DESC LIMIT 2")));
        assertEquals(List.of(Map.of("hp", 119L)), select("SELECT engine.hp AS hp FROM cars ORDER BY engine.hp DESC LIMIT 1 OFFSET 1"));
    }

    @Test
    void indexesFollowInsertsUpdatesDeletesEvictsAndUpserts() {
        store.execute("CREATE INDEX by_v ON things (v)");
        store.execute("INSERT INTO things DOCUMENTS ({'_id': 1, 'v': 'a'}), ({'_id': 2, 'v': 'b'}), ({'_id': 3, 'v': 'c'})");
        store.execute("UPDATE things SET v = 'z' WHERE _id = 1");
        store.execute("DELETE FROM things WHERE _id = 2");
        store.execute("EVICT FROM things WHERE _id = 3");
        store.execute("INSERT INTO things DOCUMENTS ({'_id': 4, 'v': 'a'}), ({'_id': 2, 'v': 'b2'})");
        store.execute("INSERT INTO things DOCUMENTS ({'_id': 4, 'v': 'd'}) ON ID CONFLICT DO UPDATE");
        assertEquals(List.of(), select("SELECT * FROM things WHERE v = 'a'"));
        assertEquals(List.of(1L), ids(select("SELECT * FROM things WHERE v = 'z'")));
        assertEquals(List.of(), select("SELECT * FROM things WHERE v IN ['b', 'c']"));
        assertEquals(List.of(2L, 4L, 1L), ids(select("SELECT * FROM things ORDER BY v")));
        store.execute("UPDATE things UNSET v WHERE _id = 4");
        assertEquals(List.of(2L, 1L, 4L), ids(select("SELECT * FROM things ORDER BY v")));
        assertEquals(List.of(4L), ids(select("SELECT * FROM things WHERE v IS MISSING")));
    }

    @Test
    void indexChangesAreTransactionalAndVisibleInsideTheTransaction() {
        insertCars();
        store.transaction(null, tx -> {
            tx.execute("CREATE INDEX by_year ON cars (year)");
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'new', 'year': 1990})");
            assertEquals(List.of("new"), ids(tx.execute("SELECT * FROM cars WHERE year < 2000").values()));
            assertEquals("index scan", tx.execute("EXPLAIN SELECT * FROM cars WHERE year < 2000").item(0).value().get("access"));
            return TransactionCompletionAction.ROLLBACK;
        });
        assertEquals(List.of(), select("SELECT * FROM system:indexes"));
        assertEquals("scan", explain("SELECT * FROM cars WHERE year < 2000").get("access"));
        assertEquals(List.of(), select("SELECT * FROM cars WHERE year < 2000"));

        store.execute("CREATE INDEX by_year ON cars (year)");
        store.transaction(null, tx -> {
            tx.execute("DROP INDEX by_year ON cars");
            tx.execute("UPDATE cars SET year = 1 WHERE _id = 'c1'");
            return TransactionCompletionAction.ROLLBACK;
        });
        assertEquals(List.of("c1", "c11"), ids(select("SELECT * FROM cars WHERE year = 2001 ORDER BY _id")));
        assertEquals("index scan", explain("SELECT * FROM cars WHERE year = 2001").get("access"));
    }

    @Test
    void indexReadsReturnWhatAScanReturnsOnRandomData() {
        long seed = Long.getLong("ditto.seed", System.nanoTime());
        System.out.println("PlannerTest.indexReadsReturnWhatAScanReturnsOnRandomData seed " + seed);
        SplittableRandom r = new SplittableRandom(seed);
        // given the same random documents in an indexed and a plain collection
        for (String path : List.of("a", "b", "c", "n.x", "flag")) {
            store.execute("CREATE INDEX idx_" + path.replace('.', '_') + " ON indexed (" + path + ")");
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("_id", r.nextInt(4) == 0 ? (Object) (long) i : "d" + i);
            putRandom(r, d, "a");
            putRandom(r, d, "b");
            putRandom(r, d, "c");
            putRandom(r, d, "flag");
            if (r.nextBoolean()) {
                Map<String, Object> n = new LinkedHashMap<>();
                putRandom(r, n, "x");
                d.put("n", n);
            }
            docs.add(d);
        }
        store.execute("INSERT INTO indexed DOCUMENTS (:d)", Map.of("d", docs.get(0)));
        for (Map<String, Object> d : docs.subList(1, docs.size())) {
            store.execute("INSERT INTO indexed DOCUMENTS (:d)", Map.of("d", d));
        }
        for (Map<String, Object> d : docs) {
            store.execute("INSERT INTO plain DOCUMENTS (:d)", Map.of("d", d));
        }
        store.execute("UPDATE indexed SET a = 3 WHERE b > 2");
        store.execute("UPDATE plain SET a = 3 WHERE b > 2");
        store.execute("DELETE FROM indexed WHERE c = 'y'");
        store.execute("DELETE FROM plain WHERE c = 'y'");

        // when random queries run on both, then the results agree
        int indexedPlans = 0;
        for (int q = 0; q < 400; q++) {
            String where = randomCondition(r, 0);
            String order = r.nextInt(3) == 0 ? " ORDER BY " + pick(r, "a", "b", "c", "n.x", "_id") + (r.nextBoolean() ? " DESC" : "")
                    + " LIMIT " + r.nextInt(1, 8) + (r.nextBoolean() ? " OFFSET " + r.nextInt(3) : "") : "";
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("p", randomScalar(r));
            args.put("list", java.util.Arrays.asList(randomScalar(r), randomScalar(r)));
            String indexedQuery = "SELECT * FROM indexed WHERE " + where + order;
            String plainQuery = "SELECT * FROM plain WHERE " + where + order;
            List<Map<String, Object>> viaIndex = select(indexedQuery, args);
            List<Map<String, Object>> viaScan = select(plainQuery, args);
            if ("index scan".equals(select("EXPLAIN " + indexedQuery, args).get(0).get("access"))) {
                indexedPlans++;
            }
            String context = "seed " + seed + ", query " + indexedQuery + " with " + args;
            if (order.isEmpty()) {
                assertEquals(sorted(viaScan), sorted(viaIndex), context);
            } else {
                String key = order.substring(" ORDER BY ".length()).split(" ")[0];
                assertEquals(sortKeys(viaScan, key), sortKeys(viaIndex, key), context);
                assertEquals(viaScan.size(), viaIndex.size(), context);
            }
        }
        assertTrue(indexedPlans > 100, "seed " + seed + ": only " + indexedPlans + " queries used an index");
    }

    private static void putRandom(SplittableRandom r, Map<String, Object> d, String key) {
        if (r.nextInt(6) != 0) {
            d.put(key, randomScalar(r));
        }
    }

    private static Object randomScalar(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2, 3 -> (long) r.nextInt(0, 6);
            case 4 -> r.nextInt(0, 10) / 2.0;
            case 5 -> List.of((long) r.nextInt(3));
            default -> pick(r, "x", "y", "z", "");
        };
    }

    private static String randomCondition(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 1 ? 8 : 11);
        String path = pick(r, "a", "b", "c", "n.x", "flag", "_id", "zz");
        String literal = literal(randomScalar(r));
        return switch (kind) {
            case 0 -> path + " = " + literal;
            case 1 -> path + " " + pick(r, "<", "<=", ">", ">=") + " " + literal;
            case 2 -> literal + " " + pick(r, "<", "=", ">") + " " + path;
            case 3 -> path + " IN [" + literal + ", " + literal(randomScalar(r)) + "]";
            case 4 -> path + " BETWEEN " + literal + " AND " + literal(randomScalar(r));
            case 5 -> path + " = :p";
            case 6 -> path + " IN :list";
            case 7 -> pick(r, "flag", "NOT flag", path + " != " + literal, path + " IS MISSING");
            case 8 -> "(" + randomCondition(r, depth + 1) + " AND " + randomCondition(r, depth + 1) + ")";
            case 9 -> "(" + randomCondition(r, depth + 1) + " OR " + randomCondition(r, depth + 1) + ")";
            default -> "NOT (" + randomCondition(r, depth + 1) + ")";
        };
    }

    private static String literal(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof List<?> l) {
            return l.toString();
        }
        return String.valueOf(v);
    }

    private static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static List<String> sorted(List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            out.add(String.valueOf(row.get("_id")));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static List<Object> sortKeys(List<Map<String, Object>> rows, String path) {
        List<Object> keys = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Object v = row;
            for (String segment : path.split("\\.")) {
                v = v instanceof Map<?, ?> m ? (m.containsKey(segment) ? m.get(segment) : "MISSING") : "MISSING";
            }
            keys.add(v instanceof Number n ? (Object) n.doubleValue() : v);
        }
        return keys;
    }

    private static List<Object> ids(List<Map<String, Object>> rows) {
        List<Object> out = new ArrayList<>();
        rows.forEach(row -> out.add(row.get("_id")));
        return out;
    }

    @Test
    void rangesStayWithinTheTypeOfTheConstant() {
        store.execute("CREATE INDEX by_v ON mixed (v)");
        store.execute("INSERT INTO mixed DOCUMENTS ({'_id': 1, 'v': true}), ({'_id': 2, 'v': 5}), ({'_id': 3, 'v': 'five'}),"
                + " ({'_id': 4, 'v': null}), ({'_id': 5}), ({'_id': 6, 'v': [5]}), ({'_id': 7, 'v': 5.5})");
        assertEquals(List.of(2L, 7L), ids(select("SELECT * FROM mixed WHERE v >= 5 ORDER BY _id")));
        assertEquals(List.of(2L), ids(select("SELECT * FROM mixed WHERE v < 5.5")));
        assertEquals(List.of(3L), ids(select("SELECT * FROM mixed WHERE v > 'a'")));
        assertEquals(List.of(), select("SELECT * FROM mixed WHERE v = null"));
        assertEquals(List.of(6L), ids(select("SELECT * FROM mixed WHERE v = [5.0]")));
        assertEquals(List.of(), select("SELECT * FROM mixed WHERE v BETWEEN 1 AND 'z'"));
        assertFalse(select("SELECT * FROM mixed WHERE v IS NULL").isEmpty());
        assertTrue(DqlValues.equal(5L, select("SELECT v FROM mixed WHERE v IN [5.0, 'x']").get(0).get("v")));
    }
}
