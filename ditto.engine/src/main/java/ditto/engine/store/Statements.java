package ditto.engine.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.tinylog.Logger;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.crdt.CrdtType;
import ditto.engine.crdt.OpContext;
import ditto.engine.crdt.Path;
import ditto.engine.crdt.TypeHints;
import ditto.engine.dql.DocumentSelector;
import ditto.engine.dql.Dql;
import ditto.engine.dql.DqlExplain;
import ditto.engine.dql.DqlValues;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Expr;
import ditto.engine.dql.SelectAnalysis;
import ditto.engine.dql.SelectExecutor;
import ditto.engine.dql.Statement;
import ditto.engine.dql.WriteEvaluator;
import ditto.engine.dql.WriteEvaluator.FieldMutation;

/**
 * Executes one parsed statement inside a transaction's {@link TxState}: plans the read
 * ({@link Planner}), streams candidate documents from the {@link WorkingSet} into the DQL
 * pipeline, turns writes into CRDT operations, checks document sizes and keeps every index in
 * step, all in the transaction's buffer.
 *
 * <pre>
 *  SELECT:  plan ─▶ candidates (scan | _id ranges | index ranges | union) ─▶ live docs as maps
 *                ─▶ [stop after OFFSET+LIMIT matches when read in ORDER BY order] ─▶ SelectExecutor ─▶ rows
 *  writes:  plan ─▶ candidates ─▶ DocumentSelector ─▶ CrdtDocument op (one HLC timestamp per document)
 *                ─▶ size check ─▶ WorkingSet.putDocument + index entries
 * </pre>
 *
 * <p>Statement atomicity: the caller ({@link TxState#run}) marks the working set before and
 * rolls back to the mark if the statement throws, so a failed statement leaves nothing behind.
 * Stateless apart from the state passed in; used on the transaction's thread.
 */
final class Statements {

    private static final byte[] EMPTY = new byte[0];

    /**
     * What a statement produced.
     *
     * @param rows the result rows (SELECT, EXPLAIN, SHOW), else empty
     * @param mutatedIds the ids of the documents changed, in change order
     * @param mutation whether the statement is a mutation (its result carries no items)
     */
    record Outcome(List<Map<String, Object>> rows, List<Object> mutatedIds, boolean mutation) {
        static Outcome rows(List<Map<String, Object>> rows) {
            return new Outcome(rows, List.of(), false);
        }

        static Outcome mutated(List<Object> ids) {
            return new Outcome(List.of(), Collections.unmodifiableList(ids), true);
        }
    }

    private Statements() {
    }

    /** Executes {@code statement}; the caller has checked read-only rules and marks/rolls back. */
    static Outcome execute(TxState tx, Statement statement, EvalContext ctx) {
        if (statement instanceof Statement.Select s) {
            return Outcome.rows(select(tx, s, ctx));
        } else if (statement instanceof Statement.Insert i) {
            return Outcome.mutated(insert(tx, i, ctx));
        } else if (statement instanceof Statement.Update u) {
            return Outcome.mutated(update(tx, u, ctx));
        } else if (statement instanceof Statement.Delete d) {
            return Outcome.mutated(deleteOrEvict(tx, d.collection(), DocumentSelector.of(d), d.where(), d.orderBy(),
                    d.limit(), d.offset(), false, ctx));
        } else if (statement instanceof Statement.Evict e) {
            return Outcome.mutated(deleteOrEvict(tx, e.collection(), DocumentSelector.of(e), e.where(), e.orderBy(),
                    e.limit(), e.offset(), true, ctx));
        } else if (statement instanceof Statement.CreateIndex ci) {
            createIndex(tx, ci);
            return Outcome.mutated(new ArrayList<>());
        } else if (statement instanceof Statement.DropIndex di) {
            dropIndex(tx, di);
            return Outcome.mutated(new ArrayList<>());
        } else if (statement instanceof Statement.Explain ex) {
            return Outcome.rows(List.of(explain(tx, ex.statement(), ctx)));
        } else if (statement instanceof Statement.AlterSystemSet || statement instanceof Statement.AlterSystemReset) {
            tx.store().settings().execute(statement, ctx);
            return Outcome.mutated(new ArrayList<>());
        } else if (statement instanceof Statement.Show) {
            return Outcome.rows(tx.store().settings().execute(statement, ctx));
        }
        throw new DittoException(ErrorCode.UNSUPPORTED, "store: cannot execute a " + statement.kind() + " statement");
    }

    // ---- SELECT --------------------------------------------------------------------------------

    static List<Map<String, Object>> select(TxState tx, Statement.Select s, EvalContext ctx) {
        ctx.requireParameters(s);
        SelectExecutor executor = tx.store().selectExecutor(s);
        String collection = s.from().name();
        Iterator<Map<String, Object>> candidates;
        if (s.from().isVirtual()) {
            candidates = tx.store().virtualCollection(collection, tx).iterator();
        } else {
            boolean mayStop = !executor.isAggregate() && !s.distinct();
            Planner.Plan plan = Planner.plan(s.where(), s.orderBy(), s.limit(), s.offset(), mayStop,
                    tx.catalog().of(collection), ctx);
            candidates = limitToMatches(asMaps(candidates(tx, collection, plan)), plan, s.where(), ctx);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        executor.execute(candidates, ctx).forEachRemaining(row -> rows.add(detached(row)));
        return Collections.unmodifiableList(rows);
    }

    /**
     * Returns the row itself, or a copy with fresh {@code byte[]} leaves if it holds any: rows
     * share their maps with the (cached, immutable) documents, whose binary leaves must never
     * reach code that could change them.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> detached(Map<String, Object> row) {
        return hasBinary(row) ? (Map<String, Object>) copyBinary(row) : row;
    }

    /** Returns the value, or a copy with fresh {@code byte[]} leaves if it holds any (see {@link #detached}). */
    static Object detachedValue(Object v) {
        return hasBinary(v) ? copyBinary(v) : v;
    }

    private static boolean hasBinary(Object v) {
        if (v instanceof byte[]) {
            return true;
        }
        if (v instanceof Map<?, ?> m) {
            for (Object e : m.values()) {
                if (hasBinary(e)) {
                    return true;
                }
            }
        } else if (v instanceof List<?> l) {
            for (Object e : l) {
                if (hasBinary(e)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Object copyBinary(Object v) {
        if (v instanceof byte[] b) {
            return b.clone();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, e) -> copy.put((String) k, copyBinary(e)));
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(e -> copy.add(copyBinary(e)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }

    /** With a plan that reads in ORDER BY order and may stop, passes on only the first matches needed. */
    private static Iterator<Map<String, Object>> limitToMatches(Iterator<Map<String, Object>> docs, Planner.Plan plan,
            Expr where, EvalContext ctx) {
        if (!plan.ordered() || plan.stopAfter() < 0) {
            return docs;
        }
        Iterator<Map<String, Object>> matching = DocumentSelector.of(where, List.of(), null, null).select(docs, ctx);
        long max = plan.stopAfter();
        return new Iterator<>() {
            private long taken;

            @Override
            public boolean hasNext() {
                return taken < max && matching.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                taken++;
                return matching.next();
            }
        };
    }

    private static Iterator<Map<String, Object>> asMaps(Iterator<WorkingSet.Stored> stored) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stored.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                return stored.next().document().value().orElseThrow();
            }
        };
    }

    /** Iterates the live documents the plan reads, in plan order. */
    static Iterator<WorkingSet.Stored> candidates(TxState tx, String collection, Planner.Plan plan) {
        WorkingSet ws = tx.workingSet();
        byte[] prefix = Keys.collectionPrefix(collection);
        Planner.Access access = plan.access();
        Iterator<WorkingSet.Stored> raw;
        if (access instanceof Planner.Scan) {
            raw = ws.documents(prefix, Keys.end(prefix), plan.reverse());
        } else if (access instanceof Planner.Ranges r) {
            raw = ranges(ws, prefix, r, plan.reverse());
        } else {
            Planner.Union u = (Planner.Union) access;
            List<Iterator<WorkingSet.Stored>> parts = new ArrayList<>();
            for (Planner.Ranges r : u.parts()) {
                parts.add(ranges(ws, prefix, r, false));
            }
            raw = distinct(parts);
        }
        return live(raw);
    }

    private static Iterator<WorkingSet.Stored> ranges(WorkingSet ws, byte[] collectionPrefix, Planner.Ranges r,
            boolean reverse) {
        List<KeyRanges.Range> list = new ArrayList<>(r.ranges().ranges());
        if (reverse) {
            Collections.reverse(list);
        }
        if (r.index() == null) {
            return new Chain<KeyRanges.Range, WorkingSet.Stored>(list.iterator(), range -> {
                if (range.point()) {
                    byte[] key = Keys.concat(collectionPrefix, range.from());
                    CrdtDocument doc = ws.document(key);
                    return doc == null ? Collections.emptyIterator()
                            : List.of(new WorkingSet.Stored(key, doc)).iterator();
                }
                byte[] from = range.from() == null ? collectionPrefix : Keys.concat(collectionPrefix, range.from());
                byte[] to = range.to() == null ? Keys.end(collectionPrefix) : Keys.concat(collectionPrefix, range.to());
                return ws.documents(from, to, reverse);
            });
        }
        byte[] indexPrefix = r.index().prefix();
        return new Chain<KeyRanges.Range, WorkingSet.Stored>(list.iterator(), range -> {
            byte[] from = range.from() == null ? indexPrefix : Keys.concat(indexPrefix, range.from());
            byte[] to = range.to() == null ? Keys.end(indexPrefix) : Keys.concat(indexPrefix, range.to());
            return indexed(ws, ws.keys(Keys.INDEX, from, to, reverse), indexPrefix.length, collectionPrefix);
        });
    }

    /** Reads the documents that index entries point to. */
    private static Iterator<WorkingSet.Stored> indexed(WorkingSet ws, Iterator<byte[]> entries, int indexPrefixLength,
            byte[] collectionPrefix) {
        return new Iterator<>() {
            private WorkingSet.Stored next;

            @Override
            public boolean hasNext() {
                while (next == null && entries.hasNext()) {
                    byte[] key = Keys.documentKeyOfIndexEntry(entries.next(), indexPrefixLength, collectionPrefix);
                    CrdtDocument doc = ws.document(key);
                    if (doc != null) {
                        next = new WorkingSet.Stored(key, doc);
                    }
                }
                return next != null;
            }

            @Override
            public WorkingSet.Stored next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                WorkingSet.Stored s = next;
                next = null;
                return s;
            }
        };
    }

    /** Concatenates the parts, passing each document key once. */
    private static Iterator<WorkingSet.Stored> distinct(List<Iterator<WorkingSet.Stored>> parts) {
        Set<java.nio.ByteBuffer> seen = new HashSet<>();
        return filter(new Chain<>(parts.iterator(), it -> it), s -> seen.add(java.nio.ByteBuffer.wrap(s.key())));
    }

    /** Skips tombstones. */
    private static Iterator<WorkingSet.Stored> live(Iterator<WorkingSet.Stored> stored) {
        return filter(stored, s -> !s.document().isDeleted());
    }

    /** Passes the elements the predicate accepts, lazily, asking it once per element in order. */
    private static <T> Iterator<T> filter(Iterator<T> source, java.util.function.Predicate<T> accept) {
        return new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                while (next == null && source.hasNext()) {
                    T candidate = source.next();
                    if (accept.test(candidate)) {
                        next = candidate;
                    }
                }
                return next != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T result = next;
                next = null;
                return result;
            }
        };
    }

    /** Flattens an iterator of sources into one iterator, opening each source when reached. */
    private static final class Chain<S, T> implements Iterator<T> {
        private final Iterator<S> sources;
        private final java.util.function.Function<S, Iterator<T>> open;
        private Iterator<T> current = Collections.emptyIterator();

        Chain(Iterator<S> sources, java.util.function.Function<S, Iterator<T>> open) {
            this.sources = sources;
            this.open = open;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!sources.hasNext()) {
                    return false;
                }
                current = open.apply(sources.next());
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }

    // ---- writes --------------------------------------------------------------------------------

    private static List<Object> insert(TxState tx, Statement.Insert insert, EvalContext ctx) {
        String collection = insert.into().name();
        checkWritable(collection, "INSERT");
        TypeHints hints = hints(insert.into().hints());
        boolean strict = tx.store().settings().strictMode();
        List<Map<String, Object>> payloads = WriteEvaluator.insertDocuments(insert, ctx);
        byte[] prefix = Keys.collectionPrefix(collection);
        List<Object> mutated = new ArrayList<>();
        Set<java.nio.ByteBuffer> seen = new HashSet<>();
        WorkingSet ws = tx.workingSet();
        for (Map<String, Object> payload : payloads) {
            Object id = payload.containsKey("_id") ? payload.get("_id") : generateId();
            Map<String, Object> fields = new LinkedHashMap<>(payload);
            fields.remove("_id");
            byte[] key = Keys.documentKey(prefix, id);
            CrdtDocument existing = ws.document(key);
            CrdtDocument next;
            if (insert.initial()) {
                CrdtDocument initial = CrdtDocument.initial(id, fields, hints, strict);
                next = existing == null ? initial : existing.merge(initial);
            } else if (existing == null) {
                next = CrdtDocument.create(id, fields, hints, op(tx, strict));
            } else if (existing.isDeleted()) {
                next = existing.insert(fields, hints, op(tx, strict));
            } else {
                switch (insert.onConflict()) {
                    case FAIL -> throw new DittoException(ErrorCode.DOCUMENT_ID_CONFLICT, "INSERT INTO " + collection
                            + ": a document with _id " + describe(id) + " already exists (ON ID CONFLICT FAIL);"
                            + " nothing of the statement was written");
                    case DO_NOTHING -> next = existing;
                    case DO_UPDATE -> next = existing.insert(fields, hints, op(tx, strict));
                    default -> {
                        Map<String, Object> current = existing.value().orElseThrow();
                        Map<String, Object> diff = new LinkedHashMap<>();
                        fields.forEach((k, v) -> {
                            if (!current.containsKey(k) || !DqlValues.equal(current.get(k), v)) {
                                diff.put(k, v);
                            }
                        });
                        next = diff.isEmpty() ? existing : existing.insert(diff, hints, op(tx, strict));
                    }
                }
            }
            if (next != existing) {
                write(tx, collection, prefix, key, existing, next);
                if (seen.add(java.nio.ByteBuffer.wrap(key))) {
                    mutated.add(detachedValue(next.id()));
                }
            }
        }
        return mutated;
    }

    private static List<Object> update(TxState tx, Statement.Update update, EvalContext ctx) {
        String collection = update.target().name();
        checkWritable(collection, "UPDATE");
        ctx.requireParameters(update);
        TypeHints hints = hints(update.target().hints());
        boolean strict = tx.store().settings().strictMode();
        WriteEvaluator evaluator = WriteEvaluator.of(update);
        byte[] prefix = Keys.collectionPrefix(collection);
        List<Object> mutated = new ArrayList<>();
        for (WorkingSet.Stored s : selected(tx, collection, DocumentSelector.of(update), update.where(),
                update.orderBy(), update.limit(), update.offset(), ctx)) {
            CrdtDocument doc = s.document();
            List<FieldMutation> mutations = evaluator.mutations(doc.value().orElseThrow(), ctx);
            OpContext op = op(tx, strict);
            CrdtDocument next = doc;
            for (FieldMutation m : mutations) {
                Path path = Path.of(m.path().toArray());
                if (m instanceof WriteEvaluator.SetValue set) {
                    next = next.set(path, set.value(), hints, op);
                } else if (m instanceof WriteEvaluator.Unset) {
                    next = next.unset(path, op);
                } else {
                    WriteEvaluator.Counter c = (WriteEvaluator.Counter) m;
                    next = switch (c.op()) {
                        case INCREMENT -> next.increment(path, c.amount(), op);
                        case RESTART -> next.restart(path, c.amount(), op);
                        case PN_INCREMENT -> next.pnIncrement(path, c.amount(), op);
                    };
                }
            }
            if (next != doc) {
                write(tx, collection, prefix, s.key(), doc, next);
                mutated.add(detachedValue(next.id()));
            }
        }
        return mutated;
    }

    private static List<Object> deleteOrEvict(TxState tx, String collection, DocumentSelector selector, Expr where,
            List<Statement.OrderItem> orderBy, Expr limit, Expr offset, boolean evict, EvalContext ctx) {
        checkWritable(collection, evict ? "EVICT" : "DELETE");
        byte[] prefix = Keys.collectionPrefix(collection);
        boolean strict = tx.store().settings().strictMode();
        List<Object> mutated = new ArrayList<>();
        for (WorkingSet.Stored s : selected(tx, collection, selector, where, orderBy, limit, offset, ctx)) {
            CrdtDocument doc = s.document();
            if (evict) {
                tx.workingSet().removeDocument(collection, s.key(), doc.id());
                tx.workingSet().markEvicted(collection);
                maintainIndexes(tx, collection, prefix, s.key(), doc, null);
            } else {
                write(tx, collection, prefix, s.key(), doc, doc.delete(op(tx, strict)));
            }
            mutated.add(detachedValue(doc.id()));
        }
        return mutated;
    }

    /** Returns the documents a write affects, read completely before anything is written. */
    private static List<WorkingSet.Stored> selected(TxState tx, String collection, DocumentSelector selector, Expr where,
            List<Statement.OrderItem> orderBy, Expr limit, Expr offset, EvalContext ctx) {
        Planner.Plan plan = Planner.plan(where, orderBy, limit, offset, true, tx.catalog().of(collection), ctx);
        Map<Map<String, Object>, WorkingSet.Stored> byMap = new IdentityHashMap<>();
        Iterator<WorkingSet.Stored> stored = candidates(tx, collection, plan);
        Iterator<Map<String, Object>> maps = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stored.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                WorkingSet.Stored s = stored.next();
                Map<String, Object> m = s.document().value().orElseThrow();
                byMap.put(m, s);
                return m;
            }
        };
        List<WorkingSet.Stored> out = new ArrayList<>();
        selector.select(limitToMatches(maps, plan, where, ctx), ctx).forEachRemaining(m -> out.add(byMap.get(m)));
        tx.workingSet().closeCursors();
        return out;
    }

    /** Buffers a document's new state after checking its size, and updates the indexes. */
    private static void write(TxState tx, String collection, byte[] prefix, byte[] key, CrdtDocument previous,
            CrdtDocument next) {
        int size = next.encode().length;
        long hard = tx.store().settings().documentSizeHardLimitBytes();
        if (size > hard) {
            throw new DittoException(ErrorCode.DOCUMENT_TOO_LARGE, "write to " + collection + ": document _id "
                    + describe(next.id()) + " would be " + size + " bytes encoded, above DOCUMENT_SIZE_HARD_LIMIT_BYTES ("
                    + hard + "); nothing of the statement was written");
        }
        long soft = tx.store().settings().documentSizeSoftLimitBytes();
        if (size > soft) {
            Logger.warn("write to {}: document _id {} is {} bytes encoded, above DOCUMENT_SIZE_SOFT_LIMIT_BYTES ({})",
                    collection, describe(next.id()), size, soft);
        }
        tx.workingSet().putDocument(collection, key, next);
        maintainIndexes(tx, collection, prefix, key, previous, next);
    }

    /**
     * Buffers the merged state of a replicated document and updates the indexes (the caller
     * checked the size); {@code origin} as in {@link WorkingSet.DocWrite}.
     */
    static void replicate(TxState tx, String collection, byte[] prefix, byte[] key, CrdtDocument previous,
            CrdtDocument next, long origin) {
        tx.workingSet().putDocument(collection, key, next, origin);
        maintainIndexes(tx, collection, prefix, key, previous, next);
    }

    /** Replaces a document's index entries: those of {@code previous} (if live) by those of {@code next} (if live). */
    private static void maintainIndexes(TxState tx, String collection, byte[] prefix, byte[] key,
            CrdtDocument previous, CrdtDocument next) {
        List<IndexDef> indexes = tx.catalog().of(collection);
        if (indexes.isEmpty()) {
            return;
        }
        WorkingSet ws = tx.workingSet();
        for (IndexDef index : indexes) {
            Path path = index.crdtPath();
            byte[] indexPrefix = index.prefix();
            byte[] before = previous == null || previous.isDeleted() ? null
                    : Keys.indexKey(indexPrefix, index.encodedValueOf(previous, path), key, prefix.length);
            byte[] after = next == null || next.isDeleted() ? null
                    : Keys.indexKey(indexPrefix, index.encodedValueOf(next, path), key, prefix.length);
            if (Arrays.equals(before, after)) {
                continue;
            }
            if (before != null) {
                ws.delete(Keys.INDEX, before);
            }
            if (after != null) {
                ws.put(Keys.INDEX, after, EMPTY);
            }
        }
    }

    private static OpContext op(TxState tx, boolean strict) {
        return new OpContext(tx.store().clock().now(), strict);
    }

    private static void checkWritable(String collection, String statement) {
        if (collection.startsWith("system:")) {
            throw new DittoException(ErrorCode.UNSUPPORTED, statement + ": " + collection
                    + " is a virtual, read-only system collection");
        }
        if (collection.isEmpty()) {
            throw new DittoException(ErrorCode.QUERY_COMPILATION, statement + ": the collection name is empty");
        }
    }

    /** Generates a document id: 128 random bits as 32 lower-case hex digits. */
    static String generateId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String describe(Object id) {
        String s = id instanceof String str ? "'" + str + "'" : String.valueOf(id);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** Converts the statement's type hints for the CRDT layer. */
    static TypeHints hints(List<Statement.TypeHint> hints) {
        if (hints.isEmpty()) {
            return TypeHints.NONE;
        }
        TypeHints.Builder b = TypeHints.builder();
        for (Statement.TypeHint h : hints) {
            CrdtType type = CrdtType.valueOf(h.type().name());
            if (h.nested().isEmpty()) {
                b.put(h.field(), type);
            } else {
                b.put(h.field(), type, hints(h.nested()));
            }
        }
        return b.build();
    }

    // ---- indexes -------------------------------------------------------------------------------

    private static void createIndex(TxState tx, Statement.CreateIndex ci) {
        String collection = ci.collection();
        if (collection.startsWith("system:")) {
            throw new DittoException(ErrorCode.UNSUPPORTED, "CREATE INDEX " + ci.name() + ": " + collection
                    + " is a virtual system collection and cannot be indexed");
        }
        Optional<List<Object>> path = Dql.fieldPath(ci.path());
        if (path.isEmpty()) {
            throw new DittoException(ErrorCode.QUERY_COMPILATION, "CREATE INDEX " + ci.name() + ": "
                    + Dql.print(ci.path()) + " is not a field path");
        }
        IndexCatalog catalog = tx.catalog();
        if (catalog.find(collection, ci.name()) != null) {
            if (ci.ifNotExists()) {
                return;
            }
            throw new DittoException(ErrorCode.QUERY_EXECUTION, "CREATE INDEX " + ci.name() + ": an index of that"
                    + " name already exists on collection " + collection + " (use IF NOT EXISTS to ignore)");
        }
        IndexDef def = new IndexDef(collection, ci.name(), path.get());
        WorkingSet ws = tx.workingSet();
        long version = catalog.version() + 1;
        ws.put(Keys.INDEX_DEFS, def.prefix(), def.definitionValue());
        ws.put(Keys.META, Keys.META_CATALOG, Keys.longValue(version));
        byte[] prefix = Keys.collectionPrefix(collection);
        byte[] indexPrefix = def.prefix();
        Path crdtPath = def.crdtPath();
        List<byte[]> entries = new ArrayList<>();
        Iterator<WorkingSet.Stored> docs = live(ws.documents(prefix, Keys.end(prefix), false));
        while (docs.hasNext()) {
            WorkingSet.Stored s = docs.next();
            entries.add(Keys.indexKey(indexPrefix, def.encodedValueOf(s.document(), crdtPath), s.key(), prefix.length));
        }
        ws.closeCursors();
        for (byte[] entry : entries) {
            ws.put(Keys.INDEX, entry, EMPTY);
        }
        tx.catalog(catalog.with(def, version));
    }

    private static void dropIndex(TxState tx, Statement.DropIndex di) {
        IndexCatalog catalog = tx.catalog();
        IndexDef def;
        if (di.collection() != null) {
            def = catalog.find(di.collection(), di.name());
        } else {
            List<IndexDef> named = new ArrayList<>();
            for (IndexDef d : catalog.all()) {
                if (d.name().equals(di.name())) {
                    named.add(d);
                }
            }
            if (named.size() > 1) {
                List<String> collections = new ArrayList<>();
                named.forEach(d -> collections.add(d.collection()));
                throw new DittoException(ErrorCode.QUERY_EXECUTION, "DROP INDEX " + di.name() + ": indexes of that name"
                        + " exist on several collections " + collections + "; say which with ON <collection>");
            }
            def = named.isEmpty() ? null : named.get(0);
        }
        if (def == null) {
            if (di.ifExists()) {
                return;
            }
            throw new DittoException(ErrorCode.QUERY_EXECUTION, "DROP INDEX " + di.name() + ": no such index"
                    + (di.collection() == null ? "" : " on collection " + di.collection())
                    + " (use IF EXISTS to ignore)");
        }
        WorkingSet ws = tx.workingSet();
        long version = catalog.version() + 1;
        ws.delete(Keys.INDEX_DEFS, def.prefix());
        ws.put(Keys.META, Keys.META_CATALOG, Keys.longValue(version));
        byte[] indexPrefix = def.prefix();
        List<byte[]> entries = new ArrayList<>();
        ws.keys(Keys.INDEX, indexPrefix, Keys.end(indexPrefix), false).forEachRemaining(entries::add);
        ws.closeCursors();
        for (byte[] entry : entries) {
            ws.delete(Keys.INDEX, entry);
        }
        tx.catalog(catalog.without(def, version));
    }

    // ---- EXPLAIN -------------------------------------------------------------------------------

    private static Map<String, Object> explain(TxState tx, Statement statement, EvalContext ctx) {
        DqlExplain.AccessPath access = null;
        String collection = null;
        Expr where = null;
        List<Statement.OrderItem> orderBy = List.of();
        Expr limit = null;
        Expr offset = null;
        boolean mayStop = true;
        if (statement instanceof Statement.Select s) {
            collection = s.from().name();
            where = s.where();
            orderBy = s.orderBy();
            limit = s.limit();
            offset = s.offset();
            mayStop = !SelectAnalysis.isAggregateQuery(s) && !s.distinct();
        } else if (statement instanceof Statement.Update u) {
            collection = u.target().name();
            where = u.where();
            orderBy = u.orderBy();
            limit = u.limit();
            offset = u.offset();
        } else if (statement instanceof Statement.Delete d) {
            collection = d.collection();
            where = d.where();
            orderBy = d.orderBy();
            limit = d.limit();
            offset = d.offset();
        } else if (statement instanceof Statement.Evict e) {
            collection = e.collection();
            where = e.where();
            orderBy = e.orderBy();
            limit = e.limit();
            offset = e.offset();
        }
        if (collection != null) {
            if (collection.startsWith("system:")) {
                tx.store().requireVirtualCollection(collection);
                access = DqlExplain.AccessPath.scan();
            } else {
                access = Planner.plan(where, orderBy, limit, offset, mayStop, tx.catalog().of(collection), ctx, true)
                        .explain();
            }
        }
        return DqlExplain.plan(statement, access);
    }
}
