package ditto.engine.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.SignalNext;
import ditto.api.StoreObserver;

class ObserverHubTest {
    private static final long WAIT_SECONDS = 10;
    /** How long to watch for a delivery that must not happen. */
    private static final long QUIET_MILLIS = 200;

    private FakeStore store;
    private Ditto ditto;
    private ObserverHub hub;

    @BeforeEach
    void setUp() {
        store = new FakeStore();
        ditto = FakeStore.ditto();
        hub = new ObserverHub(ditto, store, null);
        store.attach(hub);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    /** Records every delivered result's values and commit id; results are closed after reading. */
    static final class Recorder {
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        void accept(QueryResult result) {
            threads.add(Thread.currentThread().getName());
            deliveries.add(new Delivery(result.values(), result.commitId().orElse(-1)));
            result.close();
        }

        Delivery next() throws InterruptedException {
            Delivery d = deliveries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(d, "no delivery within " + WAIT_SECONDS + " s");
            return d;
        }

        void assertQuiet() throws InterruptedException {
            Delivery d = deliveries.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
            assertNull(d, "unexpected delivery");
        }

        /** Waits until a delivery satisfies the predicate; returns how many deliveries it took. */
        int awaitMatching(java.util.function.Predicate<Delivery> done) throws InterruptedException {
            int n = 0;
            while (true) {
                Delivery d = next();
                n++;
                if (done.test(d)) {
                    return n;
                }
            }
        }
    }

    record Delivery(List<Map<String, Object>> values, long commitId) {
        List<Object> ids() {
            List<Object> ids = new ArrayList<>();
            values.forEach(v -> ids.add(v.get("_id")));
            return ids;
        }
    }

    static Map<String, Object> doc(Object id, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("_id", id);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void deliversFirstResultSoonAfterRegistrationOnAnEngineThread() throws Exception {
        // given
        store.upsert("cars", doc("a", "color", "red"));
        store.upsert("cars", doc("b", "color", "blue"));
        Recorder r = new Recorder();
        // when
        hub.register("SELECT * FROM cars WHERE color = :c", Map.of("c", "red"), r::accept);
        // then
        Delivery first = r.next();
        assertEquals(List.of("a"), first.ids());
        assertEquals(2, first.commitId());
        assertTrue(r.threads.get(0).startsWith("ditto-observer-"), r.threads.get(0));
    }

    @Test
    void deliversAnEmptyFirstResultForACollectionNeverWritten() throws Exception {
        Recorder r = new Recorder();
        hub.register("SELECT * FROM nothing", null, r::accept);
        assertEquals(List.of(), r.next().values());
    }

    @Test
    void deliversChangesAndSkipsCommitsThatDoNotChangeTheResult() throws Exception {
        // given
        Recorder r = new Recorder();
        hub.register("SELECT * FROM cars WHERE color = 'red'", null, r::accept);
        assertEquals(List.of(), r.next().values());
        // when a non-matching document changes
        store.upsert("cars", doc("b", "color", "blue"));
        // then nothing is delivered
        r.assertQuiet();
        // when a matching one does
        long commit = store.upsert("cars", doc("a", "color", "red"));
        // then it is delivered with the commit it reflects
        Delivery d = r.next();
        assertEquals(List.of(doc("a", "color", "red")), d.values());
        assertEquals(commit, d.commitId());
        // when it stops matching
        store.upsert("cars", doc("a", "color", "green"));
        assertEquals(List.of(), r.next().values());
    }

    @Test
    void deliversSeriallyInCommitOrderUnderConcurrentCommits() throws Exception {
        // given an observer whose callback is slow and checks it never overlaps itself
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Long> commitIds = new CopyOnWriteArrayList<>();
        AtomicReference<List<Map<String, Object>>> last = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        int writers = 4;
        int perWriter = 100;
        hub.register("SELECT * FROM counters ORDER BY _id", null, result -> {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            try {
                Thread.sleep(1);
                commitIds.add(result.commitId().getAsLong());
                last.set(result.values());
                if (result.itemCount() == writers
                        && result.values().stream().allMatch(v -> ((Long) v.get("n")) == perWriter - 1)) {
                    done.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
        });
        // when several threads commit concurrently
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        for (int w = 0; w < writers; w++) {
            String id = "w" + w;
            pool.execute(() -> {
                for (long i = 0; i < perWriter; i++) {
                    store.upsert("counters", doc(id, "n", i));
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        // then the final state arrives, callbacks never overlapped and commit ids only grew
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "final state not delivered: " + last.get());
        assertEquals(0, overlaps.get());
        for (int i = 1; i < commitIds.size(); i++) {
            assertTrue(commitIds.get(i) > commitIds.get(i - 1), "commit ids not increasing: " + commitIds);
        }
        assertTrue(commitIds.size() < writers * perWriter, "commits were not coalesced: " + commitIds.size());
    }

    @Test
    void coalescesCommitsArrivingWhileTheCallbackRuns() throws Exception {
        // given a callback blocked in its first delivery
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder r = new Recorder();
        hub.register("SELECT * FROM cars", null, result -> {
            if (inFirst.getCount() == 1) {
                inFirst.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            r.accept(result);
        });
        assertTrue(inFirst.await(WAIT_SECONDS, TimeUnit.SECONDS));
        // when 50 commits happen meanwhile
        for (int i = 0; i < 50; i++) {
            store.upsert("cars", doc("c" + (i % 5), "n", (long) i));
        }
        release.countDown();
        // then the first delivery is followed by exactly one with the final state
        assertEquals(List.of(), r.next().values());
        Delivery second = r.next();
        assertEquals(5, second.values().size());
        assertEquals(49L, second.values().get(4).get("n"));
        assertEquals(50, second.commitId());
        r.assertQuiet();
    }

    @Test
    void withSignalNextDeliversNothingUntilSignalledThenTheCoalescedResult() throws Exception {
        // given
        BlockingQueue<SignalNext> signals = new LinkedBlockingQueue<>();
        Recorder r = new Recorder();
        hub.register("SELECT * FROM cars", null, (result, signal) -> {
            r.accept(result);
            signals.add(signal);
        });
        assertEquals(List.of(), r.next().values());
        SignalNext signal = signals.take();
        // when commits happen before the signal
        for (int i = 0; i < 20; i++) {
            store.upsert("cars", doc("a", "n", (long) i));
        }
        // then nothing is delivered
        r.assertQuiet();
        // when the application signals (from its own thread)
        signal.run();
        // then one delivery carries the latest state
        Delivery d = r.next();
        assertEquals(List.of(doc("a", "n", 19L)), d.values());
        r.assertQuiet();
        // and a second run of the same signal does not release another delivery
        signal.run();
        store.upsert("cars", doc("a", "n", 100L));
        r.assertQuiet();
        signals.take().run();
        assertEquals(List.of(doc("a", "n", 100L)), r.next().values());
    }

    @Test
    void withSignalNextCalledInsideTheCallbackDeliversEveryChange() throws Exception {
        Recorder r = new Recorder();
        hub.register("SELECT * FROM cars", null, (result, signal) -> {
            r.accept(result);
            signal.run();
        });
        assertEquals(0, r.next().values().size());
        store.upsert("cars", doc("a"));
        assertEquals(1, r.next().values().size());
        store.upsert("cars", doc("b"));
        assertEquals(2, r.next().values().size());
    }

    @Test
    void reevaluatesOnlyObserversWhoseCollectionChanged() throws Exception {
        // given an incremental and a non-incremental observer on "cars", one on "boats"
        Recorder cars = new Recorder();
        Recorder limited = new Recorder();
        Recorder boats = new Recorder();
        hub.register("SELECT * FROM cars", null, cars::accept);
        hub.register("SELECT * FROM cars ORDER BY _id LIMIT 10", null, limited::accept);
        hub.register("SELECT * FROM boats", null, boats::accept);
        cars.next();
        limited.next();
        boats.next();
        int carSelects = store.selects("cars");
        int boatSelects = store.selects("boats");
        // when only cars change
        store.upsert("cars", doc("a"));
        cars.next();
        limited.next();
        // then boats were not read again, the incremental observer read one id set, the limited one ran again
        boats.assertQuiet();
        assertEquals(boatSelects, store.selects("boats"));
        assertEquals(0, store.documentReads("boats"));
        assertEquals(1, store.documentReads("cars"));
        assertEquals(carSelects + 1, store.selects("cars"));
    }

    @Test
    void runsTheQueryFullyWhenACommitDoesNotNameTheChangedIds() throws Exception {
        Recorder r = new Recorder();
        hub.register("SELECT * FROM cars", null, r::accept);
        r.next();
        int selects = store.selects("cars");
        store.upsert("cars", doc("a"));
        r.next();
        hub.onCommit(new CommitEvent(99, Map.of("cars", Set.of())));
        r.assertQuiet();
        assertEquals(selects + 1, store.selects("cars"));
    }

    @Test
    void cancelStopsDeliveryAndRemovesTheObserver() throws Exception {
        // given
        Recorder r = new Recorder();
        StoreObserver observer = hub.register("SELECT * FROM cars", null, r::accept);
        r.next();
        assertEquals(List.of(observer), hub.observers());
        // when
        observer.cancel();
        observer.cancel();
        store.upsert("cars", doc("a"));
        // then
        r.assertQuiet();
        assertTrue(observer.isCanceled());
        assertEquals(List.of(), hub.observers());
        assertEquals(0, store.documentReads("cars"));
    }

    @Test
    void cancelFromInsideTheCallbackLetsItFinishAndStopsLaterDeliveries() throws Exception {
        AtomicReference<StoreObserver> self = new AtomicReference<>();
        CountDownLatch registered = new CountDownLatch(1);
        Recorder r = new Recorder();
        self.set(hub.register("SELECT * FROM cars", null, result -> {
            try {
                registered.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            self.get().cancel();
            r.accept(result);
        }));
        registered.countDown();
        assertNotNull(r.next());
        store.upsert("cars", doc("a"));
        r.assertQuiet();
    }

    @Test
    void closeCancelsEveryObserverAndRefusesNewOnes() throws Exception {
        // given
        Recorder r = new Recorder();
        StoreObserver a = hub.register("SELECT * FROM cars", null, r::accept);
        StoreObserver b = hub.register("SELECT * FROM boats", null, (result, signal) -> r.accept(result));
        r.next();
        r.next();
        // when
        hub.close();
        hub.close();
        store.upsert("cars", doc("a"));
        // then
        r.assertQuiet();
        assertTrue(a.isCanceled());
        assertTrue(b.isCanceled());
        assertEquals(List.of(), hub.observers());
        DittoException e = assertThrows(DittoException.class, () -> hub.register("SELECT * FROM cars", null, r::accept));
        assertEquals(ErrorCode.CLOSED, e.code());
        assertSame(ditto, a.ditto());
    }

    @Test
    void runsCancelActionsOnAnEngineThreadWhenCancelledOrClosed() throws Exception {
        // given two observers with cancel actions
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        LiveObserver a = (LiveObserver) hub.register("SELECT * FROM cars", null, QueryResult::close);
        LiveObserver b = (LiveObserver) hub.register("SELECT * FROM boats", null, QueryResult::close);
        a.onCancel(() -> ran.add("a " + Thread.currentThread().getName()));
        b.onCancel(() -> ran.add("b " + Thread.currentThread().getName()));
        b.onCancel(() -> {
            throw new IllegalStateException("a failing action is logged");
        });
        // when a is cancelled
        a.cancel();
        // then its action runs once, on a delivery thread
        String first = ran.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(first);
        assertTrue(first.startsWith("a ditto-observer-"), first);
        a.cancel();
        // when an action is added after cancellation, it runs too
        a.onCancel(() -> ran.add("late"));
        assertEquals("late", ran.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        // when the hub closes, b's action runs
        hub.close();
        String second = ran.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(second);
        assertTrue(second.startsWith("b "), second);
        assertNull(ran.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Test
    void closeShutsTheDefaultDeliveryThreadsDown() throws Exception {
        Recorder r = new Recorder();
        hub.register("SELECT * FROM cars", null, r::accept);
        r.next();
        hub.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (liveObserverThreads(r.threads.get(0)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(liveObserverThreads(r.threads.get(0)), "delivery thread still alive after close");
    }

    private static boolean liveObserverThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void aThrowingCallbackIsLoggedAndNeitherStopsItsObserverNorOthers() throws Exception {
        // given one observer that throws at every delivery and one that signals never but throws
        AtomicInteger thrown = new AtomicInteger();
        Recorder r = new Recorder();
        Recorder other = new Recorder();
        hub.register("SELECT * FROM cars", null, result -> {
            thrown.incrementAndGet();
            r.accept(result);
            throw new IllegalStateException("application bug");
        });
        hub.register("SELECT * FROM cars", null, (result, signal) -> {
            other.accept(result);
            throw new IllegalStateException("application bug without signal");
        });
        hub.register("SELECT * FROM cars", null, (result, signal) -> {
            throw new OutOfMemoryError("simulated");
        });
        r.next();
        other.next();
        // when
        store.upsert("cars", doc("a"));
        // then both keep receiving (the signal of a throwing callback is run for it)
        assertEquals(1, r.next().values().size());
        assertEquals(1, other.next().values().size());
        assertEquals(2, thrown.get());
    }

    @Test
    void refusesStatementsOtherThanSelectFromTheRegistrationCall() {
        Recorder r = new Recorder();
        DittoException e = assertThrows(DittoException.class,
                () -> hub.register("DELETE FROM cars WHERE _id = 'a'", null, r::accept));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("SELECT"), e.getMessage());
        assertEquals(ErrorCode.UNSUPPORTED, assertThrows(DittoException.class,
                () -> hub.register("INSERT INTO cars DOCUMENTS ({'_id': 1})", null, (res, s) -> { })).code());
        assertEquals(ErrorCode.QUERY_COMPILATION, assertThrows(DittoException.class,
                () -> hub.register("SELEC * FROM cars", null, r::accept)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class,
                () -> hub.register("SELECT * FROM cars WHERE a = :missing", null, r::accept)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class,
                () -> hub.register("SELECT * FROM cars LIMIT :n", Map.of("n", "ten"), r::accept)).code());
        assertThrows(NullPointerException.class, () -> hub.register(null, null, r::accept));
        assertEquals(List.of(), hub.observers());
    }

    @Test
    void exposesTheQueryAndACopyOfItsArguments() {
        Map<String, Object> args = new HashMap<>();
        args.put("c", "red");
        args.put("n", null);
        StoreObserver observer = hub.register("SELECT * FROM cars WHERE color = :c OR x = :n", args, (r, s) -> r.close());
        args.put("c", "blue");
        assertEquals("SELECT * FROM cars WHERE color = :c OR x = :n", observer.queryString());
        assertEquals("red", observer.queryArguments().get("c"));
        assertTrue(observer.queryArguments().containsKey("n"));
        assertThrows(UnsupportedOperationException.class, () -> observer.queryArguments().put("x", 1));
        assertSame(ditto, observer.ditto());
        assertEquals(Map.of(), hub.register("SELECT * FROM cars", null, QueryResult::close).queryArguments());
    }

    @Test
    void maintainsProjectionsAndOrderIncrementally() throws Exception {
        // given
        store.upsert("tasks", doc("a", "rank", 3L, "title", "A", "done", false));
        store.upsert("tasks", doc("b", "rank", 1L, "title", "B", "done", false));
        Recorder r = new Recorder();
        hub.register("SELECT title, rank FROM tasks WHERE done = false ORDER BY rank DESC", null, r::accept);
        assertEquals(List.of(Map.of("title", "A", "rank", 3L), Map.of("title", "B", "rank", 1L)), r.next().values());
        // when b moves to the top and a new task arrives
        store.upsert("tasks", doc("b", "rank", 5L, "title", "B", "done", false));
        assertEquals(List.of(Map.of("title", "B", "rank", 5L), Map.of("title", "A", "rank", 3L)), r.next().values());
        store.upsert("tasks", doc("c", "rank", 4L, "title", "C", "done", false));
        assertEquals(List.of("B", "C", "A"), r.next().values().stream().map(v -> v.get("title")).toList());
        // when a is done
        store.upsert("tasks", doc("a", "rank", 3L, "title", "A", "done", true));
        assertEquals(List.of("B", "C"), r.next().values().stream().map(v -> v.get("title")).toList());
        assertEquals(0, store.selects("tasks") - 1, "only the first evaluation reads the collection");
        assertNotEquals(0, store.documentReads("tasks"));
    }

    @Test
    void aggregatesAndLimitsRunTheQueryAgain() throws Exception {
        Recorder count = new Recorder();
        Recorder top = new Recorder();
        hub.register("SELECT COUNT(*) AS n FROM cars", null, count::accept);
        hub.register("SELECT * FROM cars ORDER BY n DESC LIMIT 2", null, top::accept);
        assertEquals(List.of(Map.of("n", 0L)), count.next().values());
        assertEquals(List.of(), top.next().values());
        for (long i = 1; i <= 3; i++) {
            store.upsert("cars", doc("c" + i, "n", i));
        }
        count.awaitMatching(d -> d.values().equals(List.of(Map.of("n", 3L))));
        top.awaitMatching(d -> d.ids().equals(List.of("c3", "c2")));
        assertEquals(0, store.documentReads("cars"));
    }
}
