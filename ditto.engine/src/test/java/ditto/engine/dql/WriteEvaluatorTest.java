package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Statement.ApplyOp;
import ditto.engine.dql.WriteEvaluator.Counter;
import ditto.engine.dql.WriteEvaluator.FieldMutation;
import ditto.engine.dql.WriteEvaluator.SetValue;
import ditto.engine.dql.WriteEvaluator.Unset;

class WriteEvaluatorTest {

    private static WriteEvaluator update(String text) {
        return WriteEvaluator.of((Statement.Update) Dql.parse(text));
    }

    @Test
    void computesEverySetFromTheDocumentBeforeTheUpdate() {
        List<FieldMutation> m = update("UPDATE c SET a = b, b = a, n = n + 1").mutations(Map.of("a", 1L, "b", 2L, "n", 10L), EvalContext.empty());
        assertEquals(List.of(new SetValue(List.of("a"), 2L), new SetValue(List.of("b"), 1L), new SetValue(List.of("n"), 11L)), m);
    }

    @Test
    void turnsASetToMissingIntoAnUnset() {
        assertEquals(List.of(new Unset(List.of("a", "b"))), update("UPDATE c SET a.b = nope").mutations(Map.of(), EvalContext.empty()));
    }

    @Test
    void givesCounterOperationsWithTheirAmounts() {
        List<FieldMutation> m = update("UPDATE c APPLY a INCREMENT BY :big, b RESTART, c PN_INCREMENT BY 0.5")
                .mutations(Map.of(), EvalContext.of(Map.of("big", new BigInteger("100000000000000000000"))));
        assertEquals(List.of(new Counter(List.of("a"), ApplyOp.INCREMENT, new BigInteger("100000000000000000000")),
                new Counter(List.of("b"), ApplyOp.RESTART, 0L), new Counter(List.of("c"), ApplyOp.PN_INCREMENT, 0.5)), m);
    }

    @Test
    void rejectsANonNumericAmount() {
        DittoException e = assertThrows(DittoException.class,
                () -> update("UPDATE c APPLY a INCREMENT BY x").mutations(Map.of("x", "1"), EvalContext.empty()));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals("APPLY a INCREMENT: the amount must be a finite number, got string", e.getMessage());
    }

    @Test
    void rejectsAnIdPathInATreeBuiltInCode() {
        Statement.Update u = new Statement.Update(new Statement.CollectionRef("c", List.of()), List.of(),
                List.of(new Statement.SetItem(new Expr.Field("_id"), new Expr.Literal(1L))), List.of(), null, List.of(), null, null);
        DittoException e = assertThrows(DittoException.class, () -> WriteEvaluator.of(u));
        assertEquals(ErrorCode.QUERY_COMPILATION, e.code());
        assertEquals("UPDATE: _id is immutable", e.getMessage());
    }

    @Test
    void evaluatesInsertDocumentsWithBinaryArguments() {
        List<Map<String, Object>> docs = WriteEvaluator.insertDocuments(
                (Statement.Insert) Dql.parse("INSERT INTO c DOCUMENTS ({'_id': :id, 'blob': :b}), (:whole)"),
                EvalContext.of(Map.of("id", Map.of("site", "s", "n", 1), "b", new byte[] {9}, "whole", Map.of("x", 1))));
        assertEquals(Map.of("site", "s", "n", 1L), docs.get(0).get("_id"));
        assertArrayEquals(new byte[] {9}, (byte[]) docs.get(0).get("blob"));
        assertEquals(Map.of("x", 1L), docs.get(1));
    }
}
