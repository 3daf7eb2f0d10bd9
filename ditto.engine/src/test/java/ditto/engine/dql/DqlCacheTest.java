package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;

class DqlCacheTest {

    @Test
    void parsesEachTextOnceWhileItStaysCached() {
        DqlCache cache = new DqlCache(2);
        Statement first = cache.parse("SELECT * FROM a");
        assertSame(first, cache.parse("SELECT * FROM a"));
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
    }

    @Test
    void evictsTheLeastRecentlyUsedStatement() {
        DqlCache cache = new DqlCache(2);
        Statement a = cache.parse("SELECT * FROM a");
        Statement b = cache.parse("SELECT * FROM b");
        cache.parse("SELECT * FROM a");
        cache.parse("SELECT * FROM c");
        assertEquals(2, cache.size());
        assertSame(a, cache.parse("SELECT * FROM a"));
        assertEquals(b, cache.parse("SELECT * FROM b"));
        assertEquals(4, cache.misses(), "b was evicted and parsed again");
    }

    @Test
    void doesNotCacheFailures() {
        DqlCache cache = new DqlCache();
        assertThrows(DittoException.class, () -> cache.parse("SELEC"));
        assertThrows(DittoException.class, () -> cache.parse("SELEC"));
        assertEquals(0, cache.size());
        assertEquals(2, cache.misses());
        assertThrows(IllegalArgumentException.class, () -> new DqlCache(0));
    }

    @Test
    void servesManyThreadsAtOnce() throws Exception {
        DqlCache cache = new DqlCache(16);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Statement>> futures = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int n = i % 32;
                futures.add(pool.submit(() -> cache.parse("SELECT * FROM c WHERE x = " + n)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(Dql.parse("SELECT * FROM c WHERE x = " + (i % 32)), futures.get(i).get(30, TimeUnit.SECONDS));
            }
            assertEquals(2000, cache.hits() + cache.misses());
            assertEquals(16, cache.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
