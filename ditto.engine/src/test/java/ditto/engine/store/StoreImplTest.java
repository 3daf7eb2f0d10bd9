package ditto.engine.store;

import static ditto.engine.store.StoreFixture.assertCode;
import static ditto.engine.store.StoreFixture.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.Store;
import ditto.api.StoreObserver;
import ditto.api.Transaction;
import ditto.api.TransactionCompletionAction;
import ditto.api.TransactionOptions;

/**
 * Transactions, close semantics, durability across reopen, the tombstone reaper and the
 * long-transaction log of {@link StoreImpl}.
 */
class StoreImplTest {

    @TempDir
    Path temp;

    private StoreFixture fixture = StoreFixture.memory();

    @AfterEach
    void closeFixture() {
        fixture.close();
    }

    private Ditto open() {
        return fixture.open(temp.resolve("db"));
    }

    private static int count(Store store, String collection) {
        try (QueryResult r = store.execute("SELECT * FROM " + collection)) {
            return r.itemCount();
        }
    }

    // ---- transactions ----------------------------------------------------------------------------

    @Test
    void commitsEveryStatementOfATransactionTogetherAndSeesItsOwnWrites() {
        Ditto ditto = open();
        Store store = ditto.store();
        TransactionCompletionAction action = store.transaction(TransactionOptions.DEFAULT.withHint("import"), tx -> {
            assertEquals("import", tx.info().hint().orElseThrow());
            assertFalse(tx.info().isReadOnly());
            assertSame(store, tx.store());
            QueryResult inserted = tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'}), ({'_id': 'b'})");
            assertEquals(List.of("a", "b"), inserted.mutatedDocumentIds());
            assertTrue(inserted.commitId().isEmpty(), "no commit id before the commit");
            QueryResult seen = tx.execute("SELECT * FROM cars");
            assertEquals(2, seen.itemCount());
            assertTrue(seen.commitId().isEmpty());
            assertEquals(0, count(store, "cars"), "others do not see uncommitted writes");
            tx.execute("UPDATE cars SET v = 1 WHERE _id = 'b'");
            return TransactionCompletionAction.COMMIT;
        });
        assertEquals(TransactionCompletionAction.COMMIT, action);
        assertEquals(List.of(Map.of("_id", "b", "v", 1L)), rows(ditto, "SELECT * FROM cars WHERE v = 1"));
    }

    @Test
    void rollbackDiscardsEverything() {
        Store store = open().store();
        assertEquals(TransactionCompletionAction.ROLLBACK, store.transaction(null, tx -> {
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'})");
            tx.execute("CREATE INDEX i ON cars (x)");
            return TransactionCompletionAction.ROLLBACK;
        }));
        assertEquals(0, count(store, "cars"));
        assertEquals(0, count(store, "system:indexes"));
    }

    @Test
    void anExceptionFromTheFunctionRollsBackAndIsRethrown() {
        Store store = open().store();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> store.transaction(null, tx -> {
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'})");
            throw boom;
        }));
        assertSame(boom, thrown);
        DittoException wrapped = assertCode(ErrorCode.INTERNAL, () -> store.transaction(null, tx -> {
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'})");
            throw new IOException("disk");
        }));
        assertTrue(wrapped.getCause() instanceof IOException);
        assertThrows(IllegalStateException.class, () -> store.transactionWithResult(null, tx -> {
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'})");
            throw boom;
        }));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> store.transaction(null, tx -> {
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'})");
            return null;
        }));
        assertEquals(0, count(store, "cars"));
    }

    @Test
    void anErrorCaughtInsideTheFunctionDoesNotRollBack() {
        Store store = open().store();
        store.transaction(null, tx -> {
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'})");
            assertCode(ErrorCode.DOCUMENT_ID_CONFLICT,
                    () -> tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'b'}), ({'_id': 'a'})"));
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'c'})");
            return TransactionCompletionAction.COMMIT;
        });
        assertEquals(2, count(store, "cars"), "a and c, but not b of the failed statement");
    }

    @Test
    void transactionWithResultCommitsAndReturnsTheValue() {
        Store store = open().store();
        long n = store.transactionWithResult(null, tx -> {
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'}), ({'_id': 'b'})");
            return (long) tx.execute("SELECT COUNT(*) AS n FROM cars").item(0).value().get("n");
        });
        assertEquals(2L, n);
        assertEquals(2, count(store, "cars"));
    }

    @Test
    void readOnlyTransactionsRejectMutations() {
        Store store = open().store();
        store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'})");
        store.transaction(TransactionOptions.readOnly(), tx -> {
            assertTrue(tx.info().isReadOnly());
            assertEquals(1, tx.execute("SELECT * FROM cars").itemCount());
            assertEquals(1, tx.execute("EXPLAIN UPDATE cars SET x = 1").itemCount());
            for (String dql : List.of("INSERT INTO cars DOCUMENTS ({'_id': 'b'})", "UPDATE cars SET x = 1",
                    "DELETE FROM cars", "EVICT FROM cars", "CREATE INDEX i ON cars (x)", "DROP INDEX i",
                    "ALTER SYSTEM SET DQL_STRICT_MODE = true")) {
                assertCode(ErrorCode.READ_ONLY_TRANSACTION, () -> tx.execute(dql));
            }
            return TransactionCompletionAction.COMMIT;
        });
        assertEquals(1, count(store, "cars"));
    }

    @Test
    void aCompletedTransactionThrowsTransactionClosed() {
        Store store = open().store();
        AtomicReference<Transaction> kept = new AtomicReference<>();
        store.transaction(null, tx -> {
            kept.set(tx);
            return TransactionCompletionAction.COMMIT;
        });
        DittoException e = assertCode(ErrorCode.TRANSACTION_CLOSED, () -> kept.get().execute("SELECT * FROM cars"));
        assertTrue(e.getMessage().contains(kept.get().info().id()), e.getMessage());
        store.transactionWithResult(TransactionOptions.readOnly(), tx -> {
            kept.set(tx);
            return null;
        });
        assertCode(ErrorCode.TRANSACTION_CLOSED, () -> kept.get().execute("SELECT * FROM cars"));
        assertNotEquals(null, kept.get().info());
    }

    @Test
    void usingTheStoreForWritesInsideATransactionFailsInsteadOfDeadlocking() {
        Store store = open().store();
        store.transaction(null, tx -> {
            assertCode(ErrorCode.UNSUPPORTED, () -> store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a'})"));
            assertCode(ErrorCode.UNSUPPORTED, () -> store.transaction(null, inner -> TransactionCompletionAction.COMMIT));
            assertEquals(0, store.execute("SELECT * FROM cars").itemCount(), "reads are fine");
            store.transaction(TransactionOptions.readOnly(), inner -> TransactionCompletionAction.COMMIT);
            return TransactionCompletionAction.COMMIT;
        });
    }

    @Test
    void oneReadWriteTransactionAtATimeWhileReadersUseSnapshots() throws Exception {
        Ditto ditto = open();
        Store store = ditto.store();
        store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 0})");
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicBoolean secondInside = new AtomicBoolean();

        // given a writer holding its transaction open with an uncommitted change
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> store.transaction(null, tx -> {
            tx.execute("UPDATE cars SET v = 1");
            firstInside.countDown();
            assertTrue(releaseFirst.await(10, TimeUnit.SECONDS));
            return TransactionCompletionAction.COMMIT;
        }));
        assertTrue(firstInside.await(10, TimeUnit.SECONDS));

        // and a read-only transaction whose snapshot predates the commit
        CountDownLatch readerOpen = new CountDownLatch(1);
        CountDownLatch readerAgain = new CountDownLatch(1);
        CompletableFuture<List<Object>> reader = CompletableFuture.supplyAsync(() -> store.transactionWithResult(
                TransactionOptions.readOnly(), tx -> {
                    List<Object> seen = new ArrayList<>();
                    seen.add(tx.execute("SELECT v FROM cars").item(0).value().get("v"));
                    readerOpen.countDown();
                    try {
                        assertTrue(readerAgain.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    seen.add(tx.execute("SELECT v FROM cars").item(0).value().get("v"));
                    return seen;
                }));
        assertTrue(readerOpen.await(10, TimeUnit.SECONDS), "a reader is not blocked by the writer");

        // when a second writer starts
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> store.transactionWithResult(null, tx -> {
            secondInside.set(true);
            return tx.execute("SELECT v FROM cars").item(0).value().get("v");
        }));

        // then it waits for the first, and then sees its commit
        assertThrows(TimeoutException.class, () -> second.get(300, TimeUnit.MILLISECONDS));
        assertFalse(secondInside.get());
        assertEquals(0L, rows(ditto, "SELECT v FROM cars").get(0).get("v"));
        releaseFirst.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertEquals(1L, second.get(10, TimeUnit.SECONDS));

        // and the old snapshot still shows the state it began with
        readerAgain.countDown();
        assertEquals(List.of(0L, 0L), reader.get(10, TimeUnit.SECONDS));
    }

    @Test
    void longTransactionsAreLoggedThenEveryFiveSeconds() {
        Store store = open().store();
        StoreImpl impl = (StoreImpl) store;
        store.transaction(TransactionOptions.DEFAULT.withHint("slow import"), tx -> {
            long now = System.nanoTime();
            assertEquals(List.of(), impl.checkLongTransactions(now));
            List<String> first = impl.checkLongTransactions(now + TimeUnit.SECONDS.toNanos(11));
            assertEquals(1, first.size());
            assertTrue(first.get(0).contains(tx.info().id()) && first.get(0).contains("slow import"), first.get(0));
            assertEquals(List.of(), impl.checkLongTransactions(now + TimeUnit.SECONDS.toNanos(13)));
            assertEquals(1, impl.checkLongTransactions(now + TimeUnit.SECONDS.toNanos(16)).size());
            return TransactionCompletionAction.COMMIT;
        });
        assertEquals(List.of(), impl.checkLongTransactions(System.nanoTime() + TimeUnit.SECONDS.toNanos(60)));
        store.execute("ALTER SYSTEM SET TRANSACTION_DURATION_BEFORE_LOGGING_MS = 1");
        store.transaction(TransactionOptions.readOnly(), tx -> {
            assertEquals(1, impl.checkLongTransactions(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5)).size());
            return TransactionCompletionAction.COMMIT;
        });
    }

    // ---- close -----------------------------------------------------------------------------------

    @Test
    void closeDrainsTheRunningTransactionThenRefusesEverything() throws Exception {
        fixture.close();
        fixture = StoreFixture.mvstore();
        Ditto ditto = open();
        Store store = ditto.store();
        StoreObserver observer = store.registerObserver("SELECT * FROM cars", Map.of(), r -> { });
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<TransactionCompletionAction> running = CompletableFuture.supplyAsync(() -> store.transaction(null, tx -> {
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'before'})");
            inside.countDown();
            assertTrue(release.await(10, TimeUnit.SECONDS));
            tx.execute("INSERT INTO cars DOCUMENTS ({'_id': 'after close began'})");
            return TransactionCompletionAction.COMMIT;
        }));
        assertTrue(inside.await(10, TimeUnit.SECONDS));

        // when the instance closes while the transaction runs
        CompletableFuture<Void> closing = CompletableFuture.runAsync(ditto::close);
        assertThrows(TimeoutException.class, () -> closing.get(300, TimeUnit.MILLISECONDS), "close waits for the transaction");
        assertCode(ErrorCode.CLOSED, () -> store.execute("SELECT * FROM cars"));
        assertCode(ErrorCode.CLOSED, () -> store.transaction(null, tx -> TransactionCompletionAction.COMMIT));
        release.countDown();

        // then the transaction completes and commits, and close finishes
        assertEquals(TransactionCompletionAction.COMMIT, running.get(10, TimeUnit.SECONDS));
        closing.get(10, TimeUnit.SECONDS);
        assertTrue(observer.isCanceled());
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> store.execute("SELECT * FROM cars"), store::observers,
                () -> store.registerObserver("SELECT * FROM cars", Map.of(), r -> { }),
                () -> store.transactionWithResult(TransactionOptions.readOnly(), tx -> 1),
                () -> store.newAttachment(new byte[1], Map.of()), ditto::store)) {
            assertCode(ErrorCode.CLOSED, call);
        }
        ditto.close();

        // and what it committed is there after reopening
        assertEquals(2, count(open().store(), "cars"));
    }

    // ---- durability ------------------------------------------------------------------------------

    @Test
    void documentsIndexesSiteIdAndClockSurviveAReopen() {
        fixture.close();
        fixture = StoreFixture.mvstore();
        Ditto first = open();
        first.store().execute("CREATE INDEX by_v ON cars (v)");
        first.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'v': 1}), ({'_id': 'b', 'v': 2})");
        first.store().execute("DELETE FROM cars WHERE _id = 'b'");
        StoreImpl impl = (StoreImpl) first.store();
        long site = impl.clock().site().value();
        long clock = impl.clock().current();
        long hlcOfA = impl.readDocument("cars", "a").versionVector().maxHlc();
        first.close();

        Ditto second = open();
        StoreImpl reopened = (StoreImpl) second.store();
        assertEquals(site, reopened.clock().site().value(), "the site id is persisted");
        assertTrue(reopened.clock().current() >= clock, "the clock never goes back");
        assertEquals(List.of(Map.of("_id", "a", "v", 1L)), rows(second, "SELECT * FROM cars"));
        assertTrue(reopened.readDocument("cars", "b").isDeleted());
        assertEquals("by_v", rows(second, "EXPLAIN SELECT * FROM cars WHERE v = 1").get(0).get("index"));
        assertEquals(1, rows(second, "SELECT * FROM cars WHERE v = 1").size());
        second.store().execute("UPDATE cars SET v = 3");
        assertTrue(reopened.readDocument("cars", "a").versionVector().maxHlc() > hlcOfA);
    }

    // ---- tombstones ------------------------------------------------------------------------------

    @Test
    void theReaperRemovesTombstonesOlderThanTheTtl() {
        Ditto ditto = open();
        StoreImpl store = (StoreImpl) ditto.store();
        store.execute("INSERT INTO cars DOCUMENTS ({'_id': 'gone'}), ({'_id': 'kept'})");
        store.execute("INSERT INTO other DOCUMENTS ({'_id': 'gone'})");
        store.execute("DELETE FROM cars WHERE _id = 'gone'");
        store.execute("DELETE FROM other WHERE _id = 'gone'");
        long now = System.currentTimeMillis();

        assertEquals(0, store.reapTombstones(now), "not expired yet");
        store.execute("ALTER SYSTEM SET TOMBSTONE_TTL_ENABLED = false");
        assertEquals(0, store.reapTombstones(now + TimeUnit.HOURS.toMillis(200)), "disabled");
        store.execute("ALTER SYSTEM SET TOMBSTONE_TTL_ENABLED = true");
        store.execute("ALTER SYSTEM SET TOMBSTONE_TTL_HOURS = 2");
        assertEquals(0, store.reapTombstones(now + TimeUnit.HOURS.toMillis(1)));
        assertEquals(2, store.reapTombstones(now + TimeUnit.HOURS.toMillis(3)));

        assertNull(store.readDocument("cars", "gone"));
        assertNull(store.readDocument("other", "gone"));
        assertEquals(1, count(store, "cars"));
    }

    @Test
    void theReaperWorksInBatches() {
        Ditto ditto = open();
        StoreImpl store = (StoreImpl) ditto.store();
        store.transaction(null, tx -> {
            for (int i = 0; i < StoreImpl.REAP_BATCH * 2 + 10; i++) {
                tx.execute("INSERT INTO many DOCUMENTS ({'_id': :i})", Map.of("i", i));
            }
            return TransactionCompletionAction.COMMIT;
        });
        store.execute("DELETE FROM many WHERE _id % 2 = 0");
        int reaped = store.reapTombstones(System.currentTimeMillis() + TimeUnit.HOURS.toMillis(169));
        assertEquals(StoreImpl.REAP_BATCH + 5, reaped);
        assertEquals(StoreImpl.REAP_BATCH + 5, count(store, "many"));
    }
}
