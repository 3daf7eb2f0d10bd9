package ditto.engine.store;

import static ditto.engine.store.StoreFixture.assertCode;
import static ditto.engine.store.StoreFixture.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.Store;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.crdt.OpContext;
import ditto.engine.crdt.SiteId;
import ditto.engine.crdt.Timestamp;
import ditto.engine.crdt.TypeHints;

/**
 * DQL over the store, end to end through {@code store.execute}: every statement kind with its
 * options, results and errors, on the in-memory backend.
 */
class StatementsTest {

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

    private List<Map<String, Object>> select(String dql) {
        return rows(db, dql);
    }

    private List<Object> mutated(String dql, Map<String, ?> args) {
        try (QueryResult r = store.execute(dql, args)) {
            assertEquals(0, r.itemCount(), "a mutation returns no items");
            assertTrue(r.commitId().isPresent(), "a mutation outside a transaction has a commit id");
            return r.mutatedDocumentIds();
        }
    }

    private List<Object> mutated(String dql) {
        return mutated(dql, Map.of());
    }

    private static Map<String, Object> doc(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- SELECT ----------------------------------------------------------------------------------

    @Test
    void selectOnANeverWrittenCollectionIsEmpty() {
        try (QueryResult r = store.execute("SELECT * FROM nothing_here")) {
            assertEquals(0, r.itemCount());
            assertTrue(r.commitId().isPresent());
        }
    }

    @Test
    void selectReturnsWholeDocumentsOrProjectionsFilteredOrderedAndLimited() {
        // given five cars
        for (int i = 1; i <= 5; i++) {
            mutated("INSERT INTO cars DOCUMENTS (:d)", Map.of("d", doc("_id", "c" + i, "n", (long) i,
                    "color", i % 2 == 0 ? "red" : "blue")));
        }
        // when selecting with WHERE, ORDER BY, LIMIT, OFFSET and a projection
        List<Map<String, Object>> result = select(
                "SELECT _id, n AS number FROM cars WHERE color = 'blue' ORDER BY n DESC LIMIT 2 OFFSET 1");
        // then
        assertEquals(List.of(doc("_id", "c3", "number", 3L), doc("_id", "c1", "number", 1L)), result);
        assertEquals(doc("_id", "c2", "n", 2L, "color", "red"), select("SELECT * FROM cars WHERE _id = 'c2'").get(0));
        assertEquals(List.of(doc("($1)", 5L)), select("SELECT COUNT(*) FROM cars"));
        assertEquals(List.of(doc("color", "blue", "c", 3L), doc("color", "red", "c", 2L)),
                select("SELECT color, COUNT(*) AS c FROM cars GROUP BY color ORDER BY color"));
    }

    @Test
    void argumentMapsAreMerged() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'x': 1}), ({'_id': 'b', 'x': 2})");
        @SuppressWarnings("unchecked")
        QueryResult r = store.execute("SELECT * FROM cars WHERE x = :x AND _id = :id", Map.of("x", 1, "id", "b"),
                Map.of("id", "a"));
        assertEquals(List.of(doc("_id", "a", "x", 1L)), r.values());
    }

    // ---- INSERT ----------------------------------------------------------------------------------

    @Test
    void insertReturnsTheIdsAndGeneratesMissingOnes() {
        List<Object> ids = mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a'}), ({'color': 'red'})");
        assertEquals(2, ids.size());
        assertEquals("a", ids.get(0));
        assertTrue(((String) ids.get(1)).matches("[0-9a-f]{32}"), ids.get(1).toString());
        assertEquals(List.of(doc("_id", ids.get(1), "color", "red")),
                select("SELECT * FROM cars WHERE color = 'red'"));
    }

    @Test
    void objectIdsAreCompositeKeysComparedWholeOrByComponent() {
        mutated("INSERT INTO orders DOCUMENTS ({'_id': {'site': 'x', 'n': 1}, 'v': 1}), ({'_id': {'n': 2, 'site': 'x'}, 'v': 2})");
        assertEquals(1, select("SELECT * FROM orders WHERE _id = {'n': 1, 'site': 'x'}").size());
        assertEquals(2, select("SELECT * FROM orders WHERE _id.site = 'x'").size());
        assertCode(ErrorCode.DOCUMENT_ID_CONFLICT,
                () -> store.execute("INSERT INTO orders DOCUMENTS ({'_id': {'site': 'x', 'n': 1.0}})"));
    }

    @Test
    void insertConflictFailsAndWritesNothingOfTheStatement() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'b', 'v': 1})");
        DittoException e = assertCode(ErrorCode.DOCUMENT_ID_CONFLICT,
                () -> store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 1}), ({'_id': 'b', 'v': 2})"));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertEquals(List.of(doc("_id", "b", "v", 1L)), select("SELECT * FROM cars"));
        assertCode(ErrorCode.DOCUMENT_ID_CONFLICT,
                () -> store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'b'}) ON ID CONFLICT FAIL"));
    }

    @Test
    void insertConflictPolicies() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 1, 'keep': true})");

        assertEquals(List.of(), mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 9}) ON ID CONFLICT DO NOTHING"));
        assertEquals(doc("_id", "a", "keep", true, "v", 1L), select("SELECT * FROM cars").get(0));

        assertEquals(List.of("a"), mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 2}) ON ID CONFLICT DO UPDATE"));
        assertEquals(doc("_id", "a", "keep", true, "v", 2L), select("SELECT * FROM cars").get(0),
                "an upsert keeps fields absent from the payload");
        assertEquals(List.of("a"), mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 2}) ON ID CONFLICT DO UPDATE"),
                "DO UPDATE writes equal values too");

        assertEquals(List.of(), mutated(
                "INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 2.0}) ON ID CONFLICT DO UPDATE_LOCAL_DIFF"));
        assertEquals(List.of("a"), mutated(
                "INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 2, 'w': 3}) ON ID CONFLICT DO UPDATE_LOCAL_DIFF"));
        assertEquals(doc("_id", "a", "keep", true, "v", 2L, "w", 3L), select("SELECT * FROM cars").get(0));

        assertEquals(List.of("new"), mutated("INSERT INTO cars DOCUMENTS ({'_id': 'new'}) ON ID CONFLICT DO NOTHING"));
    }

    @Test
    void insertOverADeletedIdRecreatesIt() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'old': 1})");
        mutated("DELETE FROM cars WHERE _id = 'a'");
        assertEquals(List.of("a"), mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'new': 2})"));
        assertEquals(List.of(doc("_id", "a", "new", 2L)), select("SELECT * FROM cars"));
    }

    @Test
    void initialDocumentsAreWrittenOnlyWhereNoDocumentExistsAndLoseToRealWrites() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'real', 'v': 'real'})");
        List<Object> ids = mutated("INSERT INTO cars INITIAL DOCUMENTS ({'_id': 'real', 'v': 'seed'}), ({'_id': 'seed', 'v': 'seed'})");
        assertEquals(List.of("seed"), ids);
        assertEquals(List.of(), mutated("INSERT INTO cars INITIAL DOCUMENTS ({'_id': 'seed', 'v': 'seed'})"),
                "an identical initial document again changes nothing");
        assertEquals(List.of(doc("_id", "real", "v", "real"), doc("_id", "seed", "v", "seed")),
                select("SELECT * FROM cars ORDER BY _id"));
        assertTrue(((StoreImpl) store).readDocument("cars", "seed").isInitialOnly());

        mutated("UPDATE cars SET v = 'written' WHERE _id = 'seed'");
        assertEquals(List.of(), mutated("INSERT INTO cars INITIAL DOCUMENTS ({'_id': 'seed', 'v': 'seed', 'x': 1})"));
        assertEquals(List.of(doc("_id", "seed", "v", "written")), select("SELECT * FROM cars WHERE _id = 'seed'"));
    }

    // ---- UPDATE ----------------------------------------------------------------------------------

    @Test
    void updateSetsUnsetsAndKeepsMapSiblings() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'engine': {'hp': 100, 'fuel': 'gas'}, 'old': true, 'n': 1})");
        List<Object> ids = mutated("UPDATE cars SET engine.hp = engine.hp + 20, n = n * 10 UNSET old WHERE _id = 'a'");
        assertEquals(List.of("a"), ids);
        assertEquals(doc("_id", "a", "engine", doc("fuel", "gas", "hp", 120L), "n", 10L),
                select("SELECT * FROM cars").get(0));
    }

    @Test
    void updateAppliesCounters() {
        mutated("INSERT INTO COLLECTION cars (likes COUNTER, legacy PN_COUNTER) DOCUMENTS ({'_id': 'a', 'likes': 1, 'legacy': 0})");
        mutated("UPDATE COLLECTION cars (likes COUNTER, legacy PN_COUNTER) APPLY likes INCREMENT BY 2, legacy PN_INCREMENT BY -3 WHERE _id = 'a'");
        assertEquals(doc("_id", "a", "legacy", -3L, "likes", 3L), select("SELECT * FROM cars").get(0));
        mutated("UPDATE COLLECTION cars (likes COUNTER) APPLY likes RESTART WITH 10 WHERE _id = 'a'");
        mutated("UPDATE COLLECTION cars (likes COUNTER) APPLY likes INCREMENT BY 0.5 WHERE _id = 'a'");
        assertEquals(10.5, select("SELECT likes FROM cars").get(0).get("likes"));
        mutated("UPDATE COLLECTION cars (likes COUNTER) APPLY likes RESTART WHERE _id = 'a'");
        assertEquals(0L, select("SELECT likes FROM cars").get(0).get("likes"));
    }

    @Test
    void updateNeverInsertsAndReportsOnlyChangedDocuments() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 1}), ({'_id': 'b', 'v': 2})");
        assertEquals(List.of(), mutated("UPDATE cars SET v = 5 WHERE _id = 'zzz'"));
        assertEquals(List.of(), mutated("UPDATE cars SET v = 5 WHERE _id = 'zzz'"));
        assertEquals(List.of(), mutated("UPDATE nowhere SET v = 5"));
        assertEquals(2, select("SELECT * FROM cars").size());
        assertEquals(List.of("b"), mutated("UPDATE cars SET v = 3 ORDER BY v DESC LIMIT 1"));
        assertEquals(List.of(doc("_id", "a", "v", 1L), doc("_id", "b", "v", 3L)), select("SELECT * FROM cars ORDER BY _id"));
        assertEquals(List.of(), mutated("UPDATE cars UNSET missing_field"), "unsetting an absent field changes nothing");
    }

    @Test
    void updateErrorsLeaveEveryDocumentUnchanged() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 1}), ({'_id': 'b', 'v': 'text'})");
        DittoException e = assertCode(ErrorCode.INVALID_ARGUMENTS, () -> store.execute("UPDATE cars SET v.x = 1 ORDER BY _id"));
        assertNotNull(e.getMessage());
        assertEquals(List.of(doc("_id", "a", "v", 1L), doc("_id", "b", "v", "text")), select("SELECT * FROM cars ORDER BY _id"));
        assertCode(ErrorCode.QUERY_COMPILATION, () -> store.execute("UPDATE cars SET _id = 'x'"));
    }

    // ---- DELETE and EVICT ------------------------------------------------------------------------

    @Test
    void deleteLeavesAHiddenTombstoneWhileEvictRemovesTheLocalCopy() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'd', 'v': 1}), ({'_id': 'e', 'v': 2}), ({'_id': 'k', 'v': 3})");
        assertEquals(List.of("d"), mutated("DELETE FROM cars WHERE _id = 'd'"));
        assertEquals(List.of("e"), mutated("EVICT FROM cars WHERE v = 2"));
        assertEquals(List.of(doc("_id", "k", "v", 3L)), select("SELECT * FROM cars"));

        StoreImpl impl = (StoreImpl) store;
        assertTrue(impl.readDocument("cars", "d").isDeleted(), "DELETE keeps a tombstone");
        assertNull(impl.readDocument("cars", "e"), "EVICT keeps nothing");
        assertEquals(List.of(), mutated("DELETE FROM cars WHERE _id = 'd'"), "a tombstone is not deleted again");

        // an initial document does not resurrect a deleted one, but fills an evicted id
        mutated("INSERT INTO cars INITIAL DOCUMENTS ({'_id': 'd', 'v': 0}), ({'_id': 'e', 'v': 0})");
        assertEquals(List.of("e", "k"), select("SELECT _id FROM cars ORDER BY _id").stream().map(m -> m.get("_id")).toList());
    }

    @Test
    void deleteAndEvictHonourOrderAndLimit() {
        for (int i = 0; i < 6; i++) {
            mutated("INSERT INTO n DOCUMENTS ({'_id': :i, 'v': :i})", Map.of("i", i));
        }
        assertEquals(List.of(5L, 4L), mutated("DELETE FROM n ORDER BY v DESC LIMIT 2"));
        assertEquals(List.of(1L), mutated("EVICT FROM n ORDER BY v LIMIT 1 OFFSET 1"));
        assertEquals(List.of(0L, 2L, 3L), select("SELECT _id FROM n ORDER BY _id").stream().map(m -> m.get("_id")).toList());
        assertEquals(List.of(0L, 2L, 3L), mutated("DELETE FROM n"));
        assertEquals(List.of(), select("SELECT * FROM n"));
    }

    // ---- strict mode -----------------------------------------------------------------------------

    @Test
    void strictModeStoresObjectsAsRegistersSoConcurrentKeyWritesDoNotMerge() {
        // given the same document written without and with strict mode
        mutated("INSERT INTO m DOCUMENTS ({'_id': 'loose', 'o': {'a': 1}})");
        store.execute("ALTER SYSTEM SET DQL_STRICT_MODE = true");
        assertEquals(List.of(Map.of("name", "DQL_STRICT_MODE", "value", true)), select("SHOW DQL_STRICT_MODE"));
        mutated("INSERT INTO m DOCUMENTS ({'_id': 'strict', 'o': {'a': 1}})");
        StoreImpl impl = (StoreImpl) store;

        // when another site writes key b and this site writes key c concurrently, then merges
        Map<String, Object> loose = concurrentKeyWrites(impl.readDocument("m", "loose"), false);
        Map<String, Object> strict = concurrentKeyWrites(impl.readDocument("m", "strict"), true);

        // then the MAP kept both keys and the REGISTER kept one whole object
        assertEquals(doc("a", 1L, "b", 2L, "c", 3L), loose.get("o"));
        assertEquals(2, ((Map<?, ?>) strict.get("o")).size(), strict.toString());
        store.execute("ALTER SYSTEM RESET DQL_STRICT_MODE");
        assertEquals(false, select("SHOW DQL_STRICT_MODE").get(0).get("value"));
    }

    private static Map<String, Object> concurrentKeyWrites(CrdtDocument base, boolean strict) {
        long hlc = base.versionVector().maxHlc();
        CrdtDocument remote = base.set(ditto.engine.crdt.Path.parse("o.b"), 2L, TypeHints.NONE,
                new OpContext(Timestamp.of(hlc + 10, SiteId.of(7)), strict));
        CrdtDocument local = base.set(ditto.engine.crdt.Path.parse("o.c"), 3L, TypeHints.NONE,
                new OpContext(Timestamp.of(hlc + 5, SiteId.of(9)), strict));
        return local.merge(remote).value().orElseThrow();
    }

    // ---- settings --------------------------------------------------------------------------------

    @Test
    void settingsAreShownChangedResetAndValidated() {
        assertEquals(10, select("SHOW ALL").size());
        assertEquals(List.of(Map.of("name", "TOMBSTONE_TTL_HOURS", "value", 168L)), select("SHOW tombstone_ttl_hours"));
        store.execute("ALTER SYSTEM SET TOMBSTONE_TTL_HOURS = 2");
        assertEquals(2L, select("SHOW TOMBSTONE_TTL_HOURS").get(0).get("value"));
        store.execute("ALTER SYSTEM RESET ALL");
        assertEquals(168L, select("SHOW TOMBSTONE_TTL_HOURS").get(0).get("value"));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> store.execute("ALTER SYSTEM SET NO_SUCH_SETTING = 1"));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> store.execute("SHOW NO_SUCH_SETTING"));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> store.execute("ALTER SYSTEM SET DQL_STRICT_MODE = 'yes'"));
    }

    // ---- limits and errors -----------------------------------------------------------------------

    @Test
    void oversizedDocumentsAreRefusedWithNothingWritten() {
        store.execute("ALTER SYSTEM SET DOCUMENT_SIZE_SOFT_LIMIT_BYTES = 1000");
        store.execute("ALTER SYSTEM SET DOCUMENT_SIZE_HARD_LIMIT_BYTES = 2000");
        String big = "x".repeat(2_500);
        String medium = "x".repeat(1_200);
        assertEquals(List.of("ok"), mutated("INSERT INTO b DOCUMENTS ({'_id': 'ok', 't': :t})", Map.of("t", medium)),
                "above the soft limit is only a warning");
        assertCode(ErrorCode.DOCUMENT_TOO_LARGE,
                () -> store.execute("INSERT INTO b DOCUMENTS ({'_id': 'small'}), ({'_id': 'big', 't': :t})", Map.of("t", big)));
        assertCode(ErrorCode.DOCUMENT_TOO_LARGE, () -> store.execute("UPDATE b SET t = :t", Map.of("t", big)));
        assertEquals(List.of(doc("_id", "ok", "t", medium)), select("SELECT * FROM b"));
    }

    @Test
    void defaultHardLimitIsFiveMebibytes() {
        String big = "y".repeat(5 * 1024 * 1024 + 1);
        assertCode(ErrorCode.DOCUMENT_TOO_LARGE, () -> store.execute("INSERT INTO b DOCUMENTS ({'t': :t})", Map.of("t", big)));
        assertEquals(List.of(), select("SELECT * FROM b"));
    }

    @Test
    void invalidValuesAreClearErrorsWithNothingWritten() {
        assertCode(ErrorCode.INVALID_ARGUMENTS,
                () -> store.execute("INSERT INTO e DOCUMENTS ({'_id': 'a', 'v': :v})", Map.of("v", Double.NaN)));
        assertCode(ErrorCode.INVALID_ARGUMENTS,
                () -> store.execute("INSERT INTO e DOCUMENTS ({'_id': :id})", Map.of("id", List.of(Double.NaN))));
        assertCode(ErrorCode.INVALID_ARGUMENTS,
                () -> store.execute("INSERT INTO e DOCUMENTS ({'_id': 'a', 'v': :v})", Map.of("v", new Object())));
        assertCode(ErrorCode.INVALID_ARGUMENTS,
                () -> store.execute("INSERT INTO e DOCUMENTS ({'_id': null})"));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> store.execute("SELECT * FROM e WHERE v = :missing"));
        Object deep = "leaf";
        for (int i = 0; i < 70; i++) {
            deep = Map.of("d", deep);
        }
        Object tooDeep = deep;
        assertCode(ErrorCode.INVALID_ARGUMENTS,
                () -> store.execute("INSERT INTO e DOCUMENTS ({'_id': 'ok'}), ({'_id': 'deep', 'v': :v})", Map.of("v", tooDeep)));
        assertEquals(List.of(), select("SELECT * FROM e"));
    }

    @Test
    void syntaxAndUnsupportedFeaturesAreReported() {
        DittoException e = assertCode(ErrorCode.QUERY_COMPILATION, () -> store.execute("SELEKT * FROM cars"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertCode(ErrorCode.UNSUPPORTED, () -> store.execute("SELECT * FROM a, b"));
        assertCode(ErrorCode.UNSUPPORTED, () -> store.execute("INSERT INTO system:indexes DOCUMENTS ({'a': 1})"));
        assertCode(ErrorCode.UNSUPPORTED, () -> store.execute("DELETE FROM system:indexes"));
        assertCode(ErrorCode.QUERY_COMPILATION, () -> store.execute("SELECT * FROM system:nope"));
    }

    @Test
    void explainReturnsOnePlanItemWithoutExecuting() {
        mutated("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 1})");
        List<Map<String, Object>> plan = select("EXPLAIN DELETE FROM cars WHERE v = 1");
        assertEquals(1, plan.size());
        assertEquals("scan", plan.get(0).get("access"));
        assertEquals(1, select("SELECT * FROM cars").size(), "EXPLAIN did not delete");
        assertEquals("index scan", select("EXPLAIN SELECT * FROM cars WHERE _id = 'a'").get(0).get("access"));
    }

    @Test
    void binaryValuesInResultsAreCopiesThatCannotChangeTheStore() {
        mutated("INSERT INTO b DOCUMENTS ({'_id': 'x', 'data': :d, 'list': [:d]})", Map.of("d", new byte[] {1, 2, 3}));
        Map<String, Object> first = select("SELECT * FROM b").get(0);
        ((byte[]) first.get("data"))[0] = 99;
        ((byte[]) ((List<?>) first.get("list")).get(0))[0] = 99;
        Map<String, Object> again = select("SELECT * FROM b WHERE _id = 'x'").get(0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) again.get("data"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) ((List<?>) again.get("list")).get(0));
    }

    @Test
    void commitIdsIncreaseWithEveryWrite() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (QueryResult r = store.execute("INSERT INTO c DOCUMENTS ({'v': :i})", Map.of("i", i))) {
                ids.add(r.commitId().orElseThrow());
            }
        }
        List<Long> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        assertEquals(sorted, ids);
        assertEquals(5, ids.stream().distinct().count());
        try (QueryResult r = store.execute("SELECT * FROM c")) {
            assertEquals(ids.get(4), r.commitId().orElseThrow(), "a SELECT reports the commit it read");
        }
        assertFalse(select("SELECT * FROM c").isEmpty());
    }
}
