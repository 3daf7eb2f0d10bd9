package ditto.engine.crdt;

import ditto.api.AttachmentToken;
import ditto.api.AttachmentTokenLike;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Internal: validation, normalization and comparison of JSON-model values.
 *
 * <p>A <em>normalized</em> value is one of: {@code null}, {@link Boolean}, {@link Long},
 * finite {@link Double}, {@link BigInteger} (only outside the long range), {@link BigDecimal},
 * {@link String}, {@code byte[]}, an unmodifiable {@link List} of normalized values, or an
 * unmodifiable {@link Map} with String keys in ascending {@link String#compareTo} order and
 * normalized values. The CRDT stores only normalized values, shares them freely (they are never
 * mutated; {@code byte[]} leaves are copied on the way in) and encodes them canonically.
 */
final class JsonValues {
    private JsonValues() {
    }

    /**
     * Validates and normalizes a value supplied by a caller.
     *
     * @param value the value
     * @param path where the value goes, for error messages
     * @param level the nesting level of the container holding the value (the document is level 1)
     * @throws DittoException {@code INVALID_ARGUMENTS} naming the path for a non-finite number, an
     *     unsupported type, a non-string key or nesting beyond {@link CrdtDocument#MAX_DEPTH}
     */
    static Object normalize(Object value, String path, int level) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof String) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "value at " + path + ": number " + d + " is not finite");
            }
            return d;
        }
        if (value instanceof BigInteger bi) {
            return normalizeBigInteger(bi);
        }
        if (value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof AttachmentTokenLike token) {
            return normalize(token.toToken().toMap(), path, level);
        }
        if (value instanceof Map<?, ?> map) {
            checkLevel(path, level + 1);
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                            "value at " + path + ": object key " + e.getKey() + " is not a string");
                }
                sorted.put(key, normalize(e.getValue(), path + "." + key, level + 1));
            }
            return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
        }
        if (value instanceof List<?> list) {
            checkLevel(path, level + 1);
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(normalize(list.get(i), path + "[" + i + "]", level + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "value at " + path + ": unsupported type "
                + value.getClass().getName() + " (allowed: null, Boolean, Long, Double, BigInteger, BigDecimal, String, byte[], List, Map)");
    }

    static void checkLevel(String path, int level) {
        if (level > CrdtDocument.MAX_DEPTH) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "value at " + path + ": nesting deeper than " + CrdtDocument.MAX_DEPTH + " levels");
        }
    }

    static Object normalizeBigInteger(BigInteger bi) {
        return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
    }

    /** Returns the number of container levels in a normalized value (0 for a scalar). */
    static int depth(Object v) {
        int max = 0;
        if (v instanceof Map<?, ?> map) {
            for (Object e : map.values()) {
                max = Math.max(max, depth(e));
            }
            return max + 1;
        }
        if (v instanceof List<?> list) {
            for (Object e : list) {
                max = Math.max(max, depth(e));
            }
            return max + 1;
        }
        return 0;
    }

    /** Returns whether the normalized value is an attachment token (an object carrying the marker key). */
    static boolean isAttachmentToken(Object v) {
        return v instanceof Map<?, ?> map && map.containsKey(AttachmentToken.MARKER_KEY);
    }

    /** Structural equality of normalized values; {@code byte[]} leaves compare by content. */
    static boolean equal(Object a, Object b) {
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
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
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
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /**
     * A total order on normalized values (by canonical encoding), used only to pick one value
     * deterministically when two states hold different values under the same dot (INITIAL data).
     */
    static int compare(Object a, Object b) {
        if (equal(a, b)) {
            return 0;
        }
        return Arrays.compareUnsigned(encode(a), encode(b));
    }

    static byte[] encode(Object v) {
        return Cbor.write("value", gen -> Cbor.writeValue(gen, v));
    }

    /** Returns a deep copy whose {@code byte[]} leaves are fresh arrays; other parts are shared. */
    static Object copyBytes(Object v) {
        if (v instanceof byte[] b) {
            return b.clone();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, e) -> copy.put((String) k, copyBytes(e)));
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(e -> copy.add(copyBytes(e)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}
