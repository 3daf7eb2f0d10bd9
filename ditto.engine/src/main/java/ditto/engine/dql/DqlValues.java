package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Type names, equality and the total order of DQL values: the JSON model ({@code null},
 * {@link Boolean}, {@link Number} — Long, Double, BigInteger, BigDecimal, and narrower boxed
 * types —, {@link String}, {@code byte[]}, {@link List}, {@link Map}) plus {@link Missing}.
 *
 * <p>Numbers compare by value whatever their Java type ({@code 2 = 2.0}). The total order used
 * by ORDER BY is: boolean (false &lt; true) &lt; number &lt; binary (unsigned bytes, then length)
 * &lt; string (by Unicode code point) &lt; array (element-wise, then length) &lt; object (entries
 * sorted by key, compared key then value, then size) &lt; null &lt; missing. Stateless and
 * thread-safe.
 */
public final class DqlValues {

    /** The ascending total order of DQL values (see the class comment). */
    public static final Comparator<Object> ORDER = DqlValues::compare;

    private static final int BOOLEAN = 0;
    private static final int NUMBER = 1;
    private static final int BINARY = 2;
    private static final int STRING = 3;
    private static final int ARRAY = 4;
    private static final int OBJECT = 5;
    private static final int NULL = 6;
    private static final int MISSING = 7;

    private static final long DOUBLE_EXACT = 1L << 53;

    private DqlValues() {
    }

    /**
     * Returns the DQL type name: {@code null}, {@code boolean}, {@code number}, {@code binary},
     * {@code string}, {@code array}, {@code object}, or {@code missing} for {@link Missing}.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for a value outside the model
     */
    public static String typeName(Object v) {
        switch (rank(v)) {
            case BOOLEAN:
                return "boolean";
            case NUMBER:
                return "number";
            case BINARY:
                return "binary";
            case STRING:
                return "string";
            case ARRAY:
                return "array";
            case OBJECT:
                return "object";
            case NULL:
                return "null";
            default:
                return "missing";
        }
    }

    /** Returns the position of the value's type in the total order (boolean 0 … missing 7). */
    static int rank(Object v) {
        if (v == null) {
            return NULL;
        } else if (v instanceof String) {
            return STRING;
        } else if (v instanceof Number) {
            return NUMBER;
        } else if (v instanceof Boolean) {
            return BOOLEAN;
        } else if (v instanceof Map) {
            return OBJECT;
        } else if (v instanceof List) {
            return ARRAY;
        } else if (v instanceof byte[]) {
            return BINARY;
        } else if (v == Missing.INSTANCE) {
            return MISSING;
        }
        throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                "DQL value: " + v.getClass().getName() + " is not a JSON-model value");
    }

    /** Returns whether {@code v} is a number. */
    public static boolean isNumber(Object v) {
        return v instanceof Number;
    }

    /** Returns whether {@code v} is null or MISSING. */
    public static boolean isUnknown(Object v) {
        return v == null || v == Missing.INSTANCE;
    }

    /**
     * Compares two values in the total order described in the class comment.
     *
     * @return negative, zero or positive as {@code a} sorts before, with, or after {@code b}
     */
    public static int compare(Object a, Object b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return compareSameRank(ra, a, b);
    }

    /** Compares two values of the same type rank. */
    static int compareSameRank(int rank, Object a, Object b) {
        switch (rank) {
            case BOOLEAN:
                return Boolean.compare((Boolean) a, (Boolean) b);
            case NUMBER:
                return compareNumbers((Number) a, (Number) b);
            case BINARY:
                return compareBytes((byte[]) a, (byte[]) b);
            case STRING:
                return compareStrings((String) a, (String) b);
            case ARRAY:
                return compareLists((List<?>) a, (List<?>) b);
            case OBJECT:
                return compareMaps((Map<?, ?>) a, (Map<?, ?>) b);
            default:
                return 0;
        }
    }

    /** Compares two numbers by value, exactly, whatever their Java types. */
    public static int compareNumbers(Number a, Number b) {
        boolean ia = isIntegral(a);
        boolean ib = isIntegral(b);
        if (ia && ib) {
            return Long.compare(a.longValue(), b.longValue());
        }
        boolean da = a instanceof Double || a instanceof Float;
        boolean db = b instanceof Double || b instanceof Float;
        if ((da || ia && Math.abs(a.longValue()) <= DOUBLE_EXACT) && (db || ib && Math.abs(b.longValue()) <= DOUBLE_EXACT)) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return x < y ? -1 : x > y ? 1 : Double.isNaN(x) || Double.isNaN(y) ? Double.compare(x, y) : 0;
        }
        if (da && !Double.isFinite(a.doubleValue()) || db && !Double.isFinite(b.doubleValue())) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return toBigDecimal(a).compareTo(toBigDecimal(b));
    }

    /** Returns whether {@code n} is a Long, Integer, Short or Byte. */
    static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    static BigDecimal toBigDecimal(Number n) {
        if (n instanceof BigDecimal b) {
            return b;
        } else if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        } else if (isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(n.doubleValue());
    }

    /** Compares strings by Unicode code point (not UTF-16 unit). */
    public static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int compareBytes(byte[] a, byte[] b) {
        int c = Arrays.compareUnsigned(a, b);
        return Integer.signum(c);
    }

    private static int compareLists(List<?> a, List<?> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareMaps(Map<?, ?> a, Map<?, ?> b) {
        List<String> ka = sortedKeys(a);
        List<String> kb = sortedKeys(b);
        int n = Math.min(ka.size(), kb.size());
        for (int i = 0; i < n; i++) {
            int c = compareStrings(ka.get(i), kb.get(i));
            if (c != 0) {
                return c;
            }
            c = compare(a.get(ka.get(i)), b.get(kb.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ka.size(), kb.size());
    }

    /** Returns the keys of a map sorted by code point. */
    static List<String> sortedKeys(Map<?, ?> m) {
        List<String> keys = new ArrayList<>(m.size());
        for (Object k : m.keySet()) {
            keys.add(String.valueOf(k));
        }
        keys.sort(DqlValues::compareStrings);
        return keys;
    }

    /**
     * Returns whether two values are equal as DQL values: same type, numbers by value, bytes by
     * content, arrays element-wise, objects by key set and values (order ignored). Null equals
     * null and MISSING equals MISSING here (as for DISTINCT and GROUP BY); the {@code =}
     * operator instead yields NULL for them.
     */
    public static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        int ra = rank(a);
        if (ra != rank(b)) {
            return false;
        }
        switch (ra) {
            case NUMBER:
                return compareNumbers((Number) a, (Number) b) == 0;
            case BINARY:
                return Arrays.equals((byte[]) a, (byte[]) b);
            case ARRAY: {
                List<?> la = (List<?>) a;
                List<?> lb = (List<?>) b;
                if (la.size() != lb.size()) {
                    return false;
                }
                for (int i = 0; i < la.size(); i++) {
                    if (!equal(la.get(i), lb.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case OBJECT: {
                Map<?, ?> ma = (Map<?, ?>) a;
                Map<?, ?> mb = (Map<?, ?>) b;
                if (ma.size() != mb.size()) {
                    return false;
                }
                for (Map.Entry<?, ?> e : ma.entrySet()) {
                    if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return a != null && a.equals(b);
        }
    }

    /** Returns a hash code consistent with {@link #equal(Object, Object)}. */
    public static int hash(Object v) {
        switch (rank(v)) {
            case NUMBER:
                return hashNumber((Number) v);
            case BINARY:
                return Arrays.hashCode((byte[]) v);
            case ARRAY: {
                int h = 1;
                for (Object e : (List<?>) v) {
                    h = h * 31 + hash(e);
                }
                return h;
            }
            case OBJECT: {
                int h = 0;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    h += e.getKey().hashCode() ^ hash(e.getValue());
                }
                return h;
            }
            case NULL:
                return 0;
            default:
                return v.hashCode();
        }
    }

    /**
     * Hashes a number so that equal values hash equally whatever their type: whole numbers in
     * the long range by their long value, other doubles by their bits, everything else by the
     * trailing-zero-free BigDecimal (never by an expanded BigInteger, so a hostile
     * {@code 1E+999999999} costs nothing).
     */
    private static int hashNumber(Number n) {
        if (isIntegral(n)) {
            return Long.hashCode(n.longValue());
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                return Double.hashCode(d);
            }
            if (d == Math.rint(d)) {
                if (d >= -0x1p63 && d < 0x1p63) {
                    return Long.hashCode((long) d);
                }
                return new BigDecimal(d).stripTrailingZeros().hashCode();
            }
            return Double.hashCode(d);
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64 ? Long.hashCode(b.longValue()) : new BigDecimal(b).stripTrailingZeros().hashCode();
        }
        BigDecimal stripped = toBigDecimal(n).stripTrailingZeros();
        if (stripped.scale() <= 0) {
            if (stripped.precision() - stripped.scale() <= 19) {
                try {
                    return Long.hashCode(stripped.longValueExact());
                } catch (ArithmeticException beyondLong) {
                    return stripped.hashCode();
                }
            }
            return stripped.hashCode();
        }
        double d = stripped.doubleValue();
        if (Double.isFinite(d) && new BigDecimal(d).compareTo(stripped) == 0) {
            return Double.hashCode(d);
        }
        return stripped.hashCode();
    }

    /**
     * Wraps a value so that it can be a hash key with DQL equality ({@link #equal}, {@link #hash}),
     * as DISTINCT and GROUP BY need.
     */
    public static Object key(Object v) {
        return new Key(v);
    }

    private static final class Key {
        private final Object value;
        private final int hash;

        Key(Object value) {
            this.value = value;
            this.hash = hash(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && equal(value, k.value);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
