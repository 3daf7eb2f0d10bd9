package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class DocumentSelectorTest {

    private static final List<Map<String, Object>> DOCS = List.of(
            Map.of("_id", 1L, "v", 3L), Map.of("_id", 2L, "v", 1L), Map.of("_id", 3L, "v", 2L), Map.of("_id", 4L));

    private static List<Object> ids(DocumentSelector selector, EvalContext ctx) {
        List<Object> ids = new ArrayList<>();
        selector.select(DOCS.iterator(), ctx).forEachRemaining(d -> ids.add(d.get("_id")));
        return ids;
    }

    @Test
    void selectsInOrderAfterOffsetUpToLimit() {
        Statement.Delete d = (Statement.Delete) Dql.parse("DELETE FROM c WHERE v IS NOT MISSING ORDER BY v DESC LIMIT :n OFFSET 1");
        assertEquals(List.of(3L, 2L), ids(DocumentSelector.of(d), EvalContext.of(Map.of("n", 5))));
    }

    @Test
    void selectsEveryDocumentWithoutConditions() {
        Statement.Evict e = (Statement.Evict) Dql.parse("EVICT FROM c");
        assertEquals(List.of(1L, 2L, 3L, 4L), ids(DocumentSelector.of(e), EvalContext.empty()));
    }

    @Test
    void rejectsAggregatesInTreesBuiltInCode() {
        Expr count = new Expr.Call("count", List.of(), false, true);
        DittoException e = assertThrows(DittoException.class,
                () -> DocumentSelector.of(new Expr.Binary(Expr.BinaryOp.GT, count, new Expr.Literal(1L)), List.of(), null, null));
        assertEquals(ErrorCode.QUERY_COMPILATION, e.code());
    }
}
