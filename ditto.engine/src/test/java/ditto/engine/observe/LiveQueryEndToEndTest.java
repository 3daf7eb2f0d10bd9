package ditto.engine.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Diff;
import ditto.api.Differ;
import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.SignalNext;
import ditto.api.Store;
import ditto.api.StoreObserver;
import ditto.api.TransactionCompletionAction;
import ditto.engine.DittoEngine;
import ditto.engine.TreeMapStorageProvider;
import ditto.engine.plugin.PluginRegistry;

/** Live queries through a real instance: the store publishes commits, the hub delivers. */
class LiveQueryEndToEndTest {
    @TempDir
    Path temp;

    private DittoEngine engine;
    private Ditto ditto;
    private Store store;

    @BeforeEach
    void open() {
        PluginRegistry registry = new PluginRegistry();
        registry.addStorage(new TreeMapStorageProvider("treemap", false));
        engine = new DittoEngine(registry);
        ditto = engine.open(DittoConfig.defaults().withDatabaseId(UUID.randomUUID().toString())
                .withPersistenceDirectory(temp.resolve("db")));
        store = ditto.store();
    }

    @AfterEach
    void close() {
        ditto.close();
        engine.close();
    }

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T t = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(t, "no delivery");
        return t;
    }

    private static void assertQuiet(BlockingQueue<?> queue) throws InterruptedException {
        assertNull(queue.poll(200, TimeUnit.MILLISECONDS), "unexpected delivery");
    }

    @Test
    void deliversLocalWritesAsTheyCommit() throws Exception {
        // given
        store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'color': 'red', 'n': 1})", Map.of());
        BlockingQueue<QueryResult> results = new LinkedBlockingQueue<>();
        StoreObserver observer = store.registerObserver("SELECT * FROM cars WHERE color = :c ORDER BY n", Map.of("c", "red"),
                results::add);
        assertEquals(List.of(observer), store.observers());
        // then the first result
        QueryResult first = next(results);
        assertEquals(List.of("a"), first.values().stream().map(v -> v.get("_id")).toList());
        assertTrue(first.commitId().isPresent());
        // when a matching document is inserted
        QueryResult insert = store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'b', 'color': 'red', 'n': 0})", Map.of());
        QueryResult second = next(results);
        assertEquals(List.of("b", "a"), second.values().stream().map(v -> v.get("_id")).toList());
        assertEquals(insert.commitId(), second.commitId());
        assertEquals(List.of(), second.mutatedDocumentIds());
        // when a non-matching document is inserted, nothing is delivered
        store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'z', 'color': 'blue', 'n': 5})", Map.of());
        assertQuiet(results);
        // when a leaves the result and b is deleted in one transaction: one delivery
        store.transaction(null, tx -> {
            tx.execute("UPDATE cars SET color = 'green' WHERE _id = 'a'", Map.of());
            tx.execute("DELETE FROM cars WHERE _id = 'b'", Map.of());
            return TransactionCompletionAction.COMMIT;
        });
        assertEquals(List.of(), next(results).values());
        assertQuiet(results);
        // when cancelled
        observer.cancel();
        store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'c', 'color': 'red', 'n': 2})", Map.of());
        assertQuiet(results);
        assertEquals(List.of(), store.observers());
    }

    @Test
    void refusesAStatementOtherThanSelect() {
        DittoException e = assertThrows(DittoException.class,
                () -> store.registerObserver("UPDATE cars SET x = 1", null, QueryResult::close));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
    }

    @Test
    void withSignalNextCoalescesWritesUntilSignalled() throws Exception {
        BlockingQueue<QueryResult> results = new LinkedBlockingQueue<>();
        BlockingQueue<SignalNext> signals = new LinkedBlockingQueue<>();
        store.registerObserver("SELECT COUNT(*) AS n FROM cars", null, (result, signal) -> {
            results.add(result);
            signals.add(signal);
        });
        assertEquals(List.of(Map.of("n", 0L)), next(results).values());
        for (int i = 0; i < 10; i++) {
            store.execute("INSERT INTO cars DOCUMENTS ({'_id': :id})", Map.of("id", "c" + i));
        }
        assertQuiet(results);
        next(signals).run();
        assertEquals(List.of(Map.of("n", 10L)), next(results).values());
    }

    @Test
    void closingTheInstanceStopsDelivery() throws Exception {
        BlockingQueue<QueryResult> results = new LinkedBlockingQueue<>();
        StoreObserver observer = store.registerObserver("SELECT * FROM cars", null, results::add);
        next(results);
        ditto.close();
        assertTrue(observer.isCanceled());
        assertQuiet(results);
        assertEquals(ErrorCode.CLOSED, assertThrows(DittoException.class,
                () -> store.registerObserver("SELECT * FROM cars", null, results::add)).code());
    }

    @Test
    void differAndPublisherWorkOnARealStore() throws Exception {
        // given a differ fed by an observer, and a publisher
        BlockingQueue<Diff> diffs = new LinkedBlockingQueue<>();
        Differ differ = new Differ();
        store.registerObserver("SELECT * FROM tasks ORDER BY rank", null, result -> diffs.add(differ.diff(result)));
        LivePublisherTest.Collector subscriber = new LivePublisherTest.Collector();
        store.livePublisher("SELECT * FROM tasks ORDER BY rank", null).subscribe(subscriber);
        subscriber.sub().request(1);
        assertEquals(Diff.EMPTY, next(diffs));
        assertEquals(List.of(), subscriber.next());
        // when
        store.execute("INSERT INTO tasks DOCUMENTS ({'_id': 'a', 'rank': 1}), ({'_id': 'b', 'rank': 2})", Map.of());
        assertEquals(2, next(diffs).insertions().size());
        store.execute("UPDATE tasks SET rank = 3 WHERE _id = 'a'", Map.of());
        Diff moved = next(diffs);
        // then (a swap of two items is one move of either; a's content changed at its new index 1)
        assertEquals(1, moved.moves().size());
        assertEquals(Set.of(1), moved.updates());
        subscriber.sub().request(1);
        assertEquals(List.of("b", "a"), subscriber.next().stream().map(v -> v.get("_id")).toList());
        ditto.close();
        subscriber.sub().request(1);
        subscriber.complete.get(5, TimeUnit.SECONDS);
    }
}
