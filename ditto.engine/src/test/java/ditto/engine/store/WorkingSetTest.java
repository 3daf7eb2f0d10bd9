package ditto.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.ErrorCode;
import ditto.api.spi.storage.Durability;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.WriteBatch;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.crdt.OpContext;
import ditto.engine.crdt.SiteId;
import ditto.engine.crdt.Timestamp;
import ditto.engine.crdt.TypeHints;

class WorkingSetTest {

    @TempDir
    Path temp;

    private Storage storage;

    @BeforeEach
    void open() {
        storage = StoreFixture.provider("memory").open(StorageParameters.of(temp));
        WriteBatch batch = new WriteBatch();
        for (String k : List.of("b", "d", "f")) {
            batch.put("raw", bytes(k), bytes("stored " + k));
        }
        storage.commit(batch, Durability.SYNC);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> keys(Iterator<byte[]> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(k -> out.add(new String(k, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void mergesBufferedWritesIntoSnapshotReadsInBothDirections() {
        try (WorkingSet ws = new WorkingSet(storage.snapshot(), new DocumentCache(1 << 20), true)) {
            // given buffered writes that add, replace and remove keys
            ws.put("raw", bytes("a"), bytes("new a"));
            ws.put("raw", bytes("d"), bytes("new d"));
            ws.delete("raw", bytes("f"));
            ws.put("raw", bytes("g"), bytes("new g"));

            // then reads see them merged with the snapshot, in order and in reverse
            assertEquals(List.of("a", "b", "d", "g"), keys(ws.keys("raw", null, null, false)));
            assertEquals(List.of("g", "d", "b", "a"), keys(ws.keys("raw", null, null, true)));
            assertEquals(List.of("b", "d"), keys(ws.keys("raw", bytes("b"), bytes("e"), false)));
            assertEquals(List.of("d", "b"), keys(ws.keys("raw", bytes("b"), bytes("e"), true)));
            assertEquals("new d", new String(ws.get("raw", bytes("d")), StandardCharsets.UTF_8));
            assertNull(ws.get("raw", bytes("f")));
            assertTrue(ws.isDirty());

            // and the storage itself does not see them
            assertFalse(storage.snapshot().get("raw", bytes("a")).isPresent());
        }
    }

    @Test
    void rollbackToAMarkRestoresTheOverlayExactly() {
        try (WorkingSet ws = new WorkingSet(storage.snapshot(), new DocumentCache(1 << 20), true)) {
            ws.put("raw", bytes("a"), bytes("1"));
            int mark = ws.mark();
            ws.put("raw", bytes("a"), bytes("2"));
            ws.delete("raw", bytes("b"));
            ws.put("raw", bytes("c"), bytes("3"));
            ws.rollbackTo(mark);
            assertEquals("1", new String(ws.get("raw", bytes("a")), StandardCharsets.UTF_8));
            assertEquals("stored b", new String(ws.get("raw", bytes("b")), StandardCharsets.UTF_8));
            assertNull(ws.get("raw", bytes("c")));
            assertEquals(1, ws.toBatch(Long.MAX_VALUE).size(), "only the write before the mark remains");
            ws.rollbackTo(0);
            assertFalse(ws.isDirty());
        }
    }

    @Test
    void readOnlyWorkingSetsRefuseWrites() {
        try (WorkingSet ws = new WorkingSet(storage.snapshot(), new DocumentCache(0), false)) {
            StoreFixture.assertCode(ErrorCode.READ_ONLY_TRANSACTION, () -> ws.put("raw", bytes("x"), bytes("y")));
        }
    }

    @Test
    void documentCacheUsesAnEntryOnlyForTheSameBytes() {
        DocumentCache cache = new DocumentCache(1 << 20);
        CrdtDocument v1 = CrdtDocument.create("id", Map.of("v", 1L), TypeHints.NONE,
                OpContext.of(Timestamp.of(1L << 16, SiteId.of(1))));
        CrdtDocument v2 = v1.set(ditto.engine.crdt.Path.parse("v"), 2L, TypeHints.NONE,
                OpContext.of(Timestamp.of(2L << 16, SiteId.of(1))));
        byte[] key = bytes("k");
        cache.put(key, v1);
        assertSame(v1, cache.get(key, v1.encode().clone(), true), "equal bytes: the cached document");
        CrdtDocument read = cache.get(key, v2.encode(), true);
        assertEquals(v2, read, "other bytes: decoded, never the stale entry");
        assertSame(read, cache.get(key, v2.encode(), false));
        cache.remove(key);
        assertEquals(0, cache.size());
    }

    @Test
    void documentCacheStaysWithinItsBudget() {
        DocumentCache cache = new DocumentCache(16 * 4096);
        for (int i = 0; i < 500; i++) {
            CrdtDocument d = CrdtDocument.create((long) i, Map.of("text", "x".repeat(100)), TypeHints.NONE,
                    OpContext.of(Timestamp.of((long) (i + 1) << 16, SiteId.of(1))));
            cache.put(bytes("k" + i), d);
        }
        assertTrue(cache.size() < 500 && cache.size() > 100, "size " + cache.size());
        CrdtDocument huge = CrdtDocument.create("huge", Map.of("text", "x".repeat(10_000)), TypeHints.NONE,
                OpContext.of(Timestamp.of(1L << 20, SiteId.of(1))));
        cache.put(bytes("huge"), huge);
        assertFalse(cache.get(bytes("huge"), huge.encode(), true) == huge, "too large to be cached");
    }
}
