package ditto.engine.dql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ditto.engine.dql.Statement.OrderItem;

/**
 * Builds the one result item of {@code EXPLAIN}: the statement kind, the collection, the access
 * path the store chose ({@code scan} or {@code index scan} with the index name) and the steps
 * of the plan in execution order, each a map with an {@code op} and its details as DQL text.
 * The store supplies the access path; the statement is not executed. Stateless.
 */
public final class DqlExplain {

    /**
     * How the store reads candidate documents.
     *
     * @param kind {@code "scan"} or {@code "index scan"}
     * @param index the index name for an index scan, else null
     * @param path the indexed field path for an index scan, else null
     * @param condition the part of WHERE the index answers, or null
     */
    public record AccessPath(String kind, String index, List<Object> path, Expr condition) {
        /** Checks the kind. */
        public AccessPath {
            Objects.requireNonNull(kind, "kind");
            path = path == null ? null : List.copyOf(path);
        }

        /** A full collection scan. */
        public static AccessPath scan() {
            return new AccessPath("scan", null, null, null);
        }

        /** A scan of the named index over {@code path}, answering {@code condition} (may be null). */
        public static AccessPath index(String index, List<Object> path, Expr condition) {
            return new AccessPath("index scan", Objects.requireNonNull(index, "index"), path, condition);
        }
    }

    private DqlExplain() {
    }

    /**
     * Describes the plan of a statement.
     *
     * @param statement the explained statement (the operand of EXPLAIN), never null
     * @param access how candidates are read, or null for statements that read no collection
     * @return an unmodifiable map: {@code statement}, {@code collection} (if any), {@code access}
     *         and {@code index} (if a collection is read), {@code plan} (list of steps)
     */
    public static Map<String, Object> plan(Statement statement, AccessPath access) {
        Objects.requireNonNull(statement, "statement");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statement", statement.kind().name().replace('_', ' '));
        List<Map<String, Object>> steps = new ArrayList<>();
        if (statement instanceof Statement.Select s) {
            out.put("collection", s.from().name());
            read(out, steps, s.from().name(), access, s.where());
            if (SelectAnalysis.isAggregateQuery(s)) {
                List<Object> by = texts(s.groupBy());
                steps.add(step("group", "by", by));
                if (s.having() != null) {
                    steps.add(step("having", "condition", Dql.print(s.having())));
                }
            }
            order(steps, s.orderBy(), s.limit(), s.offset(), s.distinct());
            steps.add(step("projection", "items", s.isStar() ? List.of("*") : List.copyOf(SelectAnalysis.outputNames(s))));
            if (s.distinct()) {
                steps.add(step("distinct", null, null));
            }
            window(steps, s.limit(), s.offset());
        } else if (statement instanceof Statement.Update u) {
            out.put("collection", u.target().name());
            read(out, steps, u.target().name(), access, u.where());
            order(steps, u.orderBy(), u.limit(), u.offset(), false);
            window(steps, u.limit(), u.offset());
            List<Object> changes = new ArrayList<>();
            for (Statement.Apply a : u.applies()) {
                changes.add("APPLY " + Dql.print(a.path()) + " " + a.op().name()
                        + (a.amount() == null ? "" : " " + Dql.print(a.amount())));
            }
            for (Statement.SetItem set : u.sets()) {
                changes.add("SET " + Dql.print(set.path()) + " = " + Dql.print(set.value()));
            }
            for (Expr unset : u.unsets()) {
                changes.add("UNSET " + Dql.print(unset));
            }
            steps.add(step("update", "changes", changes));
        } else if (statement instanceof Statement.Delete d) {
            out.put("collection", d.collection());
            read(out, steps, d.collection(), access, d.where());
            order(steps, d.orderBy(), d.limit(), d.offset(), false);
            window(steps, d.limit(), d.offset());
            steps.add(step("delete", null, null));
        } else if (statement instanceof Statement.Evict e) {
            out.put("collection", e.collection());
            read(out, steps, e.collection(), access, e.where());
            order(steps, e.orderBy(), e.limit(), e.offset(), false);
            window(steps, e.limit(), e.offset());
            steps.add(step("evict", null, null));
        } else if (statement instanceof Statement.Insert i) {
            out.put("collection", i.into().name());
            Map<String, Object> step = step("insert", "documents", (long) i.documents().size());
            step.put("on_conflict", i.initial() ? "INITIAL" : i.onConflict().name());
            steps.add(step);
        } else if (statement instanceof Statement.CreateIndex ci) {
            out.put("collection", ci.collection());
            Map<String, Object> step = step("create index", "index", ci.name());
            step.put("path", Dql.print(ci.path()));
            steps.add(step);
        } else if (statement instanceof Statement.DropIndex di) {
            if (di.collection() != null) {
                out.put("collection", di.collection());
            }
            steps.add(step("drop index", "index", di.name()));
        } else {
            steps.add(step("settings", "statement", Dql.print(statement)));
        }
        out.put("plan", Collections.unmodifiableList(steps));
        return Collections.unmodifiableMap(out);
    }

    private static void read(Map<String, Object> out, List<Map<String, Object>> steps, String collection,
                             AccessPath access, Expr where) {
        AccessPath a = access == null ? AccessPath.scan() : access;
        out.put("access", a.kind());
        if (a.index() != null) {
            out.put("index", a.index());
        }
        Map<String, Object> step = step(a.kind(), "collection", collection);
        if (a.index() != null) {
            step.put("index", a.index());
        }
        if (a.path() != null) {
            step.put("path", a.path());
        }
        if (a.condition() != null) {
            step.put("condition", Dql.print(a.condition()));
        }
        steps.add(step);
        if (where != null) {
            steps.add(step("filter", "condition", Dql.print(where)));
        }
    }

    private static void order(List<Map<String, Object>> steps, List<OrderItem> orderBy, Expr limit, Expr offset,
                              boolean distinct) {
        if (orderBy.isEmpty()) {
            return;
        }
        List<Object> keys = new ArrayList<>();
        for (OrderItem o : orderBy) {
            keys.add(Dql.print(o.expr()) + (o.descending() ? " DESC" : " ASC"));
        }
        Map<String, Object> step = step("order", "by", keys);
        step.put("method", limit != null && !distinct ? "top-k heap" : "sort");
        steps.add(step);
    }

    private static void window(List<Map<String, Object>> steps, Expr limit, Expr offset) {
        if (offset != null) {
            steps.add(step("offset", "count", Dql.print(offset)));
        }
        if (limit != null) {
            steps.add(step("limit", "count", Dql.print(limit)));
        }
    }

    private static List<Object> texts(List<Expr> exprs) {
        List<Object> out = new ArrayList<>();
        for (Expr e : exprs) {
            out.add(Dql.print(e));
        }
        return out;
    }

    private static Map<String, Object> step(String op, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        if (key != null) {
            m.put(key, value);
        }
        return m;
    }
}
