package ditto.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ditto.api.QueryResult;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.crdt.HybridClock;
import ditto.engine.crdt.OpContext;
import ditto.engine.crdt.SiteId;
import ditto.engine.crdt.Timestamp;
import ditto.engine.crdt.TypeHints;

/**
 * The store's replication support: the change log (one entry per document at its latest
 * commit, range-scanned after a commit id), applying remote documents (merge, indexes, change
 * log, origin, one commit, events), peer records and eviction generations.
 */
class ReplicationTest {

    private static final long REMOTE = 0x77L;

    private final AtomicLong now = new AtomicLong(1_704_067_200_000L);
    private Storage storage;
    private StoreImpl store;
    private Replication replication;
    private final List<ReplicationEvent> events = new ArrayList<>();

    @BeforeEach
    void open() {
        storage = StoreFixture.provider("memory").open(new StorageParameters(Path.of("unused"), Optional.empty(),
                Map.of()));
        ditto.api.Ditto ditto = (ditto.api.Ditto) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ditto.api.Ditto.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        AttachmentSupport attachments = (AttachmentSupport) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {AttachmentSupport.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        store = StoreImpl.open(storage, ditto, () -> { }, attachments, null, 0, now::get, new SplittableRandom(3));
        replication = store.replication();
        store.addReplicationListener(events::add);
    }

    @AfterEach
    void close() {
        store.close();
        storage.close();
    }

    private void run(String dql, Map<String, ?> args) {
        try (QueryResult r = store.execute(dql, args)) {
            r.itemCount();
        }
    }

    /** Every change after {@code commit}, whatever its collection. */
    private Replication.Changes changesAfter(long commit) {
        return replication.readChanges(Replication.startAfter(commit), new Replication.ChangeFilter() {
            @Override
            public Interest interest(String collection, long c, long origin) {
                return Interest.WHOLE;
            }

            @Override
            public boolean matches(Map<String, Object> value) {
                return true;
            }
        }, 1000, 1 << 20, 10_000);
    }

    private static List<Object> ids(Replication.Changes changes) {
        List<Object> out = new ArrayList<>();
        for (Replication.Change c : changes.changes()) {
            out.add(CrdtDocument.decodeTrusted(c.document()).id());
        }
        return out;
    }

    private CrdtDocument remoteCar(String id, String color) {
        return CrdtDocument.create(id, Map.of("color", color), TypeHints.NONE,
                OpContext.of(Timestamp.of(HybridClock.hlc(now.get(), 0), SiteId.of(REMOTE))));
    }

    @Test
    void keepsOneEntryPerDocumentAtTheCommitThatLastChangedIt() {
        run("INSERT INTO cars DOCUMENTS ({'_id': 'a'}), ({'_id': 'b'})", Map.of());
        long first = replication.lastCommitId();
        run("UPDATE cars SET x = 1 WHERE _id = 'a'", Map.of());
        long second = replication.lastCommitId();

        Replication.Changes all = changesAfter(0);
        assertEquals(List.of("b", "a"), ids(all));
        assertEquals(List.of(first, second), all.changes().stream().map(Replication.Change::commit).toList());
        assertTrue(all.exhausted());
        assertEquals(second, all.completeThrough());
        assertEquals(List.of("a"), ids(changesAfter(first)));
        assertTrue(changesAfter(second).changes().isEmpty());
    }

    @Test
    void returnsTheStoredBytesUnchanged() {
        run("INSERT INTO cars DOCUMENTS ({'_id': 'a', 'n': 1})", Map.of());
        byte[] stored = replication.documents("cars").get(0).encode();
        assertArrayEquals(stored, changesAfter(0).changes().get(0).document());
    }

    @Test
    void stopsAtTheLimitsAndSaysHowFarItGot() {
        for (int i = 0; i < 5; i++) {
            run("INSERT INTO cars DOCUMENTS (:d)", Map.of("d", Map.of("_id", "c" + i)));
        }
        long third = replication.lastCommitId() - 2;
        Replication.Changes part = replication.readChanges(Replication.startAfter(0), new Replication.ChangeFilter() {
            @Override
            public Interest interest(String collection, long c, long origin) {
                return Interest.WHOLE;
            }

            @Override
            public boolean matches(Map<String, Object> value) {
                return true;
            }
        }, 3, 1 << 20, 10_000);
        assertEquals(3, part.changes().size());
        assertFalse(part.exhausted());
        assertEquals(third, part.completeThrough());
        Replication.Changes rest = replication.readChanges(part.nextKey(), new Replication.ChangeFilter() {
            @Override
            public Interest interest(String collection, long c, long origin) {
                return Interest.WHOLE;
            }

            @Override
            public boolean matches(Map<String, Object> value) {
                return true;
            }
        }, 100, 1 << 20, 10_000);
        assertEquals(List.of("c3", "c4"), ids(rest));
    }

    @Test
    void evictRemovesTheEntryAndRaisesTheGenerationButReapingDoesNot() {
        run("INSERT INTO cars DOCUMENTS ({'_id': 'a'}), ({'_id': 'b'})", Map.of());
        assertEquals(0, replication.evictionGeneration("cars"));
        run("EVICT FROM cars WHERE _id = 'a'", Map.of());
        assertEquals(List.of("b"), ids(changesAfter(0)));
        assertEquals(1, replication.evictionGeneration("cars"));
        assertEquals(java.util.Set.of("cars"), events.get(events.size() - 1).evictedCollections());
        run("DELETE FROM cars WHERE _id = 'b'", Map.of());
        now.addAndGet(200L * 3_600_000L);
        assertEquals(1, store.reapTombstones(now.get()));
        assertTrue(changesAfter(0).changes().isEmpty());
        assertEquals(1, replication.evictionGeneration("cars"));
    }

    @Test
    void appliesRemoteDocumentsWithIndexesChangeLogOriginAndOneCommit() {
        // given an index on color
        run("CREATE INDEX byColor ON cars (color)", Map.of());
        long before = replication.lastCommitId();
        events.clear();

        // when two remote cars arrive
        Replication.Applied applied = replication.apply(REMOTE, List.of(
                new Replication.Incoming("cars", remoteCar("a", "red")),
                new Replication.Incoming("cars", remoteCar("b", "blue"))), REMOTE, new byte[] {1, 2});

        // then they are stored in one commit, found through the index, published, and marked as the remote's
        assertEquals(2, applied.applied());
        assertEquals(before + 1, applied.commitId());
        try (QueryResult r = store.execute("SELECT _id FROM cars WHERE color = 'red'", Map.of())) {
            assertEquals("a", r.items().get(0).value().get("_id"));
        }
        assertEquals(1, events.size());
        assertEquals(java.util.Set.of("a", "b"), events.get(0).commit().changedIdsByCollection().get("cars"));
        List<Long> origins = new ArrayList<>();
        replication.readChanges(Replication.startAfter(before), new Replication.ChangeFilter() {
            @Override
            public Interest interest(String collection, long c, long origin) {
                origins.add(origin);
                return Interest.NONE;
            }

            @Override
            public boolean matches(Map<String, Object> value) {
                return false;
            }
        }, 100, 1 << 20, 100);
        assertEquals(List.of(REMOTE, REMOTE), origins);
        assertArrayEquals(new byte[] {1, 2}, replication.peerRecord(REMOTE).orElseThrow());
    }

    @Test
    void aDuplicateWritesNoDocumentAndAMergeWithLocalChangesHasNoOrigin() {
        CrdtDocument car = remoteCar("a", "red");
        replication.apply(REMOTE, List.of(new Replication.Incoming("cars", car)), REMOTE, null);
        long afterFirst = replication.lastCommitId();
        events.clear();

        Replication.Applied again = replication.apply(REMOTE, List.of(new Replication.Incoming("cars", car)), REMOTE,
                null);
        assertEquals(0, again.applied());
        assertEquals(1, again.unchanged());
        assertEquals(afterFirst, replication.lastCommitId());
        assertTrue(events.isEmpty());

        run("UPDATE cars SET seats = 4 WHERE _id = 'a'", Map.of());
        now.addAndGet(1000);
        CrdtDocument newer = car.set(ditto.engine.crdt.Path.parse("color"), "green", TypeHints.NONE,
                OpContext.of(Timestamp.of(HybridClock.hlc(now.get(), 0), SiteId.of(REMOTE))));
        long beforeMerge = replication.lastCommitId();
        replication.apply(REMOTE, List.of(new Replication.Incoming("cars", newer)), REMOTE, null);
        List<Long> origins = new ArrayList<>();
        replication.readChanges(Replication.startAfter(beforeMerge), new Replication.ChangeFilter() {
            @Override
            public Interest interest(String collection, long c, long origin) {
                origins.add(origin);
                return Interest.NONE;
            }

            @Override
            public boolean matches(Map<String, Object> value) {
                return false;
            }
        }, 100, 1 << 20, 100);
        assertEquals(List.of(0L), origins);
        try (QueryResult r = store.execute("SELECT color, seats FROM cars", Map.of())) {
            assertEquals(Map.of("color", "green", "seats", 4L), r.items().get(0).value());
        }
    }

    @Test
    void refusesAMergedDocumentAboveTheHardLimitAndSystemCollections() {
        run("ALTER SYSTEM SET DOCUMENT_SIZE_SOFT_LIMIT_BYTES = 500", Map.of());
        run("ALTER SYSTEM SET DOCUMENT_SIZE_HARD_LIMIT_BYTES = 1000", Map.of());
        CrdtDocument big = CrdtDocument.create("big", Map.of("blob", "x".repeat(2000)), TypeHints.NONE,
                OpContext.of(Timestamp.of(HybridClock.hlc(now.get(), 0), SiteId.of(REMOTE))));
        Replication.Applied applied = replication.apply(REMOTE, List.of(new Replication.Incoming("cars", big),
                new Replication.Incoming("system:indexes", remoteCar("x", "red"))), REMOTE, null);
        assertEquals(2, applied.refused());
        assertTrue(replication.documents("cars").isEmpty());
    }

    @Test
    void listsPeerRecordsBySite() {
        replication.putPeerRecord(5, new byte[] {5});
        replication.putPeerRecord(-1, new byte[] {9});
        assertEquals(List.of(5L, -1L), List.copyOf(replication.peerRecords().keySet()));
        assertTrue(events.isEmpty());
    }
}
