package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Expr.Binary;
import ditto.engine.dql.Expr.BinaryOp;
import ditto.engine.dql.Expr.Field;
import ditto.engine.dql.Expr.Literal;
import ditto.engine.dql.Expr.Param;
import ditto.engine.dql.Statement.Select;

class ParserTest {

    @Test
    void buildsTreesByPrecedence() {
        Expr e = Dql.parseExpression("a OR b XOR c AND NOT d = 1 + 2 * 3");
        Expr expected = new Binary(BinaryOp.OR, new Field("a"),
                new Binary(BinaryOp.XOR, new Field("b"),
                        new Binary(BinaryOp.AND, new Field("c"),
                                new Expr.Unary(Expr.UnaryOp.NOT,
                                        new Binary(BinaryOp.EQ, new Field("d"),
                                                new Binary(BinaryOp.ADD, new Literal(1L),
                                                        new Binary(BinaryOp.MUL, new Literal(2L), new Literal(3L))))))));
        assertEquals(expected, e);
    }

    @Test
    void foldsMinusIntoANumberLiteralOnly() {
        assertEquals(new Literal(-5L), Dql.parseExpression("-5"));
        assertEquals(new Literal(Long.MIN_VALUE), Dql.parseExpression("-9223372036854775808"));
        assertEquals(new Expr.Unary(Expr.UnaryOp.NEG, new Literal(5L)), Dql.parseExpression("-(5)"));
        assertEquals(new Expr.Unary(Expr.UnaryOp.NEG, new Expr.Member(new Literal(5L), "x")), Dql.parseExpression("-5.x"));
    }

    @Test
    void tellsParametersFromObjectColons() {
        Expr.ObjectExpr o = (Expr.ObjectExpr) Dql.parseExpression("{'a':b, 'c'::d, e: :f}");
        assertEquals(new Field("b"), o.entries().get(0).value());
        assertEquals(new Param("d"), o.entries().get(1).value());
        assertEquals("e", o.entries().get(2).key());
        assertEquals(new Param("f"), o.entries().get(2).value());
    }

    @Test
    void acceptsAnImplicitAliasAndLimitOffsetInEitherOrder() {
        Select s = (Select) Dql.parse("SELECT a b, c `d e` FROM x OFFSET 2 LIMIT :n");
        assertEquals("b", s.projection().get(0).alias());
        assertEquals("d e", s.projection().get(1).alias());
        assertEquals(new Literal(2L), s.offset());
        assertEquals(new Param("n"), s.limit());
    }

    @Test
    void readsVirtualCollectionNames() {
        Select s = (Select) Dql.parse("SELECT * FROM SYSTEM:indexes");
        assertEquals("system:indexes", s.from().name());
        assertTrue(s.from().isVirtual());
        assertFalse(((Select) Dql.parse("SELECT * FROM `system`")).from().isVirtual());
    }

    @Test
    void classifiesStatements() {
        assertStatement("SELECT * FROM c", Statement.Kind.SELECT, true);
        assertStatement("EXPLAIN DELETE FROM c", Statement.Kind.EXPLAIN, true);
        assertStatement("SHOW ALL", Statement.Kind.SHOW, true);
        assertStatement("INSERT INTO c DOCUMENTS ({})", Statement.Kind.INSERT, false);
        assertStatement("UPDATE c UNSET a", Statement.Kind.UPDATE, false);
        assertStatement("DELETE FROM c", Statement.Kind.DELETE, false);
        assertStatement("EVICT FROM c", Statement.Kind.EVICT, false);
        assertStatement("CREATE INDEX i ON c (a)", Statement.Kind.CREATE_INDEX, false);
        assertStatement("DROP INDEX i", Statement.Kind.DROP_INDEX, false);
        assertStatement("ALTER SYSTEM RESET ALL", Statement.Kind.ALTER_SYSTEM, false);
        assertNull(((Statement.AlterSystemReset) Dql.parse("ALTER SYSTEM RESET ALL")).name());
    }

    private static void assertStatement(String text, Statement.Kind kind, boolean readOnly) {
        Statement s = Dql.parse(text);
        assertEquals(kind, s.kind(), text);
        assertEquals(readOnly, s.isReadOnly(), text);
    }

    @Test
    void limitsNestingBeforeTheStackCould() {
        String ok = "SELECT " + "(".repeat(250) + "1" + ")".repeat(250) + " FROM c";
        Dql.parse(ok);
        String deep = "SELECT " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + " FROM c";
        DittoException e = assertThrows(DittoException.class, () -> Dql.parse(deep));
        assertEquals(ErrorCode.QUERY_COMPILATION, e.code());
        assertEquals("line 1, column 264: the statement is nested deeper than 256 levels of parentheses, brackets, braces or operators",
                e.getMessage());
        for (String prefix : List.of("- ", "+", "NOT ", "[", "{'a': ", "abs(", "a[")) {
            String hostile = "SELECT " + prefix.repeat(100_000) + " FROM c";
            DittoException err = assertThrows(DittoException.class, () -> Dql.parse(hostile), prefix);
            assertTrue(err.getMessage().contains("nested deeper than"), err.getMessage());
        }
        String hints = "SELECT * FROM COLLECTION c " + "(m MAP".repeat(10_000) + ")".repeat(10_000);
        assertTrue(assertThrows(DittoException.class, () -> Dql.parse(hints)).getMessage().contains("nested deeper than"));
    }

    @Test
    void limitsTreeDepthOfLongOperatorChains() {
        Dql.parse("SELECT * FROM c WHERE " + "a = 1 OR ".repeat(250) + "a = 2");
        String chain = "SELECT 1" + " + 1".repeat(100_000) + " FROM c";
        DittoException e = assertThrows(DittoException.class, () -> Dql.parse(chain));
        assertEquals("line 1, column 8: the expression is nested deeper than 256 levels (for many alternatives use IN (...))", e.getMessage());
        String path = "SELECT a" + ".b".repeat(100_000) + " FROM c";
        assertTrue(assertThrows(DittoException.class, () -> Dql.parse(path)).getMessage().contains("deeper than 256"));
    }

    @Test
    void explainsWhatWasExpectedAtTheFailingToken() {
        assertError("SELECT * FROM c WHERE", "line 1, column 22: expected an expression but found end of input");
        assertError("SELECT * FROM c ORDER BY a ASC DESC", "line 1, column 32: expected end of statement but found keyword DESC");
        assertError("INSERT INTO c DOCUMENTS {'a': 1}", "line 1, column 25: expected '(' but found '{'");
        assertError("INSERT INTO c DOCUMENTS ({}) ON ID CONFLICT DO SOMETHING",
                "line 1, column 48: expected NOTHING, UPDATE or UPDATE_LOCAL_DIFF but found identifier SOMETHING");
        assertError("UPDATE c APPLY n DOUBLE", "line 1, column 18: expected INCREMENT BY, RESTART or PN_INCREMENT BY but found identifier DOUBLE");
        assertError("CREATE INDEX IF EXISTS i ON c (a)", "line 1, column 17: expected NOT but found identifier EXISTS");
        assertError("ALTER SYSTEM DROP x", "line 1, column 14: expected SET or RESET but found keyword DROP");
        assertError("SELECT a.1 FROM c", "line 1, column 10: expected a field name after '.' but found number 1");
        assertError("SELECT * FROM c WHERE a = MISSING",
                "line 1, column 27: expected an expression but found keyword MISSING (test for absence with IS MISSING)");
        assertError("SELECT * FROM c WHERE a IS MISSING = b", "line 1, column 36: expected end of statement but found '='");
    }

    private static void assertError(String text, String message) {
        DittoException e = assertThrows(DittoException.class, () -> Dql.parse(text), text);
        assertEquals(ErrorCode.QUERY_COMPILATION, e.code(), e.getMessage());
        assertEquals(message, e.getMessage());
    }
}
