package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Fuzzes the DQL parser (RELIABILITY.md R11). In a normal test run Jazzer replays the corpus in
 * {@code ParserFuzzTestInputs/parseRaisesOnlyDqlErrors/} (valid and invalid statements plus every
 * past finding); with {@code JAZZER_FUZZ=1} it fuzzes, coverage-guided, and stores new findings
 * there. Property: whatever the input, parsing either yields a statement that prints back to an
 * equal tree and compiles, or fails with a positioned {@code QUERY_COMPILATION} or an
 * {@code UNSUPPORTED} error; no other exception, no stack overflow, no hang.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "30m")
    void parseRaisesOnlyDqlErrors(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Statement statement;
        try {
            statement = Dql.parse(text);
        } catch (DittoException e) {
            assertTrue(e.code() == ErrorCode.QUERY_COMPILATION || e.code() == ErrorCode.UNSUPPORTED, e::toString);
            assertTrue(e.getMessage().startsWith("line "), e::toString);
            return;
        }
        assertEquals(statement, Dql.parse(Dql.print(statement)), () -> "round trip of " + Dql.print(statement));
        Statement inner = statement instanceof Statement.Explain explain ? explain.statement() : statement;
        if (inner instanceof Statement.Select select) {
            SelectExecutor.of(select);
        } else if (inner instanceof Statement.Update update) {
            WriteEvaluator.of(update);
            DocumentSelector.of(update);
        }
        DqlExplain.plan(inner, DqlExplain.AccessPath.scan());
    }
}
