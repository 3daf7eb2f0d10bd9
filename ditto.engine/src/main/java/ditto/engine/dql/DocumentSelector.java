package ditto.engine.dql;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Statement.CollectionRef;
import ditto.engine.dql.Statement.OrderItem;

/**
 * Chooses the documents a write (UPDATE, DELETE, EVICT) affects: those of the candidates that
 * satisfy WHERE, in ORDER BY order, after OFFSET, at most LIMIT. The same pipeline as a
 * {@code SELECT *} (see {@link SelectExecutor}), so writes and reads agree on every rule.
 * Immutable and thread-safe.
 */
public final class DocumentSelector {

    private final SelectExecutor executor;

    private DocumentSelector(SelectExecutor executor) {
        this.executor = executor;
    }

    /**
     * Compiles a selection.
     *
     * @param where the condition, or null for every document
     * @param orderBy the order, empty for the candidates' order
     * @param limit a non-negative integer literal or a parameter, or null for no limit
     * @param offset likewise, or null for none
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} if an expression holds an aggregate
     */
    public static DocumentSelector of(Expr where, List<OrderItem> orderBy, Expr limit, Expr offset) {
        Statement.Select select = new Statement.Select(false, List.of(), new CollectionRef("documents", List.of()),
                where, List.of(), null, orderBy, limit, offset);
        if (where != null && SelectAnalysis.firstAggregate(where) != null) {
            throw new DittoException(ErrorCode.QUERY_COMPILATION, "aggregates are not allowed in WHERE");
        }
        for (OrderItem o : orderBy) {
            if (SelectAnalysis.firstAggregate(o.expr()) != null) {
                throw new DittoException(ErrorCode.QUERY_COMPILATION, "aggregates are not allowed in the ORDER BY of a write");
            }
        }
        return new DocumentSelector(SelectExecutor.of(select));
    }

    /** Returns the selection of an UPDATE. */
    public static DocumentSelector of(Statement.Update update) {
        return of(update.where(), update.orderBy(), update.limit(), update.offset());
    }

    /** Returns the selection of a DELETE. */
    public static DocumentSelector of(Statement.Delete delete) {
        return of(delete.where(), delete.orderBy(), delete.limit(), delete.offset());
    }

    /** Returns the selection of an EVICT. */
    public static DocumentSelector of(Statement.Evict evict) {
        return of(evict.where(), evict.orderBy(), evict.limit(), evict.offset());
    }

    /**
     * Returns the selected documents (the candidate maps themselves), lazily when there is no
     * ORDER BY.
     *
     * @param candidates documents narrowed by the store's access path, never null
     * @param ctx arguments and clock
     * @throws DittoException as {@link SelectExecutor#execute}
     */
    public Iterator<Map<String, Object>> select(Iterator<? extends Map<String, Object>> candidates, EvalContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        return executor.execute(candidates, ctx);
    }
}
