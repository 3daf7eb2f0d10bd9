package ditto.engine.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Dql;
import ditto.engine.dql.DqlExplain;
import ditto.engine.dql.DqlValues;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Expr;
import ditto.engine.dql.Expr.Binary;
import ditto.engine.dql.Expr.BinaryOp;
import ditto.engine.dql.Statement.OrderItem;

/**
 * Chooses how a statement reads its candidate documents: a full scan of the collection, key
 * ranges of the primary key ({@code _id}) or of one secondary index, or a union of such ranges.
 *
 * <p>Rules: a conjunct of WHERE is answerable by an index on path {@code p} when it is
 * {@code p = c}, {@code p < c} (and the other comparisons, either way round), {@code p BETWEEN
 * c1 AND c2}, {@code p IN c}, a bare boolean {@code p} (meaning {@code p = true}), or an OR of
 * answerable conditions, where {@code c} is a constant (literals, parameters, arrays and objects
 * of them). Conditions on the same index are intersected (AND) or united (OR); among the
 * candidates the planner prefers empty sets, then few exact values (primary key first), then
 * ranges, then unions. A comparison only matches values of the constant's type (DQL yields NULL
 * across types), so ranges stay inside that type's key range. The index only narrows: the
 * statement still applies the whole WHERE to each candidate.
 *
 * <p>Order: with {@code ORDER BY p [DESC]} alone, and an index on {@code p} (or {@code p} is
 * {@code _id}), the chosen ranges are read in index order; with a LIMIT, no aggregate and no
 * DISTINCT, the store then stops after OFFSET + LIMIT matching documents. Stateless.
 */
final class Planner {

    private Planner() {
    }

    /** Where candidates come from. */
    sealed interface Access {
    }

    /** Every document of the collection, in {@code _id} order. */
    record Scan() implements Access {
    }

    /**
     * Ranges of one index.
     *
     * @param index the secondary index, or null for the primary key ({@code _id})
     * @param ranges the encoded-value ranges to read
     * @param condition the part of WHERE the ranges answer (for EXPLAIN), or null
     */
    record Ranges(IndexDef index, KeyRanges ranges, Expr condition) implements Access {
    }

    /**
     * The union of several index reads (an OR over different indexes); a document may come from
     * several parts and is read once.
     */
    record Union(List<Ranges> parts, Expr condition) implements Access {
    }

    /**
     * The plan of one read.
     *
     * @param access where candidates come from
     * @param ordered whether candidates arrive in the ORDER BY order
     * @param reverse whether ranges are read from the highest key down
     * @param stopAfter how many WHERE-matching candidates suffice, or -1 for all
     */
    record Plan(Access access, boolean ordered, boolean reverse, long stopAfter) {

        /** Returns the EXPLAIN form of the access path. */
        DqlExplain.AccessPath explain() {
            if (access instanceof Ranges r) {
                return DqlExplain.AccessPath.index(r.index() == null ? "_id" : r.index().name(),
                        r.index() == null ? List.of("_id") : r.index().path(), r.condition());
            }
            if (access instanceof Union u) {
                List<String> names = new ArrayList<>();
                for (Ranges r : u.parts()) {
                    String name = r.index() == null ? "_id" : r.index().name();
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                }
                return new DqlExplain.AccessPath("index scan", String.join(", ", names), null, u.condition());
            }
            return DqlExplain.AccessPath.scan();
        }
    }

    /** A candidate answer to a condition: one index's ranges, or a union of them. */
    private record Choice(List<Ranges> parts, Expr condition) {
        boolean single() {
            return parts.size() == 1;
        }

        long score() {
            if (single()) {
                return score(parts.get(0));
            }
            long s = 50;
            for (Ranges r : parts) {
                s += score(r);
            }
            return s;
        }

        private static long score(Ranges r) {
            if (r.ranges().isEmpty()) {
                return 0;
            }
            long n = r.ranges().ranges().size();
            boolean primary = r.index() == null;
            if (r.ranges().allPoints()) {
                return (primary ? 5 : 10) + n;
            }
            return (primary ? 900 : 1000) + n;
        }
    }

    /**
     * Plans a read.
     *
     * @param where the condition, or null
     * @param orderBy the ORDER BY items, possibly empty
     * @param limit the LIMIT expression, or null
     * @param offset the OFFSET expression, or null
     * @param mayStopEarly false when the statement aggregates or uses DISTINCT (every matching
     *        document is then needed)
     * @param indexes the indexes of the collection
     * @param ctx the statement's arguments
     */
    static Plan plan(Expr where, List<OrderItem> orderBy, Expr limit, Expr offset, boolean mayStopEarly,
            List<IndexDef> indexes, EvalContext ctx) {
        return plan(where, orderBy, limit, offset, mayStopEarly, indexes, ctx, false);
    }

    /**
     * Plans a read; with {@code generic} set (EXPLAIN), a parameter without an argument does not
     * fail: the plan is the one any argument of the right shape would get.
     */
    static Plan plan(Expr where, List<OrderItem> orderBy, Expr limit, Expr offset, boolean mayStopEarly,
            List<IndexDef> indexes, EvalContext ctx, boolean generic) {
        Choice choice = where == null ? null : choose(where, indexes, new Values(ctx, generic));
        if (choice != null && choice.single() && choice.parts().get(0).ranges().isAll()) {
            choice = null;
        }
        Access access = choice == null ? new Scan()
                : choice.single() ? choice.parts().get(0) : new Union(choice.parts(), choice.condition());

        if (orderBy.size() != 1) {
            return new Plan(access, false, false, -1);
        }
        OrderItem order = orderBy.get(0);
        Optional<List<Object>> orderPath = Dql.fieldPath(order.expr());
        if (orderPath.isEmpty()) {
            return new Plan(access, false, false, -1);
        }
        Optional<IndexDef> source = source(orderPath.get(), indexes);
        if (source == null) {
            return new Plan(access, false, false, -1);
        }
        IndexDef orderIndex = source.orElse(null);
        long stop = mayStopEarly ? window(limit, offset, ctx, generic) : -1;
        boolean reverse = order.descending();
        if (access instanceof Ranges r && sameSource(r.index(), orderIndex)) {
            return new Plan(access, true, reverse, stop);
        }
        if (access instanceof Scan) {
            return new Plan(new Ranges(orderIndex, KeyRanges.ALL, null), true, reverse, stop);
        }
        if (stop >= 0 && !(access instanceof Ranges r && r.ranges().allPoints())) {
            // a range or union read on another index would be sorted in full; reading the order
            // index and stopping after OFFSET + LIMIT matches is cheaper for small limits
            return new Plan(new Ranges(orderIndex, KeyRanges.ALL, null), true, reverse, stop);
        }
        return new Plan(access, false, false, -1);
    }

    private static boolean sameSource(IndexDef a, IndexDef b) {
        return a == null ? b == null : b != null && a.name().equals(b.name());
    }

    /** Returns OFFSET + LIMIT when both are constant non-negative integers (LIMIT present), else -1. */
    private static long window(Expr limit, Expr offset, EvalContext ctx, boolean generic) {
        if (limit == null) {
            return -1;
        }
        long l = count(limit, ctx);
        long o = offset == null ? 0 : count(offset, ctx);
        if (generic && l < 0) {
            l = 1;
        }
        if (generic && o < 0) {
            o = 0;
        }
        if (l < 0 || o < 0) {
            return -1;
        }
        long s = l + o;
        return s < 0 ? -1 : s;
    }

    private static long count(Expr e, EvalContext ctx) {
        if (!isConstant(e)) {
            return -1;
        }
        Object v;
        try {
            v = Dql.evaluate(e, null, ctx);
        } catch (RuntimeException ex) {
            return -1;
        }
        if (v instanceof Long n) {
            return n < 0 ? -1 : n;
        }
        if (v instanceof Double d && d >= 0 && d == Math.rint(d) && d < 0x1p62) {
            return (long) (double) d;
        }
        return -1;
    }

    /**
     * Returns the source answering conditions on {@code path}: empty for the primary key, the
     * index otherwise, or null when nothing indexes the path.
     */
    private static Optional<IndexDef> source(List<Object> path, List<IndexDef> indexes) {
        if (path.size() == 1 && "_id".equals(path.get(0))) {
            return Optional.empty();
        }
        for (IndexDef d : indexes) {
            if (d.path().equals(path)) {
                return Optional.of(d);
            }
        }
        return null;
    }

    private static Choice choose(Expr e, List<IndexDef> indexes, Values ctx) {
        if (e instanceof Binary b && b.op() == BinaryOp.AND) {
            return chooseAnd(Dql.conjuncts(e), indexes, ctx);
        }
        if (e instanceof Binary b && b.op() == BinaryOp.OR) {
            List<Expr> disjuncts = new ArrayList<>();
            disjuncts(e, disjuncts);
            List<Ranges> parts = new ArrayList<>();
            for (Expr d : disjuncts) {
                Choice c = choose(d, indexes, ctx);
                if (c == null) {
                    return null;
                }
                parts.addAll(c.parts());
            }
            boolean sameSource = true;
            for (Ranges r : parts) {
                sameSource &= sameSource(r.index(), parts.get(0).index());
            }
            if (sameSource) {
                KeyRanges all = KeyRanges.NONE;
                for (Ranges r : parts) {
                    all = all.union(r.ranges());
                }
                return new Choice(List.of(new Ranges(parts.get(0).index(), all, e)), e);
            }
            List<Ranges> nonEmpty = new ArrayList<>();
            for (Ranges r : parts) {
                if (!r.ranges().isEmpty()) {
                    nonEmpty.add(r);
                }
            }
            if (nonEmpty.size() == 1) {
                return new Choice(List.of(new Ranges(nonEmpty.get(0).index(), nonEmpty.get(0).ranges(), e)), e);
            }
            return nonEmpty.isEmpty() ? new Choice(List.of(new Ranges(null, KeyRanges.NONE, e)), e)
                    : new Choice(nonEmpty, e);
        }
        return simple(e, indexes, ctx);
    }

    private static void disjuncts(Expr e, List<Expr> out) {
        if (e instanceof Binary b && b.op() == BinaryOp.OR) {
            disjuncts(b.left(), out);
            disjuncts(b.right(), out);
        } else {
            out.add(e);
        }
    }

    private static Choice chooseAnd(List<Expr> conjuncts, List<IndexDef> indexes, Values ctx) {
        Map<String, Ranges> bySource = new LinkedHashMap<>();
        List<Choice> candidates = new ArrayList<>();
        for (Expr c : conjuncts) {
            Choice choice = choose(c, indexes, ctx);
            if (choice == null) {
                continue;
            }
            if (!choice.single()) {
                candidates.add(choice);
                continue;
            }
            Ranges r = choice.parts().get(0);
            String key = r.index() == null ? "" : "#" + r.index().name();
            Ranges before = bySource.get(key);
            if (before == null) {
                bySource.put(key, r);
            } else {
                Expr both = new Binary(BinaryOp.AND, before.condition(), r.condition());
                bySource.put(key, new Ranges(r.index(), before.ranges().intersect(r.ranges()), both));
            }
        }
        for (Ranges r : bySource.values()) {
            candidates.add(new Choice(List.of(r), r.condition()));
        }
        Choice best = null;
        for (Choice c : candidates) {
            if (best == null || c.score() < best.score()) {
                best = c;
            }
        }
        return best;
    }

    /** Answers one comparison-like condition from an index, or returns null. */
    private static Choice simple(Expr e, List<IndexDef> indexes, Values ctx) {
        List<Object> path = null;
        KeyRanges ranges = null;
        if (e instanceof Binary b && isComparison(b.op())) {
            Optional<List<Object>> left = Dql.fieldPath(b.left());
            Optional<List<Object>> right = Dql.fieldPath(b.right());
            if (left.isPresent() && isConstant(b.right())) {
                path = left.get();
                ranges = compare(b.op(), value(b.right(), ctx));
            } else if (right.isPresent() && isConstant(b.left())) {
                path = right.get();
                ranges = compare(flip(b.op()), value(b.left(), ctx));
            }
        } else if (e instanceof Expr.Between bt && !bt.negated() && isConstant(bt.low()) && isConstant(bt.high())) {
            Optional<List<Object>> p = Dql.fieldPath(bt.value());
            if (p.isPresent()) {
                path = p.get();
                ranges = between(value(bt.low(), ctx), value(bt.high(), ctx));
            }
        } else if (e instanceof Expr.In in && !in.negated() && isConstant(in.collection())) {
            Optional<List<Object>> p = Dql.fieldPath(in.value());
            if (p.isPresent()) {
                path = p.get();
                ranges = in(value(in.collection(), ctx));
            }
        } else {
            Optional<List<Object>> p = Dql.fieldPath(e);
            if (p.isPresent()) {
                path = p.get();
                ranges = KeyRanges.point(KeyCodec.encode(Boolean.TRUE));
            }
        }
        if (path == null) {
            return null;
        }
        Optional<IndexDef> source = source(path, indexes);
        if (source == null) {
            return null;
        }
        return new Choice(List.of(new Ranges(source.orElse(null), ranges, e)), e);
    }

    private static boolean isComparison(BinaryOp op) {
        return op == BinaryOp.EQ || op == BinaryOp.LT || op == BinaryOp.LE || op == BinaryOp.GT || op == BinaryOp.GE;
    }

    private static BinaryOp flip(BinaryOp op) {
        return switch (op) {
            case LT -> BinaryOp.GT;
            case LE -> BinaryOp.GE;
            case GT -> BinaryOp.LT;
            case GE -> BinaryOp.LE;
            default -> op;
        };
    }

    private static KeyRanges compare(BinaryOp op, Object v) {
        if (v == GENERIC) {
            return op == BinaryOp.EQ ? GENERIC_POINT : GENERIC_RANGE;
        }
        if (DqlValues.isUnknown(v)) {
            return KeyRanges.NONE;
        }
        byte[] enc = KeyCodec.encode(v);
        byte[] start = {(byte) KeyCodec.rankStart(v)};
        byte[] end = {(byte) KeyCodec.rankEnd(v)};
        return switch (op) {
            case EQ -> KeyRanges.point(enc);
            case LT -> KeyRanges.of(start, enc);
            case LE -> KeyRanges.of(start, Keys.end(enc));
            case GT -> KeyRanges.of(Keys.end(enc), end);
            default -> KeyRanges.of(enc, end);
        };
    }

    private static KeyRanges between(Object low, Object high) {
        if (low == GENERIC || high == GENERIC) {
            return GENERIC_RANGE;
        }
        if (DqlValues.isUnknown(low) || DqlValues.isUnknown(high)
                || KeyCodec.rankStart(low) != KeyCodec.rankStart(high)) {
            return KeyRanges.NONE;
        }
        return KeyRanges.of(KeyCodec.encode(low), Keys.end(KeyCodec.encode(high)));
    }

    private static KeyRanges in(Object collection) {
        if (collection == GENERIC) {
            return GENERIC_POINT;
        }
        if (!(collection instanceof List<?> list)) {
            return KeyRanges.NONE;
        }
        KeyRanges out = KeyRanges.NONE;
        for (Object item : list) {
            if (!DqlValues.isUnknown(item)) {
                out = out.union(KeyRanges.point(KeyCodec.encode(item)));
            }
        }
        return out;
    }

    private static Object value(Expr e, Values values) {
        try {
            return Dql.evaluate(e, null, values.ctx());
        } catch (DittoException ex) {
            if (values.generic() && ex.code() == ErrorCode.INVALID_ARGUMENTS) {
                return GENERIC;
            }
            throw ex;
        }
    }

    /** The statement's arguments, and whether a missing one stands for "any value" (EXPLAIN). */
    private record Values(EvalContext ctx, boolean generic) {
    }

    /** The value of a parameter without argument in a generic plan. */
    private static final Object GENERIC = new Object();
    /** The ranges a generic plan uses for one unknown value. */
    private static final KeyRanges GENERIC_POINT = KeyRanges.point(KeyCodec.encode(null));
    /** The ranges a generic plan uses for an unknown range. */
    private static final KeyRanges GENERIC_RANGE = KeyRanges.of(new byte[] {KeyCodec.FALSE}, new byte[] {KeyCodec.NULL});

    /** Returns whether an expression reads nothing from the document (its value is known before reading). */
    static boolean isConstant(Expr e) {
        if (e instanceof Expr.Literal || e instanceof Expr.Param) {
            return true;
        }
        if (e instanceof Expr.Unary u) {
            return u.op() != Expr.UnaryOp.NOT && isConstant(u.operand());
        }
        if (e instanceof Expr.ArrayExpr a) {
            for (Expr x : a.elements()) {
                if (!isConstant(x)) {
                    return false;
                }
            }
            return true;
        }
        if (e instanceof Expr.ObjectExpr o) {
            for (Expr.ObjectExpr.Entry x : o.entries()) {
                if (!isConstant(x.value())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
