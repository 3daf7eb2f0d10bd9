package ditto.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Package-private helper for the value types of this package that hold JSON-model values
 * ({@code null}, {@link Boolean}, {@link Long}, {@link Double}, {@link BigInteger},
 * {@link BigDecimal}, {@link String}, {@code byte[]}, {@code List<Object>},
 * {@code Map<String, Object>}).
 *
 * <p>Invariants of what {@link #freeze} returns: every map and list is unmodifiable and keeps the
 * source's iteration order, every map key is a String, smaller integral types are widened to Long
 * and Float to Double, and no number is NaN or infinite. {@code byte[]} leaves stay mutable arrays
 * (Java has no immutable array), so holders hand out {@link #copy} results, never frozen trees.
 */
final class JsonModelValues {
    private static final int MAX_DEPTH = 64;

    private JsonModelValues() {
    }

    /**
     * Validates and deep-copies a JSON-model map into an unmodifiable tree.
     *
     * @param map the source map, never null
     * @param code the error code to throw on an unsupported value
     * @param what names the value in error messages ("experimental config", "attachment metadata")
     */
    static Map<String, Object> freezeMap(Map<?, ?> map, ErrorCode code, String what) {
        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) freeze(map, code, what, 0);
        return frozen;
    }

    /** Validates and deep-copies one JSON-model value; see {@link #freezeMap}. */
    static Object freeze(Object value, ErrorCode code, String what, int depth) {
        if (depth > MAX_DEPTH) {
            throw new DittoException(code, what + ": nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof String
                || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new DittoException(code, what + ": number " + d + " is not finite");
            }
            return d;
        }
        if (value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new DittoException(code, what + ": map key " + e.getKey() + " is not a string");
                }
                copy.put(key, freeze(e.getValue(), code, what, depth + 1));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(freeze(element, code, what, depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new DittoException(code, what + ": unsupported value type " + value.getClass().getName()
                + " (allowed: null, Boolean, Long, Double, BigInteger, BigDecimal, String, byte[], List, Map)");
    }

    /** Deep-copies an already frozen tree, so callers get fresh {@code byte[]} leaves. */
    static Map<String, Object> copyMap(Map<String, Object> frozen) {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) copy((Object) frozen);
        return copy;
    }

    private static Object copy(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof Map<?, ?> map) {
            if (!containsBytes(map)) {
                return map;
            }
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            map.forEach((k, v) -> copy.put((String) k, copy(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            if (!containsBytes(list)) {
                return list;
            }
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(copy(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    private static boolean containsBytes(Object value) {
        if (value instanceof byte[]) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                if (containsBytes(v)) {
                    return true;
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                if (containsBytes(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Structural equality that compares {@code byte[]} leaves by content. */
    static boolean deepEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!deepEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Hash code consistent with {@link #deepEquals}. */
    static int deepHashCode(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof byte[] bytes) {
            return Arrays.hashCode(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            int h = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                h += e.getKey().hashCode() ^ deepHashCode(e.getValue());
            }
            return h;
        }
        if (value instanceof List<?> list) {
            int h = 1;
            for (Object v : list) {
                h = 31 * h + deepHashCode(v);
            }
            return h;
        }
        return value.hashCode();
    }

    /**
     * Renders a value for {@code toString()}: like {@link Map#toString()}, but byte arrays print
     * as {@code <n bytes>} and strings are quoted.
     */
    static String describe(Object value) {
        StringBuilder sb = new StringBuilder();
        describe(value, sb);
        return sb.toString();
    }

    private static void describe(Object value, StringBuilder sb) {
        if (value instanceof byte[] bytes) {
            sb.append('<').append(bytes.length).append(" bytes>");
        } else if (value instanceof String s) {
            sb.append('"').append(s).append('"');
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(e.getKey()).append('=');
                describe(e.getValue(), sb);
            }
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                describe(list.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(value);
        }
    }

    /**
     * Merges query-argument maps in order, later keys replacing earlier ones; null values (JSON
     * null) are kept. The result is a new mutable map the caller owns.
     *
     * @throws NullPointerException if the array or one of its maps is null
     */
    static Map<String, Object> mergeArguments(Map<String, ?>[] maps) {
        java.util.Objects.requireNonNull(maps, "args");
        Map<String, Object> merged = new LinkedHashMap<>();
        for (int i = 0; i < maps.length; i++) {
            java.util.Objects.requireNonNull(maps[i], () -> "query argument map is null");
            merged.putAll(maps[i]);
        }
        return merged;
    }
}
