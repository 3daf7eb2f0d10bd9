package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Compiled.Row;
import ditto.engine.dql.Expr.Call;
import ditto.engine.dql.Expr.Literal;

/**
 * The scalar functions of DQL (names lower case) and the list of aggregates, with their arity.
 *
 * <p>Common rules, unless a function says otherwise: a MISSING argument makes the result
 * MISSING, a NULL argument or one of the wrong type makes it NULL (so one odd document never
 * fails a whole query), while a malformed constant (a bad regular expression, flag, date unit
 * or format) is an error: {@link ErrorCode#QUERY_COMPILATION} when it is a literal in the
 * statement, {@link ErrorCode#QUERY_EXECUTION} when it is computed. Stateless; compiled
 * functions are thread-safe.
 */
final class Functions {

    private static final int VARIADIC = 255;

    private static final Map<String, int[]> ARITY = new HashMap<>();
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "avg", "min", "max");

    static {
        for (String f : List.of("abs", "ceil", "floor", "byte_length", "char_length", "character_length", "lower",
                "upper", "is_boolean", "is_number", "is_string", "is_null", "type", "array_contains_null",
                "array_length", "object_length", "object_keys", "object_values", "deserialize_json",
                "count", "sum", "avg", "min", "max")) {
            ARITY.put(f, new int[] {1, 1});
        }
        for (String f : List.of("contains", "starts_with", "ends_with", "array_contains", "nvl", "date_part",
                "date_trunc", "date_format", "date_cast")) {
            ARITY.put(f, new int[] {2, 2});
        }
        ARITY.put("concat", new int[] {1, VARIADIC});
        ARITY.put("coalesce", new int[] {1, VARIADIC});
        ARITY.put("decode", new int[] {3, VARIADIC});
        ARITY.put("trim", new int[] {1, 2});
        ARITY.put("regexp_like", new int[] {2, 3});
        ARITY.put("clock", new int[] {0, 0});
        ARITY.put("date_add", new int[] {3, 3});
        ARITY.put("date_sub", new int[] {3, 3});
        ARITY.put("date_diff", new int[] {3, 3});
    }

    private Functions() {
    }

    /** Returns {min, max} argument counts of a known function or aggregate (lower case), else null. */
    static int[] arity(String name) {
        int[] a = ARITY.get(name);
        return a == null ? null : a.clone();
    }

    /** Returns the names of every function and aggregate. */
    static Set<String> names() {
        return Collections.unmodifiableSet(ARITY.keySet());
    }

    static boolean isAggregate(String name) {
        return AGGREGATES.contains(name);
    }

    static String describeArity(int[] a) {
        if (a[0] == a[1]) {
            return a[0] + (a[0] == 1 ? " argument" : " arguments");
        }
        return a[1] == VARIADIC ? "at least " + a[0] + " arguments" : a[0] + " to " + a[1] + " arguments";
    }

    /**
     * Checks the constant arguments of a call (regular expressions, flags, date units, parts and
     * formats written as literals), returning what is wrong or null.
     */
    static String checkConstants(Call c) {
        try {
            compile(c, List.of());
            return null;
        } catch (DittoException e) {
            return e.getMessage();
        }
    }

    /** Compiles a scalar call; {@code args} may be empty when only checking constants. */
    static Compiled compile(Call c, List<Compiled> args) {
        String name = c.name();
        List<Expr> exprs = c.args();
        switch (name) {
            case "abs":
                return numeric(args, Functions::abs);
            case "ceil":
                return numeric(args, n -> round(n, RoundingMode.CEILING));
            case "floor":
                return numeric(args, n -> round(n, RoundingMode.FLOOR));
            case "concat":
                return row -> {
                    StringBuilder sb = new StringBuilder();
                    boolean isNull = false;
                    for (Compiled a : args) {
                        Object v = a.eval(row);
                        if (v == Missing.INSTANCE) {
                            return Missing.INSTANCE;
                        }
                        if (v instanceof String s) {
                            sb.append(s);
                        } else {
                            isNull = true;
                        }
                    }
                    return isNull ? null : sb.toString();
                };
            case "contains":
                return strings2(args, String::contains);
            case "starts_with":
                return strings2(args, String::startsWith);
            case "ends_with":
                return strings2(args, String::endsWith);
            case "byte_length":
                return unary(args, v -> v instanceof String s ? (Object) (long) s.getBytes(StandardCharsets.UTF_8).length
                        : v instanceof byte[] b ? (Object) (long) b.length : null);
            case "char_length":
            case "character_length":
                return unary(args, v -> v instanceof String s ? (Object) (long) s.codePointCount(0, s.length()) : null);
            case "lower":
                return unary(args, v -> v instanceof String s ? s.toLowerCase(Locale.ROOT) : null);
            case "upper":
                return unary(args, v -> v instanceof String s ? s.toUpperCase(Locale.ROOT) : null);
            case "trim":
                return trim(args);
            case "regexp_like":
                return regexpLike(c, args);
            case "is_boolean":
                return predicate(args, v -> v instanceof Boolean);
            case "is_number":
                return predicate(args, v -> v instanceof Number);
            case "is_string":
                return predicate(args, v -> v instanceof String);
            case "is_null":
                return predicate(args, v -> v == null);
            case "type":
                return args.isEmpty() ? null : row -> DqlValues.typeName(args.get(0).eval(row));
            case "array_contains":
                return args.isEmpty() ? null : row -> {
                    Object a = args.get(0).eval(row);
                    Object v = args.get(1).eval(row);
                    if (a == Missing.INSTANCE) {
                        return Missing.INSTANCE;
                    }
                    if (!(a instanceof List<?> list) || DqlValues.isUnknown(v)) {
                        return null;
                    }
                    for (Object item : list) {
                        if (DqlValues.equal(item, v)) {
                            return true;
                        }
                    }
                    return false;
                };
            case "array_contains_null":
                return unary(args, v -> v instanceof List<?> list ? (Object) list.contains(null) : null);
            case "array_length":
                return unary(args, v -> v instanceof List<?> list ? (Object) (long) list.size() : null);
            case "object_length":
                return unary(args, v -> v instanceof Map<?, ?> m ? (Object) (long) m.size() : null);
            case "object_keys":
                return unary(args, v -> v instanceof Map<?, ?> m
                        ? Collections.unmodifiableList(new ArrayList<Object>(DqlValues.sortedKeys(m))) : null);
            case "object_values":
                return unary(args, v -> {
                    if (!(v instanceof Map<?, ?> m)) {
                        return null;
                    }
                    List<Object> values = new ArrayList<>();
                    for (String k : DqlValues.sortedKeys(m)) {
                        values.add(m.get(k));
                    }
                    return Collections.unmodifiableList(values);
                });
            case "coalesce":
                return row -> {
                    for (Compiled a : args) {
                        Object v = a.eval(row);
                        if (!DqlValues.isUnknown(v)) {
                            return v;
                        }
                    }
                    return null;
                };
            case "nvl":
                return args.isEmpty() ? null : row -> {
                    Object v = args.get(0).eval(row);
                    return DqlValues.isUnknown(v) ? args.get(1).eval(row) : v;
                };
            case "decode":
                return decode(args);
            case "deserialize_json":
                return unary(args, v -> v instanceof String s ? JsonText.parseOrNull(s) : null);
            case "clock":
                return row -> DateFunctions.format(row.ctx.now());
            case "date_add":
            case "date_sub":
            case "date_diff":
            case "date_part":
            case "date_trunc":
            case "date_format":
            case "date_cast":
                return DateFunctions.compile(name, exprs, args);
            default:
                throw new DittoException(ErrorCode.QUERY_COMPILATION, "unknown function '" + name + "'");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A one-argument function: MISSING in, MISSING out; otherwise {@code f} (null for NULL). */
    private static Compiled unary(List<Compiled> args, java.util.function.Function<Object, Object> f) {
        if (args.isEmpty()) {
            return null;
        }
        Compiled a = args.get(0);
        return row -> {
            Object v = a.eval(row);
            if (v == Missing.INSTANCE) {
                return Missing.INSTANCE;
            }
            return v == null ? null : f.apply(v);
        };
    }

    private static Compiled numeric(List<Compiled> args, java.util.function.Function<Number, Object> f) {
        return unary(args, v -> v instanceof Number n ? f.apply(n) : null);
    }

    /** A type predicate: always TRUE or FALSE; MISSING is FALSE for every predicate. */
    private static Compiled predicate(List<Compiled> args, java.util.function.Predicate<Object> p) {
        if (args.isEmpty()) {
            return null;
        }
        Compiled a = args.get(0);
        return row -> {
            Object v = a.eval(row);
            return v != Missing.INSTANCE && p.test(v);
        };
    }

    private static Compiled strings2(List<Compiled> args, java.util.function.BiPredicate<String, String> p) {
        if (args.isEmpty()) {
            return null;
        }
        Compiled a = args.get(0);
        Compiled b = args.get(1);
        return row -> {
            Object x = a.eval(row);
            Object y = b.eval(row);
            if (x == Missing.INSTANCE || y == Missing.INSTANCE) {
                return Missing.INSTANCE;
            }
            return x instanceof String s && y instanceof String t ? (Object) p.test(s, t) : null;
        };
    }

    private static Object abs(Number n) {
        if (DqlValues.isIntegral(n)) {
            long l = n.longValue();
            return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) Math.abs(l);
        } else if (n instanceof BigInteger b) {
            return b.abs();
        } else if (n instanceof BigDecimal b) {
            return b.abs();
        }
        return Math.abs(n.doubleValue());
    }

    /** Rounds to a whole number, returned as Long when it fits (else BigInteger). */
    private static Object round(Number n, RoundingMode mode) {
        if (DqlValues.isIntegral(n) || n instanceof BigInteger) {
            return n instanceof BigInteger ? n : (Object) n.longValue();
        }
        BigDecimal b = n instanceof BigDecimal d ? d : new BigDecimal(n.doubleValue());
        if (b.scale() <= 0) {
            // already whole; never expand a huge exponent (1E+999999999) into its digits
            Long l = ExprCompiler.integralValue(b);
            return l != null ? l : b;
        }
        return Lexer.integerValue(b.setScale(0, mode).toBigIntegerExact());
    }

    private static Compiled trim(List<Compiled> args) {
        if (args.isEmpty()) {
            return null;
        }
        Compiled a = args.get(0);
        Compiled chars = args.size() > 1 ? args.get(1) : null;
        return row -> {
            Object v = a.eval(row);
            Object c = chars == null ? " " : chars.eval(row);
            if (v == Missing.INSTANCE || c == Missing.INSTANCE) {
                return Missing.INSTANCE;
            }
            if (!(v instanceof String s) || !(c instanceof String set)) {
                return null;
            }
            if (chars == null) {
                return s.strip();
            }
            int start = 0;
            int end = s.length();
            while (start < end && set.indexOf(s.codePointAt(start)) >= 0) {
                start += Character.charCount(s.codePointAt(start));
            }
            while (end > start && set.indexOf(s.codePointBefore(end)) >= 0) {
                end -= Character.charCount(s.codePointBefore(end));
            }
            return s.substring(start, end);
        };
    }

    private static Compiled decode(List<Compiled> args) {
        return row -> {
            Object v = args.get(0).eval(row);
            int i = 1;
            for (; i + 1 < args.size(); i += 2) {
                Object search = args.get(i).eval(row);
                boolean match = DqlValues.isUnknown(v) ? DqlValues.isUnknown(search)
                        : !DqlValues.isUnknown(search) && DqlValues.equal(v, search);
                if (match) {
                    return args.get(i + 1).eval(row);
                }
            }
            return i < args.size() ? args.get(i).eval(row) : null;
        };
    }

    // ------------------------------------------------------------------ regexp_like

    private static Compiled regexpLike(Call c, List<Compiled> args) {
        List<Expr> exprs = c.args();
        boolean constant = exprs.get(1) instanceof Literal re && re.value() instanceof String
                && (exprs.size() < 3 || exprs.get(2) instanceof Literal f && f.value() instanceof String);
        Pattern fixed = null;
        if (constant) {
            String flags = exprs.size() < 3 ? "" : (String) ((Literal) exprs.get(2)).value();
            fixed = regex((String) ((Literal) exprs.get(1)).value(), flags, ErrorCode.QUERY_COMPILATION);
        }
        if (args.isEmpty()) {
            return null;
        }
        Pattern pattern = fixed;
        Compiled subject = args.get(0);
        Compiled re = args.get(1);
        Compiled flags = args.size() > 2 ? args.get(2) : null;
        Map<String, Pattern> cache = new ConcurrentHashMap<>();
        return row -> {
            Object s = subject.eval(row);
            if (s == Missing.INSTANCE) {
                return Missing.INSTANCE;
            }
            Pattern p = pattern;
            if (p == null) {
                Object r = re.eval(row);
                Object f = flags == null ? "" : flags.eval(row);
                if (r == Missing.INSTANCE || f == Missing.INSTANCE) {
                    return Missing.INSTANCE;
                }
                if (!(r instanceof String rs) || !(f instanceof String fs)) {
                    return null;
                }
                if (cache.size() > 64) {
                    cache.clear();
                }
                p = cache.computeIfAbsent(fs + "/" + rs, k -> regex(rs, fs, ErrorCode.QUERY_EXECUTION));
            }
            if (!(s instanceof String str)) {
                return null;
            }
            return BoundedText.match(p, str, false, "regexp_like");
        };
    }

    /** Compiles a regular expression with flags i, m, s, x, c (c undoes i). */
    static Pattern regex(String re, String flags, ErrorCode code) {
        int f = 0;
        for (int i = 0; i < flags.length(); i++) {
            switch (flags.charAt(i)) {
                case 'i':
                    f |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                    break;
                case 'c':
                    f &= ~(Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                    break;
                case 'm':
                    f |= Pattern.MULTILINE;
                    break;
                case 's':
                    f |= Pattern.DOTALL;
                    break;
                case 'x':
                    f |= Pattern.COMMENTS;
                    break;
                default:
                    throw new DittoException(code, "regexp_like: unknown flag '" + Lexer.abbreviate(flags.substring(i, i + 1))
                            + "' (expected i, m, s, x or c)");
            }
        }
        try {
            return Pattern.compile(re, f);
        } catch (PatternSyntaxException | StackOverflowError e) {
            throw new DittoException(code, "regexp_like: invalid regular expression '" + Lexer.abbreviate(re) + "': "
                    + (e instanceof PatternSyntaxException p ? p.getDescription() : "too deeply nested"));
        }
    }
}
