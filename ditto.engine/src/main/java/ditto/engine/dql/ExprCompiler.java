package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Compiled.Row;
import ditto.engine.dql.Expr.ArrayExpr;
import ditto.engine.dql.Expr.Between;
import ditto.engine.dql.Expr.Binary;
import ditto.engine.dql.Expr.Call;
import ditto.engine.dql.Expr.Field;
import ditto.engine.dql.Expr.In;
import ditto.engine.dql.Expr.Index;
import ditto.engine.dql.Expr.Is;
import ditto.engine.dql.Expr.Like;
import ditto.engine.dql.Expr.Literal;
import ditto.engine.dql.Expr.Member;
import ditto.engine.dql.Expr.ObjectExpr;
import ditto.engine.dql.Expr.Param;
import ditto.engine.dql.Expr.Unary;

/**
 * Compiles {@link Expr} trees into {@link Compiled} closures, and holds the operator semantics:
 * three-valued logic, MISSING propagation, numeric arithmetic and comparison.
 *
 * <p>Rules: a path into an absent field or through a non-object is MISSING. Arithmetic and
 * string operators return MISSING if an operand is MISSING, NULL if an operand is NULL or of
 * the wrong type. Comparisons return NULL if either side is NULL or MISSING; {@code =} and
 * {@code !=} across types are FALSE/TRUE; ordering comparisons across types are NULL. AND, OR,
 * XOR and NOT treat anything but a boolean as unknown. Integer arithmetic is exact (it widens
 * to BigInteger rather than overflow); a division or modulo by zero and a non-finite result
 * give NULL.
 */
final class ExprCompiler {

    private final Map<Call, Integer> aggregateSlots;

    /**
     * @param aggregateSlots where each aggregate's value sits in {@link Row#aggregates}, or
     *        null when aggregates are not allowed
     */
    ExprCompiler(Map<Call, Integer> aggregateSlots) {
        this.aggregateSlots = aggregateSlots;
    }

    /** A compiler for plain expressions: no aggregates. */
    static final ExprCompiler PLAIN = new ExprCompiler(null);

    Compiled compile(Expr e) {
        if (e instanceof Literal l) {
            Object v = l.value();
            return row -> v;
        } else if (e instanceof Field f) {
            String name = f.name();
            return row -> get(row.doc, name);
        } else if (e instanceof Member m) {
            Compiled target = compile(m.target());
            String name = m.name();
            return row -> target.eval(row) instanceof Map<?, ?> map ? get(map, name) : Missing.INSTANCE;
        } else if (e instanceof Index i) {
            Compiled target = compile(i.target());
            Compiled index = compile(i.index());
            return row -> index(target.eval(row), index.eval(row));
        } else if (e instanceof Param p) {
            String name = p.name();
            return row -> row.ctx.argument(name);
        } else if (e instanceof Binary b) {
            return binary(b);
        } else if (e instanceof Unary u) {
            Compiled operand = compile(u.operand());
            switch (u.op()) {
                case NOT:
                    return row -> not(operand.eval(row));
                case NEG:
                    return row -> negate(operand.eval(row));
                default:
                    return row -> {
                        Object v = operand.eval(row);
                        return v == Missing.INSTANCE || v instanceof Number ? v : null;
                    };
            }
        } else if (e instanceof Call c) {
            return call(c);
        } else if (e instanceof Is is) {
            return is(is);
        } else if (e instanceof Between b) {
            Compiled value = compile(b.value());
            Compiled low = compile(b.low());
            Compiled high = compile(b.high());
            boolean negated = b.negated();
            return row -> {
                Object v = value.eval(row);
                Object r = and(compareOp(Expr.BinaryOp.GE, v, low.eval(row)), compareOp(Expr.BinaryOp.LE, v, high.eval(row)));
                return negated ? not(r) : r;
            };
        } else if (e instanceof In in) {
            Compiled value = compile(in.value());
            Compiled coll = compile(in.collection());
            boolean negated = in.negated();
            return row -> {
                Object r = in(value.eval(row), coll.eval(row));
                return negated ? not(r) : r;
            };
        } else if (e instanceof Like l) {
            return like(l);
        } else if (e instanceof ArrayExpr a) {
            List<Compiled> elements = compileAll(a.elements());
            return row -> {
                List<Object> out = new ArrayList<>(elements.size());
                for (Compiled c : elements) {
                    Object v = c.eval(row);
                    out.add(v == Missing.INSTANCE ? null : v);
                }
                return Collections.unmodifiableList(out);
            };
        } else if (e instanceof ObjectExpr o) {
            List<String> keys = new ArrayList<>();
            List<Compiled> values = new ArrayList<>();
            for (ObjectExpr.Entry entry : o.entries()) {
                keys.add(entry.key());
                values.add(compile(entry.value()));
            }
            return row -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    Object v = values.get(i).eval(row);
                    if (v != Missing.INSTANCE) {
                        out.put(keys.get(i), v);
                    }
                }
                return Collections.unmodifiableMap(out);
            };
        }
        throw new IllegalArgumentException("unknown expression node " + e.getClass().getName());
    }

    List<Compiled> compileAll(List<Expr> exprs) {
        List<Compiled> out = new ArrayList<>(exprs.size());
        for (Expr e : exprs) {
            out.add(compile(e));
        }
        return out;
    }

    private Compiled call(Call c) {
        if (c.isAggregate()) {
            Integer slot = aggregateSlots == null ? null : aggregateSlots.get(c);
            if (slot == null) {
                throw new DittoException(ErrorCode.QUERY_COMPILATION,
                        "aggregate " + c.name() + "() is not allowed here");
            }
            int s = slot;
            return row -> row.aggregates[s];
        }
        return Functions.compile(c, compileAll(c.args()));
    }

    static Object get(Map<?, ?> map, String key) {
        if (map == null) {
            return Missing.INSTANCE;
        }
        Object v = map.get(key);
        return v == null && !map.containsKey(key) ? Missing.INSTANCE : v;
    }

    private static Object index(Object target, Object index) {
        if (index instanceof String key) {
            return target instanceof Map<?, ?> map ? get(map, key) : Missing.INSTANCE;
        }
        if (index instanceof Number n && target instanceof List<?> list) {
            Long i = integralValue(n);
            if (i != null && i >= 0 && i < list.size()) {
                return list.get((int) (long) i);
            }
        }
        return Missing.INSTANCE;
    }

    /** Returns the value of a number that is a whole number in the long range, else null. */
    static Long integralValue(Number n) {
        if (DqlValues.isIntegral(n)) {
            return n.longValue();
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (n instanceof BigDecimal b) {
            try {
                return b.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        double d = n.doubleValue();
        return d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63 ? (long) d : null;
    }

    // ------------------------------------------------------------------ logic

    static Object not(Object v) {
        return v instanceof Boolean b ? !b : null;
    }

    static Object and(Object a, Object b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return Boolean.TRUE.equals(a) && Boolean.TRUE.equals(b) ? true : null;
    }

    static Object or(Object a, Object b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return Boolean.FALSE.equals(a) && Boolean.FALSE.equals(b) ? false : null;
    }

    private Compiled is(Is is) {
        Compiled operand = compile(is.operand());
        boolean negated = is.negated();
        switch (is.kind()) {
            case NULL:
                return row -> (operand.eval(row) == null) != negated;
            case MISSING:
                return row -> (operand.eval(row) == Missing.INSTANCE) != negated;
            default:
                return row -> DqlValues.isUnknown(operand.eval(row)) != negated;
        }
    }

    private Compiled binary(Binary b) {
        Compiled left = compile(b.left());
        Compiled right = compile(b.right());
        Expr.BinaryOp op = b.op();
        switch (op) {
            case AND:
                return row -> {
                    Object l = left.eval(row);
                    if (Boolean.FALSE.equals(l)) {
                        return false;
                    }
                    return and(l, right.eval(row));
                };
            case OR:
                return row -> {
                    Object l = left.eval(row);
                    if (Boolean.TRUE.equals(l)) {
                        return true;
                    }
                    return or(l, right.eval(row));
                };
            case XOR:
                return row -> {
                    Object l = left.eval(row);
                    Object r = right.eval(row);
                    return l instanceof Boolean x && r instanceof Boolean y ? x ^ y : null;
                };
            case EQ:
            case NE:
            case LT:
            case LE:
            case GT:
            case GE:
                return row -> compareOp(op, left.eval(row), right.eval(row));
            case CONCAT:
                return row -> {
                    Object l = left.eval(row);
                    Object r = right.eval(row);
                    if (l == Missing.INSTANCE || r == Missing.INSTANCE) {
                        return Missing.INSTANCE;
                    }
                    return l instanceof String x && r instanceof String y ? x + y : null;
                };
            default:
                return row -> arithmetic(op, left.eval(row), right.eval(row));
        }
    }

    /** Applies a comparison operator with three-valued logic. */
    static Object compareOp(Expr.BinaryOp op, Object l, Object r) {
        if (DqlValues.isUnknown(l) || DqlValues.isUnknown(r)) {
            return null;
        }
        if (op == Expr.BinaryOp.EQ) {
            return DqlValues.equal(l, r);
        }
        if (op == Expr.BinaryOp.NE) {
            return !DqlValues.equal(l, r);
        }
        int rank = DqlValues.rank(l);
        if (rank != DqlValues.rank(r)) {
            return null;
        }
        int c = DqlValues.compareSameRank(rank, l, r);
        switch (op) {
            case LT:
                return c < 0;
            case LE:
                return c <= 0;
            case GT:
                return c > 0;
            default:
                return c >= 0;
        }
    }

    private static Object in(Object v, Object coll) {
        if (DqlValues.isUnknown(v) || !(coll instanceof List<?> list)) {
            return null;
        }
        boolean sawUnknown = false;
        for (Object item : list) {
            if (DqlValues.isUnknown(item)) {
                sawUnknown = true;
            } else if (DqlValues.equal(v, item)) {
                return true;
            }
        }
        return sawUnknown ? null : false;
    }

    // ------------------------------------------------------------------ LIKE

    private Compiled like(Like l) {
        Compiled value = compile(l.value());
        boolean negated = l.negated();
        boolean ignoreCase = l.ignoreCase();
        if (l.pattern() instanceof Literal lit && lit.value() instanceof String p) {
            LikePattern compiled = LikePattern.compile(p, ignoreCase);
            return row -> {
                Object v = value.eval(row);
                Object r = v instanceof String s ? (Object) compiled.matches(s) : null;
                return negated ? not(r) : r;
            };
        }
        Compiled pattern = compile(l.pattern());
        return row -> {
            Object v = value.eval(row);
            Object p = pattern.eval(row);
            Object r = v instanceof String s && p instanceof String ps ? (Object) LikePattern.compile(ps, ignoreCase).matches(s) : null;
            return negated ? not(r) : r;
        };
    }

    // ------------------------------------------------------------------ arithmetic

    static Object negate(Object v) {
        if (v == Missing.INSTANCE) {
            return v;
        }
        if (!(v instanceof Number n)) {
            return null;
        }
        if (DqlValues.isIntegral(n)) {
            long l = n.longValue();
            return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) (-l);
        } else if (n instanceof BigInteger b) {
            return Lexer.integerValue(b.negate());
        } else if (n instanceof BigDecimal b) {
            return b.negate();
        }
        return -n.doubleValue();
    }

    static Object arithmetic(Expr.BinaryOp op, Object l, Object r) {
        if (l == Missing.INSTANCE || r == Missing.INSTANCE) {
            return Missing.INSTANCE;
        }
        if (!(l instanceof Number a) || !(r instanceof Number b)) {
            return null;
        }
        boolean intA = DqlValues.isIntegral(a) || a instanceof BigInteger;
        boolean intB = DqlValues.isIntegral(b) || b instanceof BigInteger;
        if (intA && intB) {
            return integral(op, a, b);
        }
        if (a instanceof BigDecimal || b instanceof BigDecimal) {
            return decimal(op, decimalOf(a), decimalOf(b));
        }
        double x = a.doubleValue();
        double y = b.doubleValue();
        double z;
        switch (op) {
            case ADD:
                z = x + y;
                break;
            case SUB:
                z = x - y;
                break;
            case MUL:
                z = x * y;
                break;
            case DIV:
                z = x / y;
                break;
            default:
                z = x % y;
        }
        return Double.isFinite(z) ? (Object) z : null;
    }

    private static BigDecimal decimalOf(Number n) {
        return n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue()) : DqlValues.toBigDecimal(n);
    }

    private static Object integral(Expr.BinaryOp op, Number a, Number b) {
        if (DqlValues.isIntegral(a) && DqlValues.isIntegral(b)) {
            long x = a.longValue();
            long y = b.longValue();
            try {
                switch (op) {
                    case ADD:
                        return Math.addExact(x, y);
                    case SUB:
                        return Math.subtractExact(x, y);
                    case MUL:
                        return Math.multiplyExact(x, y);
                    case DIV:
                        if (y == 0) {
                            return null;
                        }
                        if (x % y == 0 && !(x == Long.MIN_VALUE && y == -1)) {
                            return x / y;
                        }
                        break;
                    default:
                        return y == 0 ? null : (Object) (x % y);
                }
            } catch (ArithmeticException overflow) {
                // fall through to BigInteger arithmetic
            }
        }
        BigInteger x = toBigInteger(a);
        BigInteger y = toBigInteger(b);
        switch (op) {
            case ADD:
                return Lexer.integerValue(x.add(y));
            case SUB:
                return Lexer.integerValue(x.subtract(y));
            case MUL:
                return Lexer.integerValue(x.multiply(y));
            case DIV: {
                if (y.signum() == 0) {
                    return null;
                }
                BigInteger[] qr = x.divideAndRemainder(y);
                if (qr[1].signum() == 0) {
                    return Lexer.integerValue(qr[0]);
                }
                double d = new BigDecimal(x).divide(new BigDecimal(y), MathContext.DECIMAL64).doubleValue();
                return Double.isFinite(d) ? (Object) d : null;
            }
            default:
                return y.signum() == 0 ? null : Lexer.integerValue(x.remainder(y));
        }
    }

    private static BigInteger toBigInteger(Number n) {
        return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
    }

    /**
     * Decimal arithmetic at 34 significant digits; rounding to a precision keeps operands with
     * far-apart exponents ({@code 1E+999999999 + 1}) cheap, and an exponent overflow gives NULL.
     */
    private static Object decimal(Expr.BinaryOp op, BigDecimal x, BigDecimal y) {
        try {
            switch (op) {
                case ADD:
                    return x.add(y, MathContext.DECIMAL128);
                case SUB:
                    return x.subtract(y, MathContext.DECIMAL128);
                case MUL:
                    return x.multiply(y, MathContext.DECIMAL128);
                case DIV:
                    return y.signum() == 0 ? null : x.divide(y, MathContext.DECIMAL128);
                default:
                    return y.signum() == 0 ? null : x.remainder(y, MathContext.DECIMAL128);
            }
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
