package ditto.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ditto.api.spi.auth.Permissions;

/**
 * Helpers shared by the token and webhook providers: reading typed members of a parsed JSON
 * object and mapping a {@code permissions} object to {@link Permissions}.
 *
 * <p>Role and invariants: stateless; every failure is an {@link IllegalArgumentException} whose
 * message names the offending member, which the verifiers turn into a denial reason.
 */
final class Claims {
    private Claims() {
    }

    /**
     * Maps {@code {"read": {coll: true|false|[idQuery...]}, "write": {...}}} to permissions; a
     * missing (or null) object means {@link Permissions#everything()}. {@code true} allows the whole
     * collection, {@code false} nothing, an array of strings the documents matching any of the
     * queries; collection {@code "*"} is the default for collections not named.
     */
    static Permissions permissions(Object value, String where) {
        if (value == null) {
            return Permissions.everything();
        }
        Map<String, Object> object = object(value, where);
        for (String key : object.keySet()) {
            if (!key.equals("read") && !key.equals("write")) {
                throw new IllegalArgumentException(where + " has unknown member '" + key + "'; expected read and write");
            }
        }
        Permissions permissions = new Permissions(rules(object.get("read"), where + ".read"),
                rules(object.get("write"), where + ".write"));
        if (permissions.read().isEmpty() && permissions.write().isEmpty()) {
            throw new IllegalArgumentException(where + " allows nothing");
        }
        return permissions;
    }

    private static Map<String, Permissions.Rule> rules(Object value, String where) {
        Map<String, Permissions.Rule> rules = new LinkedHashMap<>();
        if (value == null) {
            return rules;
        }
        for (Map.Entry<String, Object> entry : object(value, where).entrySet()) {
            String at = where + "." + entry.getKey();
            Object rule = entry.getValue();
            if (Boolean.TRUE.equals(rule)) {
                rules.put(entry.getKey(), Permissions.Rule.everything());
            } else if (Boolean.FALSE.equals(rule)) {
                continue;
            } else if (rule instanceof List<?> list) {
                for (Object query : list) {
                    if (!(query instanceof String text) || text.isBlank()) {
                        throw new IllegalArgumentException(at + " must hold non-blank query strings");
                    }
                }
                if (!list.isEmpty()) {
                    rules.put(entry.getKey(), Permissions.Rule.matching(list.stream().map(String.class::cast).toList()));
                }
            } else {
                throw new IllegalArgumentException(at + " must be true, false or an array of queries");
            }
        }
        return rules;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String where) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + " must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    static Map<String, Object> optionalObject(Object value, String where) {
        return value == null ? Map.of() : object(value, where);
    }

    /** The largest magnitude accepted by {@link #seconds}: the end of year 9999 in epoch seconds. */
    static final long MAX_SECONDS = 253_402_300_799L;

    /**
     * Returns a whole number of seconds of magnitude at most {@link #MAX_SECONDS}, so that any
     * instant computed from it stays representable; a fraction or a larger value is refused.
     */
    static long seconds(Object value, String where) {
        if (value instanceof Long number && Math.abs(number) <= MAX_SECONDS) {
            return number;
        }
        if (value instanceof Double number && number == Math.rint(number) && Math.abs(number) <= MAX_SECONDS) {
            return number.longValue();
        }
        throw new IllegalArgumentException(where + " must be a whole number of seconds up to " + MAX_SECONDS);
    }

    static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
