package ditto.engine.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Cursor;
import ditto.api.spi.storage.Entry;
import ditto.api.spi.storage.Snapshot;
import ditto.api.spi.storage.WriteBatch;
import ditto.engine.crdt.CrdtDocument;

/**
 * What one transaction sees and has written: a storage {@link Snapshot} (the committed state
 * when the transaction began) overlaid with the transaction's own buffered writes, so that reads
 * see the transaction's writes (read-your-writes) and nothing else changes under them.
 *
 * <pre>
 *   reads:  overlay[space] ──(key present?)──▶ overlay value (REMOVED = absent)
 *                         └─(absent)─────────▶ snapshot.get / snapshot.scan, merged in key order
 *   writes: overlay[space].put(key, value)  + undo record (for statement rollback)
 *   commit: overlay ──▶ one WriteBatch (documents encoded once, by CrdtDocument.encode())
 * </pre>
 *
 * <p>The overlay of the {@link Keys#DOCS} space holds {@link DocWrite}s (the new
 * {@link CrdtDocument}, or an eviction); the other spaces hold raw {@code byte[]} values or
 * {@link #REMOVED}. Invariants: an overlay entry always reflects the latest write of this
 * transaction to its key; the undo log holds, for each write since the transaction began, the
 * overlay entry it replaced, so {@link #rollbackTo} restores the overlay exactly.
 *
 * <p>Confined to one thread (the transaction's). Cursors opened by scans are tracked and closed
 * by {@link #closeCursors()} (end of each statement) and {@link #close()}.
 */
final class WorkingSet implements AutoCloseable {

    /** Marks a key removed by this transaction. */
    static final Object REMOVED = new Object() {
        @Override
        public String toString() {
            return "REMOVED";
        }
    };

    /**
     * A buffered write of one document.
     *
     * @param collection the collection
     * @param id the document's {@code _id}
     * @param document the new state, or null when the document is evicted (removed locally)
     * @param origin the site id of the remote store that already holds exactly this state (a
     *        replicated document merged without local additions), or 0
     */
    record DocWrite(String collection, Object id, CrdtDocument document, long origin) {
    }

    /** A document read from this working set: its storage key and its state. */
    record Stored(byte[] key, CrdtDocument document) {
    }

    private record Undo(String space, byte[] key, Object previous) {
    }

    private static final byte[] EMPTY = new byte[0];

    private final Snapshot snapshot;
    private final DocumentCache cache;
    private final boolean writable;
    private final Map<String, TreeMap<byte[], Object>> overlay = new LinkedHashMap<>();
    private final List<Undo> undo = new ArrayList<>();
    private final List<Cursor> cursors = new ArrayList<>();
    private final Set<String> evicted = new LinkedHashSet<>();
    private boolean closed;

    WorkingSet(Snapshot snapshot, DocumentCache cache, boolean writable) {
        this.snapshot = snapshot;
        this.cache = cache;
        this.writable = writable;
    }

    /** Returns the storage sequence number of the snapshot this working set reads. */
    long sequence() {
        return snapshot.sequence();
    }

    /** Returns whether this transaction may write. */
    boolean isWritable() {
        return writable;
    }

    // ---- documents ---------------------------------------------------------------------------

    /**
     * Returns the document stored under {@code key}, or null if there is none (never written or
     * evicted). Deleted documents (tombstones) are returned; callers check
     * {@link CrdtDocument#isDeleted()}.
     */
    CrdtDocument document(byte[] key) {
        TreeMap<byte[], Object> docs = overlay.get(Keys.DOCS);
        if (docs != null) {
            Object o = docs.get(key);
            if (o != null) {
                return ((DocWrite) o).document();
            }
        }
        Optional<byte[]> stored;
        try {
            stored = snapshot.get(Keys.DOCS, key);
        } catch (RuntimeException e) {
            throw storageFailure("read", e);
        }
        return stored.isEmpty() ? null : cache.get(key, stored.get(), true);
    }

    /** Iterates the documents with keys in {@code [from, to)}, in key order or reverse. */
    Iterator<Stored> documents(byte[] from, byte[] to, boolean reverse) {
        Iterator<Map.Entry<byte[], Object>> merged = merged(Keys.DOCS, from, to, reverse);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return merged.hasNext();
            }

            @Override
            public Stored next() {
                Map.Entry<byte[], Object> e = merged.next();
                Object v = e.getValue();
                CrdtDocument doc = v instanceof DocWrite w ? w.document() : cache.get(e.getKey(), (byte[]) v, false);
                return new Stored(e.getKey(), doc);
            }
        };
    }

    /** Buffers a new state of a document written locally. */
    void putDocument(String collection, byte[] key, CrdtDocument document) {
        putDocument(collection, key, document, 0);
    }

    /** Buffers a new state of a document; {@code origin} as in {@link DocWrite}. */
    void putDocument(String collection, byte[] key, CrdtDocument document, long origin) {
        write(Keys.DOCS, key, new DocWrite(collection, document.id(), document, origin));
    }

    /** Buffers the removal of a document's local copy (EVICT, tombstone reaping). */
    void removeDocument(String collection, byte[] key, Object id) {
        write(Keys.DOCS, key, new DocWrite(collection, id, null, 0));
    }

    /**
     * Notes that an EVICT removed documents of a collection, so the commit raises the
     * collection's eviction generation (subscriptions on it then ask peers for everything again).
     * Not undone by statement rollback: a spurious raise only costs a resend.
     */
    void markEvicted(String collection) {
        evicted.add(collection);
    }

    /**
     * Adds the change log entries of this transaction's document writes, as commit
     * {@code commitId}: each written document's previous entry goes, a stored document gets
     * {@code commitId ‖ key → origin}, a removed one none; and raises the eviction generation of
     * each collection an EVICT touched. Called once, just before {@link #toBatch}.
     *
     * @return the collections whose eviction generation was raised
     */
    Set<String> recordChanges(long commitId) {
        TreeMap<byte[], Object> docs = overlay.get(Keys.DOCS);
        if (docs != null) {
            byte[] commit = Keys.longValue(commitId);
            for (Map.Entry<byte[], Object> e : List.copyOf(docs.entrySet())) {
                DocWrite w = (DocWrite) e.getValue();
                byte[] key = e.getKey();
                byte[] previous = get(Keys.CHANGE_SEQ, key);
                if (previous != null) {
                    delete(Keys.CHANGES, Keys.concat(previous, key));
                }
                if (w.document() == null) {
                    if (previous != null) {
                        delete(Keys.CHANGE_SEQ, key);
                    }
                } else {
                    put(Keys.CHANGES, Keys.concat(commit, key), w.origin() == 0 ? EMPTY : Keys.longValue(w.origin()));
                    put(Keys.CHANGE_SEQ, key, commit);
                }
            }
        }
        for (String collection : evicted) {
            byte[] key = Keys.collectionPrefix(collection);
            byte[] old = get(Keys.EVICT_GENERATION, key);
            long generation = old == null ? 0 : Keys.longOf(old, "eviction generation");
            put(Keys.EVICT_GENERATION, key, Keys.longValue(generation + 1));
        }
        return Set.copyOf(evicted);
    }

    // ---- raw spaces ----------------------------------------------------------------------------

    /** Returns the value under {@code key} in {@code space}, or null. */
    byte[] get(String space, byte[] key) {
        TreeMap<byte[], Object> o = overlay.get(space);
        if (o != null) {
            Object v = o.get(key);
            if (v != null) {
                return v == REMOVED ? null : (byte[]) v;
            }
        }
        try {
            return snapshot.get(space, key).orElse(null);
        } catch (RuntimeException e) {
            throw storageFailure("read", e);
        }
    }

    /** Iterates the keys in {@code [from, to)} of {@code space}, in key order or reverse. */
    Iterator<byte[]> keys(String space, byte[] from, byte[] to, boolean reverse) {
        Iterator<Map.Entry<byte[], Object>> merged = merged(space, from, to, reverse);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return merged.hasNext();
            }

            @Override
            public byte[] next() {
                return merged.next().getKey();
            }
        };
    }

    /** Iterates the entries in {@code [from, to)} of {@code space}, in key order. */
    Iterator<Entry> entries(String space, byte[] from, byte[] to) {
        Iterator<Map.Entry<byte[], Object>> merged = merged(space, from, to, false);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return merged.hasNext();
            }

            @Override
            public Entry next() {
                Map.Entry<byte[], Object> e = merged.next();
                return new Entry(e.getKey(), (byte[]) e.getValue());
            }
        };
    }

    /** Buffers a put. */
    void put(String space, byte[] key, byte[] value) {
        write(space, key, value);
    }

    /** Buffers a delete. */
    void delete(String space, byte[] key) {
        write(space, key, REMOVED);
    }

    private void write(String space, byte[] key, Object value) {
        if (!writable) {
            throw new DittoException(ErrorCode.READ_ONLY_TRANSACTION, "store: cannot write in a read-only transaction");
        }
        TreeMap<byte[], Object> o = overlay.computeIfAbsent(space, s -> new TreeMap<>(Arrays::compareUnsigned));
        Object previous = o.put(key, value);
        undo.add(new Undo(space, key, previous));
    }

    // ---- statement atomicity -------------------------------------------------------------------

    /** Returns a mark to roll back to: the writes made so far. */
    int mark() {
        return undo.size();
    }

    /** Undoes every write made after {@code mark}, newest first. */
    void rollbackTo(int mark) {
        for (int i = undo.size() - 1; i >= mark; i--) {
            Undo u = undo.remove(i);
            TreeMap<byte[], Object> o = overlay.get(u.space());
            if (u.previous() == null) {
                o.remove(u.key());
            } else {
                o.put(u.key(), u.previous());
            }
        }
    }

    /** Returns whether this working set holds a write. */
    boolean isDirty() {
        for (TreeMap<byte[], Object> o : overlay.values()) {
            if (!o.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    // ---- commit --------------------------------------------------------------------------------

    /**
     * Builds the batch holding every buffered write.
     *
     * @param hardLimit the largest encoded document allowed, in bytes (checked again here, so no
     *        oversized document can reach storage)
     */
    WriteBatch toBatch(long hardLimit) {
        WriteBatch batch = new WriteBatch();
        for (Map.Entry<String, TreeMap<byte[], Object>> space : overlay.entrySet()) {
            for (Map.Entry<byte[], Object> e : space.getValue().entrySet()) {
                Object v = e.getValue();
                if (v instanceof DocWrite w) {
                    if (w.document() == null) {
                        batch.delete(space.getKey(), e.getKey());
                    } else {
                        byte[] encoded = w.document().encode();
                        if (encoded.length > hardLimit) {
                            throw new DittoException(ErrorCode.DOCUMENT_TOO_LARGE, "commit: document " + w.id()
                                    + " in collection '" + w.collection() + "' is " + encoded.length
                                    + " bytes encoded, above the limit of " + hardLimit);
                        }
                        batch.put(space.getKey(), e.getKey(), encoded);
                    }
                } else if (v == REMOVED) {
                    batch.delete(space.getKey(), e.getKey());
                } else {
                    batch.put(space.getKey(), e.getKey(), (byte[]) v);
                }
            }
        }
        return batch;
    }

    /** Tells the cache about every document this working set wrote (after a successful commit). */
    void publishTo(DocumentCache target) {
        TreeMap<byte[], Object> docs = overlay.get(Keys.DOCS);
        if (docs == null) {
            return;
        }
        for (Map.Entry<byte[], Object> e : docs.entrySet()) {
            DocWrite w = (DocWrite) e.getValue();
            if (w.document() == null) {
                target.remove(e.getKey());
            } else {
                target.put(e.getKey(), w.document());
            }
        }
    }

    /** Returns the ids of the documents written, by collection, in the order of their keys. */
    Map<String, Set<Object>> changedIds() {
        TreeMap<byte[], Object> docs = overlay.get(Keys.DOCS);
        if (docs == null || docs.isEmpty()) {
            return Map.of();
        }
        Map<String, Set<Object>> out = new LinkedHashMap<>();
        for (Object v : docs.values()) {
            DocWrite w = (DocWrite) v;
            out.computeIfAbsent(w.collection(), c -> new LinkedHashSet<>()).add(w.id());
        }
        Map<String, Set<Object>> frozen = new LinkedHashMap<>();
        out.forEach((c, ids) -> frozen.put(c, Collections.unmodifiableSet(ids)));
        return Collections.unmodifiableMap(frozen);
    }

    // ---- resources -----------------------------------------------------------------------------

    /** Closes the cursors opened so far (statements call this when they end). */
    void closeCursors() {
        for (Cursor c : cursors) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // a cursor of a snapshot closed under us; nothing more to release
            }
        }
        cursors.clear();
    }

    /** Closes the cursors and the snapshot; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeCursors();
        snapshot.close();
    }

    /**
     * Passes the storage's own errors on ({@code STORE}, {@code CLOSED}, {@code ENCRYPTION}) and
     * turns anything else a storage plug-in throws into {@code STORE}.
     */
    static DittoException storageFailure(String operation, RuntimeException e) {
        if (e instanceof DittoException d) {
            return d;
        }
        return new DittoException(ErrorCode.STORE, "store: storage " + operation + " failed: " + e, e);
    }

    // ---- merging -------------------------------------------------------------------------------

    private Iterator<Map.Entry<byte[], Object>> merged(String space, byte[] from, byte[] to, boolean reverse) {
        Cursor cursor;
        try {
            cursor = snapshot.scan(space, from, to, reverse);
        } catch (RuntimeException e) {
            throw storageFailure("scan", e);
        }
        cursors.add(cursor);
        TreeMap<byte[], Object> o = overlay.get(space);
        Iterator<Map.Entry<byte[], Object>> mine = Collections.emptyIterator();
        if (o != null && !o.isEmpty()) {
            NavigableMap<byte[], Object> range;
            if (from == null && to == null) {
                range = o;
            } else if (from == null) {
                range = o.headMap(to, false);
            } else if (to == null) {
                range = o.tailMap(from, true);
            } else if (Arrays.compareUnsigned(from, to) >= 0) {
                range = Collections.emptyNavigableMap();
            } else {
                range = o.subMap(from, true, to, false);
            }
            mine = (reverse ? range.descendingMap() : range).entrySet().iterator();
        }
        return new Merge(cursor, mine, reverse);
    }

    /** Merges the snapshot's cursor with the overlay's entries; the overlay wins on equal keys. */
    private static final class Merge implements Iterator<Map.Entry<byte[], Object>> {
        private final Cursor base;
        private final Iterator<Map.Entry<byte[], Object>> mine;
        private final boolean reverse;
        private Entry nextBase;
        private Map.Entry<byte[], Object> nextMine;
        private Map.Entry<byte[], Object> next;

        Merge(Cursor base, Iterator<Map.Entry<byte[], Object>> mine, boolean reverse) {
            this.base = base;
            this.mine = mine;
            this.reverse = reverse;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (nextBase == null) {
                    try {
                        if (base.hasNext()) {
                            nextBase = base.next();
                        }
                    } catch (RuntimeException e) {
                        throw storageFailure("scan", e);
                    }
                }
                if (nextMine == null && mine.hasNext()) {
                    nextMine = mine.next();
                }
                if (nextBase == null && nextMine == null) {
                    base.close();
                    return false;
                }
                int c;
                if (nextBase == null) {
                    c = 1;
                } else if (nextMine == null) {
                    c = -1;
                } else {
                    c = Arrays.compareUnsigned(nextBase.key(), nextMine.getKey());
                    if (reverse) {
                        c = -c;
                    }
                }
                if (c < 0) {
                    next = Map.entry(nextBase.key(), nextBase.value());
                    nextBase = null;
                } else {
                    if (c == 0) {
                        nextBase = null;
                    }
                    Map.Entry<byte[], Object> m = nextMine;
                    nextMine = null;
                    if (m.getValue() != REMOVED && !(m.getValue() instanceof DocWrite w && w.document() == null)) {
                        next = m;
                    }
                }
            }
            return true;
        }

        @Override
        public Map.Entry<byte[], Object> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Map.Entry<byte[], Object> r = next;
            next = null;
            return r;
        }
    }
}
