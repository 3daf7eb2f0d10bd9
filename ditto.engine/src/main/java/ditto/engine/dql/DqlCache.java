package ditto.engine.dql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import ditto.api.DittoException;

/**
 * A bounded, thread-safe least-recently-used cache of parsed statements keyed by their exact
 * text, so that a statement executed repeatedly (an observer's query, a write in a loop) is
 * parsed once. Failed parses are not cached. Parsing happens outside the lock, so two threads
 * missing on the same text at once may both parse it; both get equal trees.
 */
public final class DqlCache {

    /** The default capacity, in statements. */
    public static final int DEFAULT_CAPACITY = 1024;

    /** Statements longer than this are parsed but not cached, to bound the cache's memory. */
    public static final int MAX_CACHED_TEXT_LENGTH = 64 * 1024;

    private final int capacity;
    private final Map<String, Statement> entries;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /** Creates a cache of {@link #DEFAULT_CAPACITY} statements. */
    public DqlCache() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * Creates a cache.
     *
     * @param capacity how many statements to keep, at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public DqlCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Statement> eldest) {
                return size() > DqlCache.this.capacity;
            }
        };
    }

    /**
     * Returns the parsed statement for {@code text}, from the cache or by parsing it.
     *
     * @throws DittoException as {@link Dql#parse(String)}
     * @throws NullPointerException if {@code text} is null
     */
    public Statement parse(String text) {
        synchronized (entries) {
            Statement s = entries.get(text);
            if (s != null) {
                hits.incrementAndGet();
                return s;
            }
        }
        misses.incrementAndGet();
        Statement parsed = Dql.parse(text);
        if (text.length() <= MAX_CACHED_TEXT_LENGTH) {
            synchronized (entries) {
                entries.put(text, parsed);
            }
        }
        return parsed;
    }

    /** Returns how many statements are cached now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Returns the capacity. */
    public int capacity() {
        return capacity;
    }

    /** Returns how many {@link #parse} calls were answered from the cache. */
    public long hits() {
        return hits.get();
    }

    /** Returns how many {@link #parse} calls had to parse. */
    public long misses() {
        return misses.get();
    }

    /** Removes every cached statement (the counters stay). */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }
}
