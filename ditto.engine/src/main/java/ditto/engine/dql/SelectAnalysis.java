package ditto.engine.dql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Expr.Call;
import ditto.engine.dql.Expr.Field;
import ditto.engine.dql.Statement.OrderItem;
import ditto.engine.dql.Statement.Select;
import ditto.engine.dql.Statement.SelectItem;

/**
 * Semantic checks and derived facts of a SELECT: whether it aggregates, the output names of its
 * projection, and the GROUP BY rule (every non-aggregated projected, HAVING or ORDER BY
 * expression must be built from GROUP BY expressions, literals and parameters). Stateless and
 * thread-safe; the store uses the public facts to plan.
 */
public final class SelectAnalysis {

    private SelectAnalysis() {
    }

    /**
     * Returns whether the SELECT groups: GROUP BY, HAVING, or an aggregate in the projection or
     * ORDER BY. Such a query reads every candidate before it produces a row.
     */
    public static boolean isAggregateQuery(Select s) {
        if (!s.groupBy().isEmpty() || s.having() != null) {
            return true;
        }
        for (SelectItem item : s.projection()) {
            if (firstAggregate(item.expr()) != null) {
                return true;
            }
        }
        for (OrderItem o : s.orderBy()) {
            if (firstAggregate(o.expr()) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the output name of each projection item, by position (empty for {@code *}): the
     * alias, else the last path segment if it is a key, else {@code ($n)} (n from 1).
     */
    public static List<String> outputNames(Select s) {
        List<String> names = new ArrayList<>();
        int i = 1;
        for (SelectItem item : s.projection()) {
            names.add(outputName(item, i++));
        }
        return names;
    }

    /** The alias, else the last path segment if it is a key, else {@code ($n)}. */
    static String outputName(SelectItem item, int position) {
        if (item.alias() != null) {
            return item.alias();
        }
        Optional<List<Object>> path = Dql.fieldPath(item.expr());
        if (path.isPresent() && path.get().get(path.get().size() - 1) instanceof String last) {
            return last;
        }
        return "($" + position + ")";
    }

    /**
     * Checks a SELECT; {@code position} gives "line L, column C" for a node, or null when
     * unknown (trees built in code).
     */
    static void validate(Select s, Function<Expr, String> position) {
        List<String> names = outputNames(s);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw error(position, s.projection().get(i).expr(), "the projection names '" + names.get(i)
                        + "' twice; give one of the items another name with AS");
            }
        }
        for (SelectItem item : s.projection()) {
            checkNestedAggregates(item.expr(), position);
        }
        if (s.having() != null) {
            checkNestedAggregates(s.having(), position);
        }
        for (OrderItem o : s.orderBy()) {
            checkNestedAggregates(o.expr(), position);
        }
        if (!isAggregateQuery(s)) {
            return;
        }
        if (s.isStar()) {
            Expr at = !s.groupBy().isEmpty() ? s.groupBy().get(0) : s.having();
            for (int i = 0; at == null && i < s.orderBy().size(); i++) {
                at = firstAggregate(s.orderBy().get(i).expr());
            }
            throw error(position, at,
                    "SELECT * cannot be combined with GROUP BY, HAVING or aggregates; name the projected expressions");
        }
        for (SelectItem item : s.projection()) {
            checkGrouped(item.expr(), s.groupBy(), Set.of(), position, "the projection");
        }
        if (s.having() != null) {
            checkGrouped(s.having(), s.groupBy(), Set.of(), position, "HAVING");
        }
        Set<String> outputs = new HashSet<>(names);
        for (OrderItem o : s.orderBy()) {
            checkGrouped(o.expr(), s.groupBy(), outputs, position, "ORDER BY");
        }
    }

    private static void checkGrouped(Expr e, List<Expr> groupBy, Set<String> outputNames,
                                     Function<Expr, String> position, String clause) {
        if (groupBy.contains(e) || e instanceof Call c && c.isAggregate()
                || e instanceof Expr.Literal || e instanceof Expr.Param) {
            return;
        }
        if (e instanceof Field f) {
            if (outputNames.contains(f.name())) {
                return;
            }
            throw error(position, e, "'" + Lexer.abbreviate(Dql.print(e)) + "' in " + clause
                    + " must appear in GROUP BY or be used in an aggregate function");
        }
        for (Expr child : children(e)) {
            checkGrouped(child, groupBy, Set.of(), position, clause);
        }
    }

    private static void checkNestedAggregates(Expr e, Function<Expr, String> position) {
        if (e instanceof Call c && c.isAggregate()) {
            for (Expr a : c.args()) {
                Call inner = firstAggregate(a);
                if (inner != null) {
                    throw error(position, inner, "aggregate " + inner.name() + "() cannot be nested inside "
                            + c.name() + "()");
                }
            }
            return;
        }
        for (Expr child : children(e)) {
            checkNestedAggregates(child, position);
        }
    }

    /** Returns the first aggregate call in {@code e} (pre-order), or null. */
    static Call firstAggregate(Expr e) {
        if (e instanceof Call c && c.isAggregate()) {
            return c;
        }
        for (Expr child : children(e)) {
            Call found = firstAggregate(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Returns the first field reference in {@code e} (pre-order), or null. */
    static Expr firstField(Expr e) {
        if (e instanceof Field) {
            return e;
        }
        for (Expr child : children(e)) {
            Expr found = firstField(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Returns the direct sub-expressions of a node, left to right. */
    static List<Expr> children(Expr e) {
        if (e instanceof Expr.Binary b) {
            return List.of(b.left(), b.right());
        } else if (e instanceof Expr.Member m) {
            return List.of(m.target());
        } else if (e instanceof Expr.Index i) {
            return List.of(i.target(), i.index());
        } else if (e instanceof Expr.Unary u) {
            return List.of(u.operand());
        } else if (e instanceof Call c) {
            return c.args();
        } else if (e instanceof Expr.ArrayExpr a) {
            return a.elements();
        } else if (e instanceof Expr.ObjectExpr o) {
            List<Expr> values = new ArrayList<>(o.entries().size());
            for (Expr.ObjectExpr.Entry entry : o.entries()) {
                values.add(entry.value());
            }
            return values;
        } else if (e instanceof Expr.Between b) {
            return List.of(b.value(), b.low(), b.high());
        } else if (e instanceof Expr.In in) {
            return List.of(in.value(), in.collection());
        } else if (e instanceof Expr.Like l) {
            return List.of(l.value(), l.pattern());
        } else if (e instanceof Expr.Is is) {
            return List.of(is.operand());
        }
        return List.of();
    }

    private static DittoException error(Function<Expr, String> position, Expr at, String message) {
        return new DittoException(ErrorCode.QUERY_COMPILATION, prefix(position, at) + message);
    }

    private static String prefix(Function<Expr, String> position, Expr at) {
        String p = at == null ? null : position.apply(at);
        return p == null ? "" : p + ": ";
    }
}
