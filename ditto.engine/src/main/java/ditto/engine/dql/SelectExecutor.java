package ditto.engine.dql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Compiled.Row;
import ditto.engine.dql.Expr.Call;
import ditto.engine.dql.Expr.Field;
import ditto.engine.dql.Statement.OrderItem;
import ditto.engine.dql.Statement.Select;
import ditto.engine.dql.Statement.SelectItem;

/**
 * A compiled SELECT that turns the documents a store hands it into result rows. The store
 * chooses the access path (full scan or index) and passes the candidate documents; this class
 * applies everything else, in SQL order:
 *
 * <pre>
 *  documents ─▶ WHERE ─▶ GROUP BY / aggregates ─▶ HAVING ─▶ project ─▶ ORDER BY ─▶ DISTINCT ─▶ OFFSET ─▶ LIMIT ─▶ rows
 * </pre>
 *
 * <p>Without ORDER BY and aggregates the pipeline streams: documents are read only as rows are
 * pulled, and reading stops once LIMIT rows were produced. ORDER BY with LIMIT (and without
 * DISTINCT) keeps only OFFSET + LIMIT candidates in a bounded heap. Equal sort keys keep the
 * input order. {@code SELECT *} rows are the input document maps themselves; projected rows are
 * new unmodifiable maps in projection order, without MISSING-valued items. Rows are maps whose
 * values are JSON-model values.
 *
 * <p>Immutable and thread-safe: compile once (per cached statement), execute from any number
 * of threads; each {@link #execute} call's iterator belongs to its caller's thread.
 */
public final class SelectExecutor {

    private final Select select;
    private final boolean aggregate;
    private final List<String> names;
    private final Compiled where;
    private final List<Compiled> projection;
    private final List<Compiled> groupBy;
    private final Compiled having;
    private final List<Compiled> orderKeys;
    private final boolean[] descending;
    private final boolean orderNeedsOutput;
    private final List<Call> aggregates;
    private final List<Compiled> aggregateArgs;

    private SelectExecutor(Select select) {
        this.select = select;
        this.aggregate = SelectAnalysis.isAggregateQuery(select);
        this.names = SelectAnalysis.outputNames(select);
        this.aggregates = new ArrayList<>();
        Map<Call, Integer> slots = new LinkedHashMap<>();
        if (aggregate) {
            for (SelectItem item : select.projection()) {
                collectAggregates(item.expr(), slots);
            }
            if (select.having() != null) {
                collectAggregates(select.having(), slots);
            }
            for (OrderItem o : select.orderBy()) {
                collectAggregates(o.expr(), slots);
            }
        }
        aggregates.addAll(slots.keySet());
        ExprCompiler compiler = aggregate ? new ExprCompiler(slots) : ExprCompiler.PLAIN;
        this.where = select.where() == null ? null : ExprCompiler.PLAIN.compile(select.where());
        this.groupBy = ExprCompiler.PLAIN.compileAll(select.groupBy());
        this.aggregateArgs = new ArrayList<>();
        for (Call c : aggregates) {
            aggregateArgs.add(c.star() ? row -> Boolean.TRUE : ExprCompiler.PLAIN.compile(c.args().get(0)));
        }
        this.having = select.having() == null ? null : compiler.compile(select.having());
        List<Compiled> proj = new ArrayList<>();
        for (SelectItem item : select.projection()) {
            proj.add(compiler.compile(item.expr()));
        }
        this.projection = proj;
        Set<String> outputs = new HashSet<>(names);
        List<Compiled> keys = new ArrayList<>();
        this.descending = new boolean[select.orderBy().size()];
        boolean needsOutput = false;
        for (int i = 0; i < select.orderBy().size(); i++) {
            OrderItem o = select.orderBy().get(i);
            descending[i] = o.descending();
            if (o.expr() instanceof Field f && outputs.contains(f.name())) {
                String name = f.name();
                keys.add(row -> ExprCompiler.get(row.output, name));
                needsOutput = true;
            } else {
                keys.add(compiler.compile(o.expr()));
            }
        }
        this.orderKeys = keys;
        this.orderNeedsOutput = needsOutput;
    }

    private static void collectAggregates(Expr e, Map<Call, Integer> slots) {
        if (e instanceof Call c && c.isAggregate()) {
            slots.putIfAbsent(c, slots.size());
            return;
        }
        for (Expr child : SelectAnalysis.children(e)) {
            collectAggregates(child, slots);
        }
    }

    /**
     * Compiles a SELECT.
     *
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} if the statement breaks a rule
     *         the parser enforces (for trees built in code), or a literal argument is malformed
     */
    public static SelectExecutor of(Select select) {
        Objects.requireNonNull(select, "select");
        SelectAnalysis.validate(select, e -> null);
        return new SelectExecutor(select);
    }

    /** Returns the statement. */
    public Select select() {
        return select;
    }

    /** Returns the output name of each projection item ({@code ($n)} for unnamed ones); empty for {@code *}. */
    public List<String> outputNames() {
        return Collections.unmodifiableList(names);
    }

    /** Returns whether the statement groups (GROUP BY, HAVING or an aggregate). */
    public boolean isAggregate() {
        return aggregate;
    }

    /**
     * Runs the pipeline over candidate documents.
     *
     * @param documents candidate documents (each with {@code _id}), already narrowed by the
     *        store's access path; read lazily and at most once; never null
     * @param ctx arguments and clock; must hold every parameter of the statement
     * @return the result rows; lazy where the statement allows (see the class comment)
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for a missing argument or a
     *         LIMIT/OFFSET argument that is not a non-negative integer;
     *         {@link ErrorCode#QUERY_EXECUTION} for a malformed computed regular expression,
     *         date unit or format (thrown from the iterator as it reaches the document)
     */
    public Iterator<Map<String, Object>> execute(Iterator<? extends Map<String, Object>> documents, EvalContext ctx) {
        Objects.requireNonNull(documents, "documents");
        ctx.requireParameters(select);
        long limit = count(select.limit(), "LIMIT", ctx);
        long offset = count(select.offset(), "OFFSET", ctx);
        if (aggregate) {
            return finish(groups(documents, ctx), ctx, offset, limit);
        }
        if (select.orderBy().isEmpty()) {
            return new Streaming(documents, ctx, offset, limit);
        }
        return finish(filtered(documents, ctx), ctx, offset, limit);
    }

    /** Runs the pipeline and collects the rows into a list. */
    public List<Map<String, Object>> executeAll(Iterable<? extends Map<String, Object>> documents, EvalContext ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        execute(documents.iterator(), ctx).forEachRemaining(out::add);
        return out;
    }

    /** Evaluates LIMIT or OFFSET; absent means no limit (LIMIT) or 0 (OFFSET). */
    private static long count(Expr e, String clause, EvalContext ctx) {
        if (e == null) {
            return clause.equals("LIMIT") ? Long.MAX_VALUE : 0;
        }
        Object v = Dql.evaluate(e, null, ctx);
        Long n = v instanceof Number num ? ExprCompiler.integralValue(num) : null;
        if (n == null || n < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, clause + " must be a non-negative integer, got "
                    + (v instanceof Number || v instanceof String ? Lexer.abbreviate(String.valueOf(v)) : DqlValues.typeName(v)));
        }
        return n;
    }

    private boolean passes(Row row) {
        return where == null || Boolean.TRUE.equals(where.eval(row));
    }

    private Map<String, Object> project(Row row) {
        if (select.isStar()) {
            return row.doc;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < projection.size(); i++) {
            Object v = projection.get(i).eval(row);
            if (v != Missing.INSTANCE) {
                out.put(names.get(i), v);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** A row waiting to be sorted: its sort keys, arrival number and output (or pending document). */
    private static final class Candidate {
        final Object[] keys;
        final long seq;
        final Map<String, Object> doc;
        final Object[] aggregateValues;
        Map<String, Object> output;

        Candidate(Object[] keys, long seq, Map<String, Object> doc, Object[] aggregateValues, Map<String, Object> output) {
            this.keys = keys;
            this.seq = seq;
            this.doc = doc;
            this.aggregateValues = aggregateValues;
            this.output = output;
        }
    }

    /** The documents passing WHERE, as rows (lazily). */
    private Iterator<Row> filtered(Iterator<? extends Map<String, Object>> documents, EvalContext ctx) {
        return new Iterator<>() {
            private Row next;

            @Override
            public boolean hasNext() {
                while (next == null && documents.hasNext()) {
                    Row row = new Row(ctx, documents.next());
                    if (passes(row)) {
                        next = row;
                    }
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }
        };
    }

    /** Consumes every document and returns one row per group that passes HAVING. */
    private Iterator<Row> groups(Iterator<? extends Map<String, Object>> documents, EvalContext ctx) {
        final class Group {
            final Map<String, Object> first;
            final Aggregates.Accumulator[] accs = new Aggregates.Accumulator[aggregates.size()];

            Group(Map<String, Object> first) {
                this.first = first;
                for (int i = 0; i < accs.length; i++) {
                    accs[i] = Aggregates.create(aggregates.get(i));
                }
            }
        }
        Map<Object, Group> groups = new LinkedHashMap<>();
        if (groupBy.isEmpty()) {
            groups.put(List.of(), new Group(Map.of()));
        }
        Row row = new Row(ctx);
        while (documents.hasNext()) {
            row.doc = documents.next();
            if (!passes(row)) {
                continue;
            }
            Object key;
            if (groupBy.isEmpty()) {
                key = List.of();
            } else {
                List<Object> values = new ArrayList<>(groupBy.size());
                for (Compiled g : groupBy) {
                    values.add(g.eval(row));
                }
                key = DqlValues.key(values);
            }
            Map<String, Object> doc = row.doc;
            Group group = groups.computeIfAbsent(key, k -> new Group(doc));
            for (int i = 0; i < group.accs.length; i++) {
                group.accs[i].add(aggregateArgs.get(i).eval(row));
            }
        }
        List<Row> rows = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            Row r = new Row(ctx, g.first);
            r.aggregates = new Object[g.accs.length];
            for (int i = 0; i < g.accs.length; i++) {
                r.aggregates[i] = g.accs[i].result();
            }
            if (having == null || Boolean.TRUE.equals(having.eval(r))) {
                rows.add(r);
            }
        }
        return rows.iterator();
    }

    private Comparator<Candidate> candidateOrder() {
        return (a, b) -> {
            for (int i = 0; i < descending.length; i++) {
                int c = DqlValues.compare(a.keys[i], b.keys[i]);
                if (c != 0) {
                    return descending[i] ? -c : c;
                }
            }
            return Long.compare(a.seq, b.seq);
        };
    }

    /** Orders (if asked), projects, removes duplicates and applies OFFSET and LIMIT. */
    private Iterator<Map<String, Object>> finish(Iterator<Row> rows, EvalContext ctx, long offset, long limit) {
        if (select.orderBy().isEmpty()) {
            List<Map<String, Object>> out = new ArrayList<>();
            while (rows.hasNext()) {
                out.add(project(rows.next()));
            }
            return window(out.iterator(), offset, limit);
        }
        Comparator<Candidate> order = candidateOrder();
        long bound = select.distinct() ? Long.MAX_VALUE : saturatedAdd(offset, limit);
        List<Candidate> sorted;
        long seq = 0;
        if (bound < 1_000_000) {
            PriorityQueue<Candidate> heap = new PriorityQueue<>(order.reversed());
            while (rows.hasNext()) {
                Candidate c = candidate(rows.next(), seq++);
                if (heap.size() < bound) {
                    heap.add(c);
                } else if (bound > 0 && order.compare(c, heap.peek()) < 0) {
                    heap.poll();
                    heap.add(c);
                }
            }
            sorted = new ArrayList<>(heap);
        } else {
            sorted = new ArrayList<>();
            while (rows.hasNext()) {
                sorted.add(candidate(rows.next(), seq++));
            }
        }
        sorted.sort(order);
        Iterator<Candidate> it = sorted.iterator();
        Iterator<Map<String, Object>> projected = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                Candidate c = it.next();
                if (c.output == null) {
                    Row r = new Row(ctx, c.doc);
                    r.aggregates = c.aggregateValues;
                    c.output = project(r);
                }
                return c.output;
            }
        };
        return window(projected, offset, limit);
    }

    private Candidate candidate(Row row, long seq) {
        Map<String, Object> output = null;
        if (orderNeedsOutput) {
            output = project(row);
            row.output = output;
        }
        Object[] keys = new Object[orderKeys.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = orderKeys.get(i).eval(row);
        }
        return new Candidate(keys, seq, row.doc, row.aggregates, output);
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** Applies DISTINCT, OFFSET and LIMIT to projected rows, lazily. */
    private Iterator<Map<String, Object>> window(Iterator<Map<String, Object>> rows, long offset, long limit) {
        Set<Object> seen = select.distinct() ? new HashSet<>() : null;
        return new Iterator<>() {
            private long skipped;
            private long emitted;
            private Map<String, Object> next;

            @Override
            public boolean hasNext() {
                while (next == null && emitted < limit && rows.hasNext()) {
                    Map<String, Object> r = rows.next();
                    if (seen != null && !seen.add(DqlValues.key(r))) {
                        continue;
                    }
                    if (skipped < offset) {
                        skipped++;
                        continue;
                    }
                    next = r;
                }
                return next != null;
            }

            @Override
            public Map<String, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map<String, Object> r = next;
                next = null;
                emitted++;
                return r;
            }
        };
    }

    /** The unordered, non-aggregate case: filter and project as rows are pulled. */
    private final class Streaming implements Iterator<Map<String, Object>> {
        private final Iterator<Map<String, Object>> window;

        Streaming(Iterator<? extends Map<String, Object>> documents, EvalContext ctx, long offset, long limit) {
            Iterator<Row> rows = filtered(documents, ctx);
            Iterator<Map<String, Object>> projected = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Map<String, Object> next() {
                    return project(rows.next());
                }
            };
            this.window = window(projected, offset, limit);
        }

        @Override
        public boolean hasNext() {
            return window.hasNext();
        }

        @Override
        public Map<String, Object> next() {
            return window.next();
        }
    }
}
