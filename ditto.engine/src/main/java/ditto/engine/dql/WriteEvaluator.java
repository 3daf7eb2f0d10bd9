package ditto.engine.dql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Statement.Apply;
import ditto.engine.dql.Statement.ApplyOp;
import ditto.engine.dql.Statement.SetItem;

/**
 * Evaluates the value parts of writes for the store: the documents of an INSERT and the field
 * mutations an UPDATE makes to one document. The store applies the results to its CRDT
 * documents; nothing here touches storage. Immutable and thread-safe.
 */
public final class WriteEvaluator {

    /** One change an UPDATE makes to a document; paths are {@link Dql#fieldPath} segments. */
    public sealed interface FieldMutation {
        /** Returns the path of the changed field (String keys, Integer indexes), never empty. */
        List<Object> path();
    }

    /** {@code SET path = value}: write a JSON-model value. */
    public record SetValue(List<Object> path, Object value) implements FieldMutation {
        /** Copies the path. */
        public SetValue {
            path = List.copyOf(path);
        }
    }

    /** {@code UNSET path}, or a SET whose value is MISSING: remove the field. */
    public record Unset(List<Object> path) implements FieldMutation {
        /** Copies the path. */
        public Unset {
            path = List.copyOf(path);
        }
    }

    /** An APPLY counter operation with its finite numeric amount (0 for a bare RESTART). */
    public record Counter(List<Object> path, ApplyOp op, Number amount) implements FieldMutation {
        /** Copies the path and checks the parts. */
        public Counter {
            path = List.copyOf(path);
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(amount, "amount");
        }
    }

    private final List<Object> kinds = new ArrayList<>();
    private final List<List<Object>> paths = new ArrayList<>();
    private final List<Compiled> values = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();

    private WriteEvaluator(Statement.Update update) {
        for (Apply a : update.applies()) {
            kinds.add(a.op());
            paths.add(pathOf(a.path()));
            values.add(a.amount() == null ? row -> 0L : ExprCompiler.PLAIN.compile(a.amount()));
            labels.add("APPLY " + Dql.print(a.path()) + " " + a.op().name().replace('_', ' '));
        }
        for (SetItem s : update.sets()) {
            kinds.add("SET");
            paths.add(pathOf(s.path()));
            values.add(ExprCompiler.PLAIN.compile(s.value()));
            labels.add("SET " + Dql.print(s.path()));
        }
        for (Expr u : update.unsets()) {
            kinds.add("UNSET");
            paths.add(pathOf(u));
            values.add(null);
            labels.add("UNSET " + Dql.print(u));
        }
    }

    private static List<Object> pathOf(Expr e) {
        List<Object> path = Dql.fieldPath(e).orElseThrow(() -> new DittoException(ErrorCode.QUERY_COMPILATION,
                "UPDATE: " + Lexer.abbreviate(Dql.print(e)) + " is not a field path"));
        if (path.get(0).equals("_id")) {
            throw new DittoException(ErrorCode.QUERY_COMPILATION, "UPDATE: _id is immutable");
        }
        return path;
    }

    /**
     * Compiles the mutations of an UPDATE.
     *
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} if a target is not a field
     *         path or is {@code _id} (possible only for trees built in code)
     */
    public static WriteEvaluator of(Statement.Update update) {
        return new WriteEvaluator(Objects.requireNonNull(update, "update"));
    }

    /**
     * Returns the mutations for one document, in statement order (APPLY, SET, UNSET). Values
     * are computed against {@code document} as it was before this UPDATE; a SET whose value is
     * MISSING becomes an {@link Unset}.
     *
     * @param document the current document, never null
     * @param ctx arguments and clock
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for a missing argument or an
     *         APPLY amount that is not a finite number; {@link ErrorCode#QUERY_EXECUTION} as
     *         {@link Dql#evaluate}
     */
    public List<FieldMutation> mutations(Map<String, Object> document, EvalContext ctx) {
        Objects.requireNonNull(document, "document");
        Compiled.Row row = new Compiled.Row(ctx, document);
        List<FieldMutation> out = new ArrayList<>(kinds.size());
        for (int i = 0; i < kinds.size(); i++) {
            Object kind = kinds.get(i);
            List<Object> path = paths.get(i);
            if (kind.equals("UNSET")) {
                out.add(new Unset(path));
            } else if (kind.equals("SET")) {
                Object v = values.get(i).eval(row);
                out.add(v == Missing.INSTANCE ? new Unset(path) : new SetValue(path, v));
            } else {
                Object v = values.get(i).eval(row);
                if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) && !(v instanceof java.math.BigInteger)
                        && !(v instanceof java.math.BigDecimal)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, labels.get(i)
                            + ": the amount must be a finite number, got " + DqlValues.typeName(v));
                }
                out.add(new Counter(path, (ApplyOp) kind, n));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Evaluates the documents of an INSERT, in order.
     *
     * @return one unmodifiable object per document; MISSING-valued entries are dropped; an
     *         absent {@code _id} stays absent (the store generates one)
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming the document (from 1)
     *         if it is not an object or its {@code _id} is null; as {@link Dql#evaluate}
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> insertDocuments(Statement.Insert insert, EvalContext ctx) {
        ctx.requireParameters(insert);
        List<Map<String, Object>> out = new ArrayList<>(insert.documents().size());
        int n = 1;
        for (Expr e : insert.documents()) {
            Object v = Dql.evaluate(e, null, ctx);
            if (!(v instanceof Map)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "INSERT document " + n
                        + ": expected an object, got " + DqlValues.typeName(v));
            }
            Map<String, Object> doc = (Map<String, Object>) v;
            if (doc.containsKey("_id") && doc.get("_id") == null) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "INSERT document " + n + ": _id must not be null");
            }
            out.add(Collections.unmodifiableMap(doc));
            n++;
        }
        return Collections.unmodifiableList(out);
    }
}
