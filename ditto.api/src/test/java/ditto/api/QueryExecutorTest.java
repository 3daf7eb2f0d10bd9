package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QueryExecutorTest {
    private final List<Map<String, ?>> received = new ArrayList<>();
    private final QueryExecutor executor = (dql, args) -> {
        received.add(args);
        return new TestQueryResult(List.of());
    };

    @Test
    void noArgumentOverloadPassesEmptyMap() {
        executor.execute("SELECT * FROM c");
        assertEquals(List.of(Map.of()), received);
    }

    @Test
    @SuppressWarnings("unchecked")
    void severalMapsAreMergedLaterWinsNullsKept() {
        Map<String, Object> first = new HashMap<>();
        first.put("a", 1L);
        first.put("b", 1L);
        Map<String, Object> second = new HashMap<>();
        second.put("b", 2L);
        second.put("n", null);
        executor.execute("SELECT * FROM c WHERE a = :a", first, second);
        Map<String, ?> merged = received.get(0);
        assertEquals(1L, merged.get("a"));
        assertEquals(2L, merged.get("b"));
        assertTrue(merged.containsKey("n"));
        assertEquals(3, merged.size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void nullMapInVarargsIsRejected() {
        assertThrows(NullPointerException.class, () -> executor.execute("SELECT 1", Map.of(), null));
    }
}
