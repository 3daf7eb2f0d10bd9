package ditto.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Package-private reader of one JSON object (a decoded {@code Map<String, Object>}) into typed
 * fields, used by the {@code fromJson}/{@code fromCbor} methods of this package's value types.
 *
 * <p>Every error is a {@link DittoException} with the code given at construction and a message
 * {@code "<what>: <path> must be <type>, not <found>"}, where the path is dotted from the root
 * ({@code listen.tcp.port}). It remembers which keys were read so that
 * {@link #rejectUnknownKeys()} can name a misspelt one. Single-threaded, short-lived.
 */
final class JsonFields {
    private final Map<?, ?> map;
    private final String what;
    private final String path;
    private final ErrorCode code;
    private final Set<String> read = new HashSet<>();

    private JsonFields(Map<?, ?> map, String what, String path, ErrorCode code) {
        this.map = map;
        this.what = what;
        this.path = path;
        this.code = code;
    }

    /**
     * Wraps a decoded root value that must be an object.
     *
     * @param value the decoded value
     * @param what names the document in messages ("invalid transport config")
     * @param code the error code of every failure
     */
    static JsonFields root(Object value, String what, ErrorCode code) {
        if (!(value instanceof Map)) {
            throw new DittoException(code, what + ": the document must be an object, not " + describe(value));
        }
        return new JsonFields((Map<?, ?>) value, what, "", code);
    }

    private String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    DittoException error(String key, String message) {
        return new DittoException(code, what + ": " + pathOf(key) + " " + message);
    }

    private Object get(String key) {
        read.add(key);
        return map.get(key);
    }

    boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    private DittoException wrongType(String key, String expected, Object found) {
        return error(key, "must be " + expected + ", not " + describe(found));
    }

    boolean bool(String key, boolean absent) {
        Object v = get(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Boolean)) {
            throw wrongType(key, "a boolean", v);
        }
        return (Boolean) v;
    }

    long integer(String key, long absent) {
        Object v = get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Double && (Double) v == Math.rint((Double) v) && Math.abs((Double) v) < 0x1p53) {
            return ((Double) v).longValue();
        }
        throw wrongType(key, "an integer", v);
    }

    String string(String key, String absent) {
        Object v = get(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof String)) {
            throw wrongType(key, "a string", v);
        }
        return (String) v;
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null) {
            throw error(key, "is missing");
        }
        return s;
    }

    ConnectionType connectionType(String key) {
        String wire = requiredString(key);
        for (ConnectionType type : ConnectionType.values()) {
            if (type.wireName().equals(wire)) {
                return type;
            }
        }
        throw error(key, "is not a known connection type: \"" + wire + "\"");
    }

    List<String> strings(String key) {
        List<Object> list = list(key);
        List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String)) {
                throw error(key + "[" + i + "]", "must be a string, not " + describe(list.get(i)));
            }
            strings.add((String) list.get(i));
        }
        return strings;
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String key) {
        Object v = get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List)) {
            throw wrongType(key, "an array", v);
        }
        return (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key) {
        Object v = get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw wrongType(key, "an object", v);
        }
        return (Map<String, Object>) v;
    }

    /** Returns the nested object under {@code key}; an absent or null one reads as empty. */
    JsonFields object(String key) {
        return new JsonFields(map(key), what, pathOf(key), code);
    }

    /** Returns a reader for element {@code index} of the array under {@code key}, which must be an object. */
    JsonFields element(String key, List<Object> list, int index) {
        Object v = list.get(index);
        String elementPath = pathOf(key) + "[" + index + "]";
        if (!(v instanceof Map)) {
            throw new DittoException(code, what + ": " + elementPath + " must be an object, not " + describe(v));
        }
        return new JsonFields((Map<?, ?>) v, what, elementPath, code);
    }

    /** Fails if the object has a key no getter asked for. */
    void rejectUnknownKeys() {
        for (Object key : map.keySet()) {
            if (!read.contains(key)) {
                throw new DittoException(code, what + ": unknown key " + pathOf(String.valueOf(key)));
            }
        }
    }

    /** Names the JSON type of a decoded value for messages. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof byte[]) {
            return "a byte string";
        }
        return value.getClass().getSimpleName();
    }
}
