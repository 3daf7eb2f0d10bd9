package ditto.engine.dql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Expr.Binary;
import ditto.engine.dql.Expr.BinaryOp;
import ditto.engine.dql.Expr.Field;
import ditto.engine.dql.Expr.Index;
import ditto.engine.dql.Expr.Literal;
import ditto.engine.dql.Expr.Member;

/**
 * The entry points of the DQL language layer: parse, print, inspect and evaluate. All methods
 * are static, stateless and thread-safe.
 */
public final class Dql {

    /**
     * How many levels of parentheses, brackets, braces, calls and prefix operators a statement
     * may nest before parsing fails with {@link ErrorCode#QUERY_COMPILATION}.
     */
    public static final int MAX_NESTING = 256;

    /**
     * How deep an expression tree may be before parsing fails with
     * {@link ErrorCode#QUERY_COMPILATION} (a chain of 200 ORs is 200 deep; long lists of
     * alternatives belong in {@code IN (…)}). It bounds every recursive walk of a tree (print,
     * equals, compile, evaluate) to a few hundred KiB of stack.
     */
    public static final int MAX_DEPTH = 256;

    private Dql() {
    }

    /**
     * Parses one DQL statement (an optional trailing {@code ;} is allowed).
     *
     * @param text the statement, never null
     * @return the statement tree, never null
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} with "line L, column C: expected
     *         X but found Y" for syntax errors and with the position for semantic errors
     *         (unknown function, wrong argument count, bad constant regular expression or date
     *         unit, misplaced aggregate, GROUP BY violation, duplicate output name, {@code _id}
     *         change, nesting limits); {@link ErrorCode#UNSUPPORTED} naming the construct for
     *         joins, several FROM terms, subqueries, UNION and transaction statements
     * @throws NullPointerException if {@code text} is null
     */
    public static Statement parse(String text) {
        Objects.requireNonNull(text, "text");
        return Parser.parseStatement(text);
    }

    /**
     * Parses a standalone expression (no aggregates), for tools and tests.
     *
     * @throws DittoException as {@link #parse(String)}
     */
    public static Expr parseExpression(String text) {
        Objects.requireNonNull(text, "text");
        return Parser.parseExpression(text);
    }

    /**
     * Prints a statement as canonical DQL; {@code parse(print(s)).equals(s)} for every statement
     * the parser produces.
     */
    public static String print(Statement statement) {
        return Printer.print(Objects.requireNonNull(statement, "statement"));
    }

    /** Prints an expression as canonical DQL. */
    public static String print(Expr expr) {
        return Printer.print(Objects.requireNonNull(expr, "expr"));
    }

    /** Returns the names of the parameters a statement uses, in order of first use, without colons. */
    public static Set<String> parameters(Statement statement) {
        Set<String> names = new LinkedHashSet<>();
        for (Expr e : expressions(statement)) {
            collectParameters(e, names);
        }
        return Collections.unmodifiableSet(names);
    }

    private static void collectParameters(Expr e, Set<String> names) {
        if (e instanceof Expr.Param p) {
            names.add(p.name());
        }
        for (Expr c : SelectAnalysis.children(e)) {
            collectParameters(c, names);
        }
    }

    /** Returns every top-level expression of a statement (clauses in textual order). */
    static List<Expr> expressions(Statement s) {
        List<Expr> out = new ArrayList<>();
        if (s instanceof Statement.Select sel) {
            sel.projection().forEach(i -> out.add(i.expr()));
            addIfPresent(out, sel.where());
            out.addAll(sel.groupBy());
            addIfPresent(out, sel.having());
            sel.orderBy().forEach(o -> out.add(o.expr()));
            addIfPresent(out, sel.limit());
            addIfPresent(out, sel.offset());
        } else if (s instanceof Statement.Insert ins) {
            out.addAll(ins.documents());
        } else if (s instanceof Statement.Update up) {
            up.applies().forEach(a -> {
                out.add(a.path());
                addIfPresent(out, a.amount());
            });
            up.sets().forEach(i -> {
                out.add(i.path());
                out.add(i.value());
            });
            out.addAll(up.unsets());
            addIfPresent(out, up.where());
            up.orderBy().forEach(o -> out.add(o.expr()));
            addIfPresent(out, up.limit());
            addIfPresent(out, up.offset());
        } else if (s instanceof Statement.Delete del) {
            addIfPresent(out, del.where());
            del.orderBy().forEach(o -> out.add(o.expr()));
            addIfPresent(out, del.limit());
            addIfPresent(out, del.offset());
        } else if (s instanceof Statement.Evict ev) {
            addIfPresent(out, ev.where());
            ev.orderBy().forEach(o -> out.add(o.expr()));
            addIfPresent(out, ev.limit());
            addIfPresent(out, ev.offset());
        } else if (s instanceof Statement.CreateIndex ci) {
            out.add(ci.path());
        } else if (s instanceof Statement.Explain ex) {
            out.addAll(expressions(ex.statement()));
        } else if (s instanceof Statement.AlterSystemSet set) {
            out.add(set.value());
        }
        return out;
    }

    private static void addIfPresent(List<Expr> out, Expr e) {
        if (e != null) {
            out.add(e);
        }
    }

    /**
     * Returns the constant path an expression denotes, if it is one: a field followed by member
     * accesses and literal subscripts. Segments are {@code String} keys and {@code Integer}
     * array indexes: {@code a.b['c'][0]} gives {@code ["a", "b", "c", 0]}.
     *
     * @return the segments (unmodifiable, at least one), or empty if {@code e} is not a path
     */
    public static Optional<List<Object>> fieldPath(Expr e) {
        List<Object> segments = new ArrayList<>();
        Expr cur = e;
        while (true) {
            if (cur instanceof Field f) {
                segments.add(f.name());
                Collections.reverse(segments);
                return Optional.of(Collections.unmodifiableList(segments));
            } else if (cur instanceof Member m) {
                segments.add(m.name());
                cur = m.target();
            } else if (cur instanceof Index i && i.index() instanceof Literal l) {
                if (l.value() instanceof String s) {
                    segments.add(s);
                } else if (l.value() instanceof Long n && n >= 0 && n <= Integer.MAX_VALUE) {
                    segments.add((int) (long) n);
                } else {
                    return Optional.empty();
                }
                cur = i.target();
            } else {
                return Optional.empty();
            }
        }
    }

    /**
     * Splits a condition into its AND-ed parts ({@code a AND (b AND c)} gives a, b, c); a null
     * condition gives an empty list. A document matches the condition exactly when every part
     * is TRUE for it, so a store may answer one part from an index and filter by the rest.
     */
    public static List<Expr> conjuncts(Expr condition) {
        List<Expr> out = new ArrayList<>();
        if (condition != null) {
            addConjuncts(condition, out);
        }
        return Collections.unmodifiableList(out);
    }

    private static void addConjuncts(Expr e, List<Expr> out) {
        if (e instanceof Binary b && b.op() == BinaryOp.AND) {
            addConjuncts(b.left(), out);
            addConjuncts(b.right(), out);
        } else {
            out.add(e);
        }
    }

    /**
     * Evaluates an expression (without aggregates) against one document.
     *
     * @param expr the expression, never null
     * @param document the document ({@code _id} included), or null for none (every path is MISSING)
     * @param ctx arguments and clock, never null
     * @return a JSON-model value or {@link Missing#INSTANCE}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for a parameter without
     *         argument; {@link ErrorCode#QUERY_EXECUTION} for a computed regular expression,
     *         unit or format that is malformed; {@link ErrorCode#QUERY_COMPILATION} if
     *         {@code expr} holds an aggregate
     */
    public static Object evaluate(Expr expr, Map<String, Object> document, EvalContext ctx) {
        return ExprCompiler.PLAIN.compile(expr).eval(new Compiled.Row(ctx, document));
    }

    /**
     * Returns whether a document satisfies a condition: the condition evaluates to TRUE (FALSE,
     * NULL, MISSING and non-booleans do not match). A null condition matches every document.
     *
     * @throws DittoException as {@link #evaluate}
     */
    public static boolean matches(Expr condition, Map<String, Object> document, EvalContext ctx) {
        return condition == null || Boolean.TRUE.equals(evaluate(condition, document, ctx));
    }

    /**
     * A condition compiled once, for testing many documents ({@link #matches} compiles at every
     * call). Immutable and thread-safe.
     */
    @FunctionalInterface
    public interface Condition {

        /** The condition of a query without WHERE: every document matches. */
        Condition ALWAYS = (document, ctx) -> true;

        /**
         * Returns whether a document satisfies the condition, as {@link Dql#matches}.
         *
         * @throws DittoException as {@link Dql#evaluate}
         */
        boolean test(Map<String, Object> document, EvalContext ctx);
    }

    /**
     * Compiles a condition for {@link Condition#test}.
     *
     * @param condition the condition, or null for {@link Condition#ALWAYS}
     * @return the compiled condition
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} if it holds an aggregate
     */
    public static Condition condition(Expr condition) {
        if (condition == null) {
            return Condition.ALWAYS;
        }
        Compiled compiled = ExprCompiler.PLAIN.compile(condition);
        return (document, ctx) -> Boolean.TRUE.equals(compiled.eval(new Compiled.Row(ctx, document)));
    }

    /** Throws an UNSUPPORTED error unless the statement is a SELECT (observers, subscriptions). */
    public static void requireSelect(Statement statement, String usage) {
        if (statement.kind() != Statement.Kind.SELECT) {
            throw new DittoException(ErrorCode.UNSUPPORTED, usage + ": only SELECT statements are allowed, not "
                    + statement.kind().name().replace('_', ' '));
        }
    }
}
