package ditto.engine.observe;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Expr;
import ditto.engine.dql.SelectExecutor;
import ditto.engine.dql.Statement.Select;

/**
 * Internal: the compiled, immutable form of one observer's query: the SELECT, its validated
 * arguments, and whether its result can be maintained incrementally.
 *
 * <p>A query is incremental when its result is a function of the matching documents alone, each
 * contributing at most one row independently of the others: no aggregate, GROUP BY or HAVING,
 * no DISTINCT, no LIMIT or OFFSET (which make a row's presence depend on the other rows), a
 * real (not {@code system:}) collection, and no {@code clock()} call (whose value changes
 * without a commit). ORDER BY alone is fine: the maintained set is sorted again per delivery.
 */
final class LiveQuery {
    final String dql;
    final Select select;
    final EvalContext context;
    final Map<String, Object> arguments;
    final SelectExecutor executor;
    final boolean incremental;
    /** Whether every row holds its document's {@code _id} under that name, so equal rows mean the same document. */
    final boolean rowsCarryId;

    LiveQuery(String dql, Select select, EvalContext context) {
        this.dql = dql;
        this.select = select;
        this.context = context;
        this.arguments = Collections.unmodifiableMap(context.arguments());
        this.executor = SelectExecutor.of(select);
        this.incremental = !executor.isAggregate() && !select.distinct() && select.limit() == null
                && select.offset() == null && !select.from().isVirtual()
                && !usesClock(select.where()) && select.projection().stream().noneMatch(i -> usesClock(i.expr()))
                && select.orderBy().stream().noneMatch(o -> usesClock(o.expr()));
        this.rowsCarryId = select.isStar() || select.projection().stream().anyMatch(item ->
                item.expr() instanceof Expr.Field f && f.name().equals("_id")
                        && (item.alias() == null || item.alias().equals("_id")));
    }

    /** The collection the query reads. */
    String collection() {
        return select.from().name();
    }

    /** {@code SELECT * FROM <same collection> WHERE <same condition>}: the documents the result is built from. */
    Select matchingDocuments() {
        return new Select(false, List.of(), select.from(), select.where(), List.of(), null, List.of(), null, null);
    }

    private static boolean usesClock(Expr e) {
        if (e == null) {
            return false;
        }
        if (e instanceof Expr.Call c) {
            if (c.name().equalsIgnoreCase("clock")) {
                return true;
            }
            return c.args().stream().anyMatch(LiveQuery::usesClock);
        }
        if (e instanceof Expr.Binary b) {
            return usesClock(b.left()) || usesClock(b.right());
        }
        if (e instanceof Expr.Unary u) {
            return usesClock(u.operand());
        }
        if (e instanceof Expr.Member m) {
            return usesClock(m.target());
        }
        if (e instanceof Expr.Index i) {
            return usesClock(i.target()) || usesClock(i.index());
        }
        if (e instanceof Expr.ArrayExpr a) {
            return a.elements().stream().anyMatch(LiveQuery::usesClock);
        }
        if (e instanceof Expr.ObjectExpr o) {
            return o.entries().stream().anyMatch(entry -> usesClock(entry.value()));
        }
        if (e instanceof Expr.Between b) {
            return usesClock(b.value()) || usesClock(b.low()) || usesClock(b.high());
        }
        if (e instanceof Expr.In in) {
            return usesClock(in.value()) || usesClock(in.collection());
        }
        if (e instanceof Expr.Like l) {
            return usesClock(l.value()) || usesClock(l.pattern());
        }
        if (e instanceof Expr.Is is) {
            return usesClock(is.operand());
        }
        return false;
    }
}
