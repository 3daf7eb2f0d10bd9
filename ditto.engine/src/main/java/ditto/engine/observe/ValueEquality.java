package ditto.engine.observe;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Internal: whether two JSON-model values look the same to an application, used to skip
 * deliveries whose result did not change. Maps compare by key set and values (key order
 * ignored), lists element-wise, byte arrays by content, everything else with {@code equals}
 * (so {@code 2L} and {@code 2.0} differ: the JSON the application sees differs). Stateless.
 */
final class ValueEquality {

    private ValueEquality() {
    }

    /** Returns whether two row lists are equal element by element. */
    static boolean sameRows(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether two JSON-model values are equal as described in the class comment. */
    static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof byte[] x) {
            return b instanceof byte[] y && Arrays.equals(x, y);
        }
        if (a instanceof Map<?, ?> ma) {
            if (!(b instanceof Map<?, ?> mb) || ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                Object other = mb.get(e.getKey());
                if (other == null && !mb.containsKey(e.getKey()) || !same(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la) {
            if (!(b instanceof List<?> lb) || la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }
}
