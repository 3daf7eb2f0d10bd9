package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;

/**
 * The printer: canonical text, minimal parentheses, and the round-trip law
 * {@code parse(print(ast)).equals(ast)} over seeded generated trees (RELIABILITY.md R11). The
 * generated suite runs the seeds in {@code printer-regression-seeds.txt} first, then
 * {@code dql.roundtrip.count} (default 1,000) seeds from {@code dql.roundtrip.seed} (default 1);
 * {@code -Ddql.roundtrip.seed=N -Ddql.roundtrip.count=1} replays one seed.
 */
class PrinterTest {

    @Test
    void roundTripsGeneratedStatements() throws IOException {
        List<Long> seeds = new ArrayList<>(regressionSeeds());
        long first = Long.getLong("dql.roundtrip.seed", 1L);
        long count = Long.getLong("dql.roundtrip.count", 1000L);
        for (long s = first; s < first + count; s++) {
            seeds.add(s);
        }
        for (long seed : seeds) {
            Statement ast = new AstGenerator(seed).statement();
            String printed = Dql.print(ast);
            Statement reparsed;
            try {
                reparsed = Dql.parse(printed);
            } catch (DittoException e) {
                fail("seed " + seed + " (replay with -Ddql.roundtrip.seed=" + seed + " -Ddql.roundtrip.count=1): "
                        + "printed text does not parse: " + e.getMessage() + "\n" + printed, e);
                return;
            }
            if (!ast.equals(reparsed)) {
                fail("seed " + seed + " (replay with -Ddql.roundtrip.seed=" + seed + " -Ddql.roundtrip.count=1): "
                        + "round trip changed the tree\nprinted:  " + printed + "\nreprinted: " + Dql.print(reparsed)
                        + "\nexpected: " + ast + "\nactual:   " + reparsed);
            }
        }
    }

    private static List<Long> regressionSeeds() throws IOException {
        List<Long> seeds = new ArrayList<>();
        try (InputStream in = PrinterTest.class.getResourceAsStream("printer-regression-seeds.txt")) {
            if (in == null) {
                return seeds;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.replaceAll("#.*", "").trim();
                if (!t.isEmpty()) {
                    seeds.add(Long.parseLong(t));
                }
            }
        }
        return seeds;
    }

    @Test
    void printsOnlyTheParenthesesPrecedenceNeeds() {
        assertEquals("a + b * c", reprint("a + (b * c)"));
        assertEquals("(a + b) * c", reprint("(a + b) * c"));
        assertEquals("a - (b - c)", reprint("a - (b - c)"));
        assertEquals("a - b - c", reprint("(a - b) - c"));
        assertEquals("NOT a = b", reprint("NOT (a = b)"));
        assertEquals("(NOT a) = b", reprint("(NOT a) = b"));
        assertEquals("a OR b AND c", reprint("a OR (b AND c)"));
        assertEquals("(a OR b) AND c", reprint("(a OR b) AND c"));
        assertEquals("-(a + b)", reprint("-(a + b)"));
        assertEquals("-(5)", Dql.print(new Expr.Unary(Expr.UnaryOp.NEG, new Expr.Literal(5L))));
        assertEquals("-5", reprint("-5"));
        assertEquals("- -5", reprint("-(-5)"));
        assertEquals("+ + +(5)", reprint("+(+(+(5)))"));
        assertEquals("- -(5)", reprint("- - (5)"));
        assertEquals("(-5).x", reprint("(-5).x"));
        assertEquals("x IN (1, 2)", reprint("x IN [1, 2]"));
        assertEquals("x IN (a OR b) || c", reprint("x IN (a OR b) || c"));
        assertEquals("x IN (a OR b)", reprint("x IN (a OR b)"));
    }

    @Test
    void quotesNamesThatAreNotPlainIdentifiers() {
        assertEquals("SELECT `select`, `a b`, `we``ird`, ``, café FROM `my coll`",
                reprintStatement("SELECT `select`, \"a b\", `we``ird`, ``, café FROM \"my coll\""));
        assertEquals("DROP INDEX `if`", Dql.print(new Statement.DropIndex("if", false, null)));
        assertEquals("SHOW `ALL`", Dql.print(new Statement.Show("ALL")));
        assertEquals("SELECT 'it''s' FROM c", reprintStatement("SELECT 'it''s' FROM c"));
    }

    @Test
    void printsEveryStatementKindCanonically() {
        assertEquals("UPDATE COLLECTION c (n COUNTER) APPLY n INCREMENT BY 1 SET a = 2 UNSET b WHERE x = 1 ORDER BY y DESC LIMIT 3 OFFSET 4",
                reprintStatement("update collection c (n counter) apply n increment by 1 set a == 2 unset b where x == 1 order by y desc offset 4 limit 3"));
        assertEquals("SELECT a FROM c WHERE b != 1", reprintStatement("SELECT a FROM c WHERE b <> 1"));
        assertEquals("ALTER SYSTEM SET DQL_STRICT_MODE = TRUE", reprintStatement("alter system set Dql_Strict_Mode to true"));
    }

    private static String reprint(String expr) {
        Expr e = Dql.parseExpression(expr);
        String printed = Dql.print(e);
        assertEquals(e, Dql.parseExpression(printed));
        return printed;
    }

    private static String reprintStatement(String text) {
        Statement s = Dql.parse(text);
        String printed = Dql.print(s);
        assertEquals(s, Dql.parse(printed));
        return printed;
    }
}
