package ditto.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import ditto.engine.crdt.CrdtDocument;
import org.junit.jupiter.api.Test;

class DocumentCacheTest {

    private static final byte[] PREFIX = Keys.collectionPrefix("cars");

    private static byte[] key(String id) {
        return Keys.documentKey(PREFIX, id);
    }

    @Test
    void returnsTheCachedDocumentWhenTheStoredBytesMatch() {
        // given a cached document
        DocumentCache cache = new DocumentCache(DocumentCache.DEFAULT_BUDGET_BYTES);
        CrdtDocument doc = CrdtDocument.initial("a", Map.of("color", "blue"));
        cache.put(key("a"), doc);

        // when reading it with a fresh copy of its key and of its bytes
        CrdtDocument read = cache.get(key("a"), doc.encode().clone(), true);

        // then the cached instance is used
        assertSame(doc, read);
    }

    @Test
    void decodesTheStoredBytesWhenTheCachedEntryIsStale() {
        // given a cached document and a different state stored under the same key
        DocumentCache cache = new DocumentCache(DocumentCache.DEFAULT_BUDGET_BYTES);
        CrdtDocument cached = CrdtDocument.initial("a", Map.of("color", "blue"));
        CrdtDocument stored = CrdtDocument.initial("a", Map.of("color", "red"));
        cache.put(key("a"), cached);

        // when reading the stored bytes
        CrdtDocument read = cache.get(key("a"), stored.encode(), true);

        // then the snapshot's state is returned and replaces the stale entry
        assertEquals(stored, read);
        assertNotSame(cached, read);
        assertSame(read, cache.get(key("a"), stored.encode(), false));
    }

    @Test
    void scansDoNotAdmitAndRemoveForgets() {
        // given an empty cache
        DocumentCache cache = new DocumentCache(DocumentCache.DEFAULT_BUDGET_BYTES);
        CrdtDocument doc = CrdtDocument.initial("a", Map.of("n", 1L));

        // when a scan reads a document, then it is not cached
        cache.get(key("a"), doc.encode(), false);
        assertEquals(0, cache.size());

        // when a point read admits it and it is then removed, then it is gone
        cache.get(key("a"), doc.encode(), true);
        assertEquals(1, cache.size());
        cache.remove(key("a"));
        assertEquals(0, cache.size());
    }

    @Test
    void keysWithEqualBytesAreEqualAndOthersAreNot() {
        DocumentCache.Key a = new DocumentCache.Key(key("a"));
        assertEquals(a, new DocumentCache.Key(key("a")));
        assertEquals(a.hashCode(), new DocumentCache.Key(key("a")).hashCode());
        assertNotEquals(a, new DocumentCache.Key(key("b")));
    }

    @Test
    void keysOfOneStripeSpreadOverTheBucketsOfItsTable() {
        // given many document keys sharing a collection prefix
        Set<Integer> stripes = new HashSet<>();
        Set<Integer> lowBucketsOfStripeZero = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            int h = new DocumentCache.Key(key(String.format("%032x", i * 0x9E3779B97F4A7C15L))).hashCode();
            int stripe = DocumentCache.stripeIndex(h);
            stripes.add(stripe);
            if (stripe == 0) {
                // the low bits a HashMap indexes by after its own spreading
                lowBucketsOfStripeZero.add((h ^ (h >>> 16)) & 15);
            }
        }

        // then every stripe is used, and the keys of one stripe still use every low bucket index
        assertEquals(16, stripes.size());
        assertEquals(16, lowBucketsOfStripeZero.size());
    }
}
