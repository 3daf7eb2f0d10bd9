package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class DqlTest {

    @Test
    void givesTheConstantPathOfAnExpression() {
        assertEquals(Optional.of(List.of("a", "b", "c d", 0)), Dql.fieldPath(Dql.parseExpression("a.b['c d'][0]")));
        assertEquals(Optional.of(List.of("_id", "site")), Dql.fieldPath(Dql.parseExpression("_id.site")));
        assertTrue(Dql.fieldPath(Dql.parseExpression("a[:i]")).isEmpty());
        assertTrue(Dql.fieldPath(Dql.parseExpression("a[-1]")).isEmpty());
        assertTrue(Dql.fieldPath(Dql.parseExpression("lower(a).b")).isEmpty());
    }

    @Test
    void splitsAConditionIntoItsConjuncts() {
        List<Expr> parts = Dql.conjuncts(Dql.parseExpression("a = 1 AND (b = 2 AND c = 3) AND (d = 4 OR e = 5)"));
        assertEquals(List.of(Dql.parseExpression("a = 1"), Dql.parseExpression("b = 2"), Dql.parseExpression("c = 3"),
                Dql.parseExpression("d = 4 OR e = 5")), parts);
        assertEquals(List.of(), Dql.conjuncts(null));
    }

    @Test
    void listsTheParametersOfAStatementInOrderOfUse() {
        Statement s = Dql.parse("UPDATE c APPLY n INCREMENT BY :by SET a = :v, b = :v WHERE x = :x ORDER BY y LIMIT :n");
        assertEquals(List.of("by", "v", "x", "n"), List.copyOf(Dql.parameters(s)));
        assertEquals(List.of("a"), List.copyOf(Dql.parameters(Dql.parse("EXPLAIN SELECT * FROM c WHERE x = :a"))));
    }

    @Test
    void acceptsOnlySelectForObserversAndSubscriptions() {
        Dql.requireSelect(Dql.parse("SELECT * FROM c"), "registerObserver");
        DittoException e = assertThrows(DittoException.class,
                () -> Dql.requireSelect(Dql.parse("DELETE FROM c"), "registerSubscription"));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertEquals("registerSubscription: only SELECT statements are allowed, not DELETE", e.getMessage());
        assertThrows(DittoException.class, () -> Dql.requireSelect(Dql.parse("EXPLAIN SELECT * FROM c"), "observer"));
    }

    @Test
    void evaluatesAgainstADocumentOrNone() {
        assertEquals(3L, Dql.evaluate(Dql.parseExpression("a + 1"), Map.of("a", 2L), EvalContext.empty()));
        assertSame(Missing.INSTANCE, Dql.evaluate(Dql.parseExpression("a"), null, EvalContext.empty()));
        assertTrue(Dql.matches(null, Map.of(), EvalContext.empty()));
        assertTrue(Dql.matches(Dql.parseExpression("a"), Map.of("a", true), EvalContext.empty()));
        assertFalse(Dql.matches(Dql.parseExpression("a"), Map.of("a", 1L), EvalContext.empty()), "only TRUE matches");
    }

    @Test
    void rejectsAggregatesInPlainEvaluation() {
        Expr count = new Expr.Call("count", List.of(), false, true);
        DittoException e = assertThrows(DittoException.class, () -> Dql.evaluate(count, Map.of(), EvalContext.empty()));
        assertEquals(ErrorCode.QUERY_COMPILATION, e.code());
        assertThrows(DittoException.class, () -> Dql.parseExpression("count(*)"));
    }

    @Test
    void reportsUnknownParametersWhenReached() {
        DittoException e = assertThrows(DittoException.class,
                () -> Dql.evaluate(Dql.parseExpression(":nope"), Map.of(), EvalContext.of(Map.of("other", 1))));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals("query arguments: no argument was given for parameter :nope", e.getMessage());
    }
}
