package ditto.engine.crdt;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One document as a state-based CRDT: its fields with their merge types, the causal context
 * ({@link VersionVector}) of everything it has seen, and its existence and deletion markers.
 *
 * <p><b>Immutable.</b> Every operation returns a new document and leaves the receiver untouched;
 * an operation or {@link #merge} that changes nothing returns the receiver itself, so callers can
 * detect "nothing to write" with {@code ==}. Unchanged parts are shared between versions.
 * Immutability makes snapshots for read-only transactions free, makes every instance safe to
 * share between threads without locking, and makes the lazily cached encoding
 * ({@link #encode()}) and materialized value ({@link #value()}) trivially correct: they can never
 * go stale. A write costs one copy of the maps along the written path.
 *
 * <p><b>Operations</b> ({@link #set}, {@link #unset}, {@link #increment}, {@link #restart},
 * {@link #pnIncrement}, {@link #insert}, {@link #delete}) take an {@link OpContext} whose
 * timestamp stamps the write; it must not be older than this site's latest operation on the
 * document. {@link #create} and {@link #initial} make new documents. Paths may not start with
 * {@code _id} (immutable). Values are JSON-model values ({@code null}, Boolean, Long/Integer/Short/Byte,
 * finite Double/Float, BigInteger, BigDecimal, String, {@code byte[]}, List, Map with String keys,
 * and {@link ditto.api.AttachmentTokenLike} which is stored as its token map); they are copied on
 * the way in. Invalid input throws {@link DittoException} with {@link ErrorCode#INVALID_ARGUMENTS}
 * naming the path. Merge rules are described in {@code docs/crdt.md} and the package javadoc.
 *
 * <p>Equality is equality of CRDT state, which is equality of {@link #encode()} bytes.
 */
public final class CrdtDocument {
    /** The deepest nesting of objects and arrays in a document, the document itself counting as level 1. */
    public static final int MAX_DEPTH = 64;
    /** The largest input {@link #decode} accepts: 16 MiB (the store enforces the smaller document size limit). */
    public static final int MAX_DECODE_BYTES = 16 * 1024 * 1024;
    /** What {@link #valueAt(Path)} returns for an absent path (distinct from a stored {@code null}). */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    final Object id;
    final VersionVector context;
    final Dots alive;
    final Dots deleted;
    final SortedMap<String, Field> fields;
    private volatile byte[] encoded;
    private volatile Materialized materialized;

    private record Materialized(Map<String, Object> value, boolean deleted) {
    }

    CrdtDocument(Object id, VersionVector context, Dots alive, Dots deleted, SortedMap<String, Field> fields, byte[] encoded) {
        this.id = id;
        this.context = context;
        this.alive = alive;
        this.deleted = deleted;
        this.fields = fields;
        this.encoded = encoded;
    }

    // ---------------------------------------------------------------- construction

    /**
     * Creates a document for an INSERT of an {@code _id} that does not exist locally.
     *
     * @param id the document id: any non-null JSON-model value
     * @param fields the fields to write (may contain {@code _id} only if equal to {@code id}), never null
     * @param hints type hints of the statement, never null ({@link TypeHints#NONE})
     * @param ctx the operation context, never null
     * @throws DittoException {@code INVALID_ARGUMENTS} for a null or invalid id or an invalid field value
     */
    public static CrdtDocument create(Object id, Map<String, ?> fields, TypeHints hints, OpContext ctx) {
        CrdtDocument empty = new CrdtDocument(normalizeId(id), VersionVector.EMPTY, Dots.EMPTY, Dots.EMPTY,
                Collections.emptySortedMap(), null);
        return empty.insert(fields, hints, ctx);
    }

    /** Same as {@link #initial(Object, Map, TypeHints, boolean)} without hints, non-strict. */
    public static CrdtDocument initial(Object id, Map<String, ?> fields) {
        return initial(id, fields, TypeHints.NONE, false);
    }

    /** Same as {@link #initial(Object, Map, TypeHints, boolean)}, non-strict. */
    public static CrdtDocument initial(Object id, Map<String, ?> fields, TypeHints hints) {
        return initial(id, fields, hints, false);
    }

    /**
     * Creates an INITIAL document: every entry is stamped {@link Timestamp#ZERO} and the causal
     * context stays empty. To insert it, {@link #merge} it into the local document if one exists
     * (that is a no-op once any real write has been seen) or store it as is. Identical initial
     * documents created on two peers merge into one; any real write supersedes initial data.
     *
     * @throws DittoException {@code INVALID_ARGUMENTS} for a null or invalid id or an invalid field value
     */
    public static CrdtDocument initial(Object id, Map<String, ?> fields, TypeHints hints, boolean strictMode) {
        CrdtDocument empty = new CrdtDocument(normalizeId(id), VersionVector.EMPTY, Dots.EMPTY, Dots.EMPTY,
                Collections.emptySortedMap(), null);
        Op op = new Op(0, 0, strictMode);
        TreeMap<String, Field> f = empty.writeFields(fields, hints, op);
        return new CrdtDocument(empty.id, VersionVector.EMPTY, Dots.of(0, 0, null), Dots.EMPTY, Collections.unmodifiableSortedMap(f), null);
    }

    private static Object normalizeId(Object id) {
        if (id == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "document id: _id must not be null");
        }
        return JsonValues.normalize(id, "_id", 1);
    }

    // ---------------------------------------------------------------- operations

    /**
     * INSERT over an existing {@code _id}: recreates a deleted document, or upserts a live one
     * (ON ID CONFLICT DO UPDATE). Writes every given field (an equal value is still a new write)
     * and never removes fields absent from {@code fields}. The document is marked as existing
     * from this write on, and any delete this replica has seen is superseded.
     *
     * @param fields the fields (may contain {@code _id} only if equal to {@link #id()}), never null
     * @throws DittoException {@code INVALID_ARGUMENTS} for an invalid value or a different {@code _id}
     */
    public CrdtDocument insert(Map<String, ?> fields, TypeHints hints, OpContext ctx) {
        Op op = begin(ctx);
        TreeMap<String, Field> f = writeFields(fields, hints, op);
        return next(ctx, Dots.of(op.hlc, op.site, null), f);
    }

    private TreeMap<String, Field> writeFields(Map<String, ?> values, TypeHints hints, Op op) {
        Objects.requireNonNull(values, "fields");
        Objects.requireNonNull(hints, "hints");
        TreeMap<String, Field> f = new TreeMap<>(fields);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = e.getKey();
            if (key == null) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "document " + id + ": null field name");
            }
            if (key.equals("_id")) {
                Object given = e.getValue() == null ? null : JsonValues.normalize(e.getValue(), "_id", 1);
                if (!JsonValues.equal(given, id)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "document " + id + ": _id is immutable (got " + given + ")");
                }
                continue;
            }
            Object v = JsonValues.normalize(e.getValue(), Path.key(key).toString(), 1);
            Field old = f.getOrDefault(key, Field.EMPTY);
            f.put(key, write(old.cleared(), v, hints.typeOf(key), hints.child(key), op, Path.key(key).toString()));
        }
        return f;
    }

    /**
     * SET path = value. Writing to a key of a MAP keeps its siblings; the field at the end of the
     * path is replaced (its old content, as far as this replica has seen it, is removed; concurrent
     * writes elsewhere survive). Missing parents are created as MAPs (as REGISTER objects in strict
     * mode unless hinted MAP). Inside a REGISTER value (an array, a register object) the whole
     * register is rewritten atomically; array indexes must exist.
     *
     * @param path where to write; must not start with {@code _id}
     * @param value a JSON-model value
     * @param hints the statement's type hints for the collection (navigated along the path), never null
     * @throws DittoException {@code INVALID_ARGUMENTS} for {@code _id}, a non-finite or unsupported
     *     value, nesting beyond {@link #MAX_DEPTH}, a value not matching its declared type, or a
     *     path through a scalar, a counter, a missing array or an index out of range
     */
    public CrdtDocument set(Path path, Object value, TypeHints hints, OpContext ctx) {
        checkPath(path, "set");
        Objects.requireNonNull(hints, "hints");
        Object v = JsonValues.normalize(value, path.toString(), path.size());
        Op op = begin(ctx);
        op.kind = Op.Kind.SET;
        op.value = v;
        return next(ctx, alive, writeAt(fields, path, 0, hints, op));
    }

    /**
     * UNSET path: removes the field (as far as this replica has seen it; a concurrent update
     * survives), or the key or array element inside a REGISTER value.
     *
     * @return the new document, or this when nothing is at {@code path}
     * @throws DittoException {@code INVALID_ARGUMENTS} if the path starts with {@code _id}
     */
    public CrdtDocument unset(Path path, OpContext ctx) {
        checkPath(path, "unset");
        Op op = begin(ctx);
        TreeMap<String, Field> f = unsetIn(fields, path, 0, op);
        return f == null ? this : next(ctx, alive, f);
    }

    /**
     * COUNTER {@code INCREMENT BY by}: adds to the counter at {@code path}. A missing field starts
     * at 0; a field holding a plain number becomes a counter starting at that number. Increments
     * from all peers are summed; the value may go negative.
     *
     * @param by a finite number (a Long counts exactly up to 2<sup>53</sup>)
     * @throws DittoException {@code INVALID_ARGUMENTS} if {@code by} is not finite, the field holds
     *     something other than a number, or the path runs through a REGISTER value
     */
    public CrdtDocument increment(Path path, Number by, OpContext ctx) {
        return counterOp(path, by, ctx, Op.Kind.INCREMENT, "increment");
    }

    /**
     * COUNTER {@code RESTART WITH with}: sets the counter to {@code with} and discards exactly the
     * increments this replica has seen; increments made concurrently still count. Concurrent
     * restarts: the latest timestamp sets the base.
     *
     * @throws DittoException {@code INVALID_ARGUMENTS} as for {@link #increment}
     */
    public CrdtDocument restart(Path path, Number with, OpContext ctx) {
        return counterOp(path, with, ctx, Op.Kind.RESTART, "restart");
    }

    /**
     * PN_COUNTER {@code PN_INCREMENT BY by}: the legacy summed counter. It shares COUNTER's state,
     * so it behaves exactly like {@link #increment}.
     */
    public CrdtDocument pnIncrement(Path path, Number by, OpContext ctx) {
        return counterOp(path, by, ctx, Op.Kind.INCREMENT, "pn_increment");
    }

    private CrdtDocument counterOp(Path path, Number n, OpContext ctx, Op.Kind kind, String what) {
        checkPath(path, what);
        Objects.requireNonNull(n, "number");
        Object v = JsonValues.normalize(n, path.toString(), path.size());
        double d = toDouble(v);
        if (!Double.isFinite(d)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + " " + path + ": " + n + " is not a finite number");
        }
        Op op = begin(ctx);
        op.kind = kind;
        op.number = d;
        return next(ctx, alive, writeAt(fields, path, 0, TypeHints.NONE, op));
    }

    /**
     * DELETE: removes every field this replica has seen and leaves a tombstone that replicates.
     * A concurrent update elsewhere survives on an otherwise empty, live document.
     */
    public CrdtDocument delete(OpContext ctx) {
        Op op = begin(ctx);
        TreeMap<String, Field> f = new TreeMap<>();
        for (Map.Entry<String, Field> e : fields.entrySet()) {
            Field c = e.getValue().cleared();
            if (!c.isEmpty()) {
                f.put(e.getKey(), c);
            }
        }
        return new CrdtDocument(id, advance(ctx), Dots.EMPTY, Dots.of(op.hlc, op.site, null),
                Collections.unmodifiableSortedMap(f), null);
    }

    /**
     * Merges another replica of the same document (the CRDT join): commutative, associative and
     * idempotent, so replicas that received the same changes in any order hold equal documents.
     *
     * @return the merged document, or this when {@code other} adds nothing
     * @throws DittoException {@code INVALID_ARGUMENTS} if the ids differ
     */
    public CrdtDocument merge(CrdtDocument other) {
        if (other == this) {
            return this;
        }
        if (!JsonValues.equal(id, other.id)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "merge: document ids differ (" + id + " vs " + other.id + ")");
        }
        byte[] mine = encoded;
        byte[] theirs = other.encoded;
        if (mine != null && theirs != null && Arrays.equals(mine, theirs)) {
            return this;
        }
        VersionVector ca = context;
        VersionVector cb = other.context;
        Dots al = Dots.join(alive, ca, other.alive, cb);
        Dots dl = Dots.join(deleted, ca, other.deleted, cb);
        TreeMap<String, Field> f = MapPart.joinChildren(fields, other.fields, ca, cb);
        VersionVector c = ca.merge(cb);
        if (al == alive && dl == deleted && f == null && c == ca) {
            return this;
        }
        return new CrdtDocument(id, c, al, dl, f == null ? fields : Collections.unmodifiableSortedMap(f), null);
    }

    // ---------------------------------------------------------------- reading

    /** Returns the document id (normalized JSON-model value), never null. */
    public Object id() {
        return id;
    }

    /**
     * Returns the materialized document: {@code _id} first, then the visible fields in key order,
     * as unmodifiable maps and lists; empty when the document is deleted. Computed once per
     * instance. The {@code byte[]} leaves are shared with the document: treat them as read-only
     * (copy before handing them to application code that might modify them).
     */
    public Optional<Map<String, Object>> value() {
        Materialized m = materialize();
        return m.deleted ? Optional.empty() : Optional.of(m.value);
    }

    /**
     * Returns the materialized value at {@code path} ({@code _id} allowed), or {@link #MISSING}
     * when the document is deleted or nothing is there (including a path through a non-container).
     */
    public Object valueAt(Path path) {
        Materialized m = materialize();
        if (m.deleted) {
            return MISSING;
        }
        Object cur = m.value;
        for (int i = 0; i < path.size(); i++) {
            if (path.isKey(i) && cur instanceof Map<?, ?> map) {
                if (!map.containsKey(path.key(i))) {
                    return MISSING;
                }
                cur = map.get(path.key(i));
            } else if (!path.isKey(i) && cur instanceof List<?> list) {
                int idx = path.indexAt(i);
                if (idx >= list.size()) {
                    return MISSING;
                }
                cur = list.get(idx);
            } else {
                return MISSING;
            }
        }
        return cur;
    }

    /**
     * Returns whether the document is deleted: a delete survives, no insert survives it and no
     * field is visible (a concurrent update's fields keep the document alive).
     */
    public boolean isDeleted() {
        return materialize().deleted;
    }

    /** Returns the timestamp of the latest surviving delete when {@link #isDeleted()}, else empty. */
    public Optional<Timestamp> deletedAt() {
        if (!isDeleted()) {
            return Optional.empty();
        }
        int i = deleted.last();
        return Optional.of(new Timestamp(deleted.hlc[i], deleted.site[i]));
    }

    /**
     * Returns whether this is a deleted document whose tombstone is older than the TTL, i.e. the
     * reaper may remove it: {@code isDeleted() && deletedAt + ttlMillis <= nowMillis}.
     *
     * @param nowMillis the current time, epoch milliseconds
     * @param ttlMillis the tombstone time to live (TOMBSTONE_TTL_HOURS), milliseconds &ge; 0
     */
    public boolean isExpired(long nowMillis, long ttlMillis) {
        Optional<Timestamp> at = deletedAt();
        if (at.isEmpty()) {
            return false;
        }
        long deadline = at.get().physicalMillis() + ttlMillis;
        return deadline >= 0 && deadline <= nowMillis;
    }

    /** Returns whether the document holds INITIAL data only (no real operation seen yet). */
    public boolean isInitialOnly() {
        return context.get(0) < 0;
    }

    /** Returns the causal context: what this replica of the document has seen. */
    public VersionVector versionVector() {
        return context;
    }

    /**
     * Returns the canonical CBOR encoding: equal states give byte-identical encodings. Computed
     * at most once per instance (and taken over from {@link #decodeTrusted}), so an unchanged
     * document is never re-encoded. The array is shared: do not modify it.
     */
    public byte[] encode() {
        byte[] e = encoded;
        if (e == null) {
            e = DocumentCodec.encode(this);
            encoded = e;
        }
        return e;
    }

    /**
     * Decodes a document from an untrusted source (a peer). Every length, count, order, nesting
     * level (at most {@link #MAX_DEPTH}), dot and number is checked; the result is canonical
     * (its {@link #encode()} is recomputed, not copied from the input).
     *
     * @throws DittoException {@code PROTOCOL} naming what is wrong, for any malformed input
     */
    public static CrdtDocument decode(byte[] bytes) {
        CrdtDocument d = DocumentCodec.decode(bytes);
        d.encoded = null;
        return d;
    }

    /**
     * Decodes bytes this engine encoded itself (read back from the store): the same checks as
     * {@link #decode}, but the input is kept as the cached encoding, so writing the document
     * back unchanged costs no encoding.
     *
     * @throws DittoException {@code PROTOCOL} for malformed input
     */
    public static CrdtDocument decodeTrusted(byte[] bytes) {
        return DocumentCodec.decode(bytes);
    }

    /** Returns whether {@code o} is a document with the same CRDT state. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CrdtDocument d && Arrays.equals(encode(), d.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    /** Returns the id, the version vector and the visible value, for logs and test failures. */
    @Override
    public String toString() {
        Materialized m = materialize();
        return "CrdtDocument{" + id + ", " + context + (m.deleted ? ", deleted" : ", " + m.value) + "}";
    }

    private Materialized materialize() {
        Materialized m = materialized;
        if (m == null) {
            Shown root = MapPart.computeShown(Dots.EMPTY, fields);
            boolean isDeleted = !deleted.isEmpty() && alive.isEmpty() && root == null;
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("_id", id);
            if (root != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> rv = (Map<String, Object>) root.value();
                v.putAll(rv);
            }
            m = new Materialized(Collections.unmodifiableMap(v), isDeleted);
            materialized = m;
        }
        return m;
    }

    // ---------------------------------------------------------------- internals

    /** The dot and options of the operation being applied. */
    private static final class Op {
        enum Kind { SET, INCREMENT, RESTART }

        final long hlc;
        final long site;
        final boolean strict;
        Kind kind = Kind.SET;
        Object value;
        double number;

        Op(long hlc, long site, boolean strict) {
            this.hlc = hlc;
            this.site = site;
            this.strict = strict;
        }
    }

    private Op begin(OpContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        Timestamp ts = ctx.timestamp();
        if (ts.hlc() < context.get(ts.site())) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "document " + id + ": operation timestamp " + ts
                    + " is older than this site's last operation on the document (the clock must not go back)");
        }
        return new Op(ts.hlc(), ts.site(), ctx.strictMode());
    }

    private VersionVector advance(OpContext ctx) {
        // (0 -> 0) marks "a real operation was seen": INITIAL data (Timestamp.ZERO) is covered from now on
        return context.with(ctx.timestamp()).with(0, 0);
    }

    /** The document after a local write: the context records the write, and any delete it has seen is superseded. */
    private CrdtDocument next(OpContext ctx, Dots newAlive, TreeMap<String, Field> f) {
        return new CrdtDocument(id, advance(ctx), newAlive, Dots.EMPTY, Collections.unmodifiableSortedMap(f), null);
    }

    private static void checkPath(Path path, String what) {
        Objects.requireNonNull(path, "path");
        if (path.key(0).equals("_id")) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + " " + path + ": _id is immutable");
        }
        if (path.size() > MAX_DEPTH) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    what + " " + path + ": path nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private static double toDouble(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof BigInteger bi) {
            return bi.doubleValue();
        }
        if (v instanceof BigDecimal bd) {
            return bd.doubleValue();
        }
        throw new IllegalArgumentException("not a number: " + v);
    }

    private static String describe(Shown s) {
        if (s.kind() == Shown.Kind.COUNTER) {
            return "a counter";
        }
        if (s.kind() == Shown.Kind.MAP) {
            return "an object (MAP)";
        }
        Object v = s.value();
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object (REGISTER)";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof byte[]) {
            return "binary";
        }
        return "a number";
    }

    /** Applies the operation at {@code path[i..]} inside {@code children}; returns the new children. */
    private TreeMap<String, Field> writeAt(SortedMap<String, Field> children, Path path, int i, TypeHints hints, Op op) {
        String key = path.key(i);
        Field old = children.getOrDefault(key, Field.EMPTY);
        Field nf;
        if (i == path.size() - 1) {
            nf = leaf(old, path, hints.typeOf(key), hints.child(key), op);
        } else {
            nf = descend(old, path, i, hints, op);
        }
        TreeMap<String, Field> copy = new TreeMap<>(children);
        copy.put(key, nf);
        return copy;
    }

    private Field descend(Field old, Path path, int i, TypeHints hints, Op op) {
        String key = path.key(i);
        String where = path.prefix(i + 1);
        boolean nextIsIndex = !path.isKey(i + 1);
        Shown s = old.show();
        if (s == null) {
            if (nextIsIndex) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + where + " is missing, so it has no index");
            }
            CrdtType t = hints.typeOf(key);
            if (t == CrdtType.COUNTER || t == CrdtType.PN_COUNTER) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + where + " is declared " + t + ", not an object");
            }
            boolean asMap = op.kind != Op.Kind.SET ? t != CrdtType.REGISTER && t != CrdtType.ATTACHMENT
                    : t == CrdtType.MAP || t == null && !op.strict;
            if (!asMap) {
                if (op.kind != Op.Kind.SET) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + where + " is declared " + t
                            + "; counters can only live in MAP fields");
                }
                return Field.of(Dots.of(op.hlc, op.site, buildValue(path, i + 1, op.value)), old.map, old.counter);
            }
            SortedMap<String, Field> kids = old.map == null ? Collections.emptySortedMap() : old.map.children;
            TreeMap<String, Field> nk = writeAt(kids, path, i + 1, hints.child(key), op);
            return Field.of(old.reg, MapPart.of(Dots.of(op.hlc, op.site, null), nk), old.counter);
        }
        switch (s.kind()) {
            case MAP: {
                if (nextIsIndex) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + where + " is an object, not an array");
                }
                TreeMap<String, Field> nk = writeAt(old.map.children, path, i + 1, hints.child(key), op);
                return Field.of(old.reg, MapPart.of(old.map.presence, nk), old.counter);
            }
            case REGISTER: {
                if (op.kind != Op.Kind.SET) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + where
                            + " is a REGISTER value; counters can only live in MAP fields");
                }
                if (!(s.value() instanceof Map) && !(s.value() instanceof List)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + where + " is " + describe(s)
                            + ", not an object or array");
                }
                Object nv = setInValue(s.value(), path, i + 1, op.value);
                Field base = old.cleared();
                return Field.of(Dots.of(op.hlc, op.site, nv), base.map, base.counter);
            }
            default:
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + where + " is a counter, not an object");
        }
    }

    private Field leaf(Field old, Path path, CrdtType declared, TypeHints nested, Op op) {
        String where = path.toString();
        switch (op.kind) {
            case SET:
                return write(old.cleared(), op.value, declared, nested, op, where);
            case RESTART: {
                Shown s = old.show();
                checkNumeric(s, path, "restart");
                Field base = old.cleared();
                return Field.of(Dots.EMPTY, base.map, CounterPart.restart(base.counter, op.hlc, op.site, op.number));
            }
            default: {
                Shown s = old.show();
                checkNumeric(s, path, "increment");
                Field base = old;
                if (s != null && s.kind() == Shown.Kind.REGISTER) {
                    Field cleared = old.cleared();
                    base = Field.of(Dots.EMPTY, cleared.map,
                            CounterPart.restart(cleared.counter, op.hlc, op.site, toDouble(s.value())));
                }
                CounterPart after = CounterPart.increment(base.counter, op.site, op.hlc, op.number);
                int k = after.incs.find(op.site);
                if (!Double.isFinite(after.incs.total[k])) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "increment " + path + ": the total is no longer a finite number");
                }
                return Field.of(base.reg, base.map, after);
            }
        }
    }

    private static void checkNumeric(Shown s, Path path, String what) {
        if (s == null || s.kind() == Shown.Kind.COUNTER) {
            return;
        }
        if (s.kind() == Shown.Kind.REGISTER && s.value() instanceof Number) {
            return;
        }
        throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + " " + path + ": it holds " + describe(s) + ", not a number");
    }

    /** Writes a normalized value into a cleared field according to its declared (or default) type. */
    private static Field write(Field base, Object v, CrdtType declared, TypeHints nested, Op op, String where) {
        CrdtType t = declared;
        if (t == null) {
            t = v instanceof Map && !op.strict && !JsonValues.isAttachmentToken(v) ? CrdtType.MAP : CrdtType.REGISTER;
        }
        switch (t) {
            case COUNTER:
            case PN_COUNTER:
                if (!(v instanceof Number)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + where + ": declared " + t + ", so the value must be a number");
                }
                return Field.of(Dots.EMPTY, base.map, CounterPart.restart(base.counter, op.hlc, op.site, toDouble(v)));
            case MAP: {
                if (!(v instanceof Map<?, ?> obj)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + where + ": declared MAP, so the value must be an object");
                }
                TreeMap<String, Field> kids = base.map == null ? new TreeMap<>() : new TreeMap<>(base.map.children);
                for (Map.Entry<?, ?> e : obj.entrySet()) {
                    String k = (String) e.getKey();
                    Field old = kids.getOrDefault(k, Field.EMPTY);
                    kids.put(k, write(old, e.getValue(), nested.typeOf(k), nested.child(k), op, where + "." + k));
                }
                return Field.of(Dots.EMPTY, MapPart.of(Dots.of(op.hlc, op.site, null), kids), base.counter);
            }
            case ATTACHMENT:
                if (v != null && !JsonValues.isAttachmentToken(v)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + where + ": declared ATTACHMENT, so the value must be an attachment token");
                }
                return Field.of(Dots.of(op.hlc, op.site, v), base.map, base.counter);
            default:
                return Field.of(Dots.of(op.hlc, op.site, v), base.map, base.counter);
        }
    }

    /** Builds {@code {path[from]: {...: value}}} for a missing register parent; indexes are an error. */
    private static Object buildValue(Path path, int from, Object value) {
        Object v = value;
        for (int j = path.size() - 1; j >= from; j--) {
            if (!path.isKey(j)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + path.prefix(j) + " is missing, so it has no index");
            }
            Map<String, Object> m = new LinkedHashMap<>(2);
            m.put(path.key(j), v);
            v = Collections.unmodifiableMap(m);
        }
        return v;
    }

    /** Returns a copy of a REGISTER value with {@code value} written at {@code path[i..]}. */
    private static Object setInValue(Object container, Path path, int i, Object value) {
        boolean last = i == path.size() - 1;
        if (container instanceof Map<?, ?> map) {
            if (!path.isKey(i)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + path.prefix(i) + " is an object, not an array");
            }
            String key = path.key(i);
            Object nv;
            if (last) {
                nv = value;
            } else if (map.containsKey(key)) {
                nv = setInValue(map.get(key), path, i + 1, value);
            } else {
                nv = buildValue(path, i + 1, value);
            }
            TreeMap<String, Object> copy = new TreeMap<>();
            map.forEach((k, v) -> copy.put((String) k, v));
            copy.put(key, nv);
            return Collections.unmodifiableMap(new LinkedHashMap<>(copy));
        }
        if (container instanceof List<?> list) {
            if (path.isKey(i)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + path.prefix(i) + " is an array, not an object");
            }
            int idx = path.indexAt(i);
            if (idx >= list.size()) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": index " + idx
                        + " is out of range (" + path.prefix(i) + " has " + list.size() + " elements)");
            }
            List<Object> copy = new ArrayList<>(list);
            copy.set(idx, last ? value : setInValue(list.get(idx), path, i + 1, value));
            return Collections.unmodifiableList(copy);
        }
        throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write " + path + ": " + path.prefix(i) + " is not an object or array");
    }

    /** Removes {@code path[i..]} inside {@code children}; returns null when nothing was there. */
    private TreeMap<String, Field> unsetIn(SortedMap<String, Field> children, Path path, int i, Op op) {
        String key = path.key(i);
        Field old = children.get(key);
        if (old == null) {
            return null;
        }
        Field nf;
        if (i == path.size() - 1) {
            nf = old.cleared();
            if (nf == old) {
                return null;
            }
        } else {
            Shown s = old.show();
            if (s == null) {
                return null;
            }
            if (s.kind() == Shown.Kind.MAP) {
                if (!path.isKey(i + 1)) {
                    return null;
                }
                TreeMap<String, Field> nk = unsetIn(old.map.children, path, i + 1, op);
                if (nk == null) {
                    return null;
                }
                nf = Field.of(old.reg, MapPart.of(old.map.presence, nk), old.counter);
            } else if (s.kind() == Shown.Kind.REGISTER) {
                Object nv = unsetInValue(s.value(), path, i + 1);
                if (nv == null) {
                    return null;
                }
                Field base = old.cleared();
                nf = Field.of(Dots.of(op.hlc, op.site, nv), base.map, base.counter);
            } else {
                return null;
            }
        }
        TreeMap<String, Field> copy = new TreeMap<>(children);
        if (nf.isEmpty()) {
            copy.remove(key);
        } else {
            copy.put(key, nf);
        }
        return copy;
    }

    /** Returns a copy of a REGISTER value without {@code path[i..]}, or null when nothing is there. */
    private static Object unsetInValue(Object container, Path path, int i) {
        boolean last = i == path.size() - 1;
        if (container instanceof Map<?, ?> map && path.isKey(i)) {
            String key = path.key(i);
            if (!map.containsKey(key)) {
                return null;
            }
            Object nv = null;
            if (!last) {
                nv = unsetInValue(map.get(key), path, i + 1);
                if (nv == null) {
                    return null;
                }
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!e.getKey().equals(key)) {
                    copy.put((String) e.getKey(), e.getValue());
                } else if (!last) {
                    copy.put(key, nv);
                }
            }
            return Collections.unmodifiableMap(copy);
        }
        if (container instanceof List<?> list && !path.isKey(i)) {
            int idx = path.indexAt(i);
            if (idx >= list.size()) {
                return null;
            }
            List<Object> copy = new ArrayList<>(list);
            if (last) {
                copy.remove(idx);
            } else {
                Object nv = unsetInValue(list.get(idx), path, i + 1);
                if (nv == null) {
                    return null;
                }
                copy.set(idx, nv);
            }
            return Collections.unmodifiableList(copy);
        }
        return null;
    }
}
