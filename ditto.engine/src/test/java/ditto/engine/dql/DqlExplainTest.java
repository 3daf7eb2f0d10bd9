package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DqlExplainTest {

    private static Statement explained(String text) {
        return ((Statement.Explain) Dql.parse(text)).statement();
    }

    @Test
    void namesTheIndexAndTheConditionItAnswers() {
        Statement s = explained("EXPLAIN SELECT make FROM cars WHERE color = 'red' AND year > 2000 ORDER BY year DESC LIMIT 5");
        Map<String, Object> plan = DqlExplain.plan(s, DqlExplain.AccessPath.index("by_color", List.of("color"), Dql.parseExpression("color = 'red'")));
        assertEquals("index scan", plan.get("access"));
        assertEquals("by_color", plan.get("index"));
        assertEquals(List.of(
                Map.of("op", "index scan", "collection", "cars", "index", "by_color", "path", List.of("color"), "condition", "color = 'red'"),
                Map.of("op", "filter", "condition", "color = 'red' AND year > 2000"),
                Map.of("op", "order", "by", List.of("year DESC"), "method", "top-k heap"),
                Map.of("op", "projection", "items", List.of("make")),
                Map.of("op", "limit", "count", "5")), plan.get("plan"));
    }

    @Test
    void describesGroupingAndWrites() {
        Map<String, Object> group = DqlExplain.plan(explained("EXPLAIN SELECT make, count(*) FROM cars GROUP BY make HAVING count(*) > 1"), null);
        assertEquals(Map.of("op", "group", "by", List.of("make")), ((List<?>) group.get("plan")).get(1));
        assertEquals(Map.of("op", "having", "condition", "count(*) > 1"), ((List<?>) group.get("plan")).get(2));
        Map<String, Object> update = DqlExplain.plan(explained("EXPLAIN UPDATE cars APPLY n INCREMENT BY 1 SET a = 1 UNSET b"), null);
        assertEquals(Map.of("op", "update", "changes", List.of("APPLY n INCREMENT 1", "SET a = 1", "UNSET b")),
                ((List<?>) update.get("plan")).get(1));
        Map<String, Object> insert = DqlExplain.plan(explained("EXPLAIN INSERT INTO cars DOCUMENTS ({}), ({}) ON ID CONFLICT DO NOTHING"), null);
        assertEquals(List.of(Map.of("op", "insert", "documents", 2L, "on_conflict", "DO_NOTHING")), insert.get("plan"));
    }
}
