package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class FunctionsTest {

    private static Object eval(String expr, Map<String, Object> doc) {
        return Dql.evaluate(Dql.parseExpression(expr), doc, EvalContext.empty());
    }

    @Test
    void measuresBinaryValues() {
        Map<String, Object> doc = Map.of("b", new byte[] {1, 2, 3});
        assertEquals(3L, eval("byte_length(b)", doc));
        assertEquals("binary", eval("type(b)", doc));
        assertEquals(null, eval("char_length(b)", doc));
    }

    @Test
    void boundsCatastrophicRegularExpressions() {
        Map<String, Object> doc = Map.of("s", "a".repeat(40) + "!");
        DittoException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(DittoException.class, () -> eval("regexp_like(s, '^(a+)+\\1b')", doc)));
        assertEquals(ErrorCode.QUERY_EXECUTION, e.code());
        assertEquals("regexp_like: matching the pattern on a 41-character string took too many steps (the pattern backtracks catastrophically)",
                e.getMessage());
    }

    @Test
    void matchesLikePatternsInPolynomialTime() {
        Map<String, Object> doc = Map.of("s", "a".repeat(20_000));
        assertEquals(false, assertTimeoutPreemptively(Duration.ofSeconds(20), () -> eval("s LIKE '%a%a%a%a%a%a%b'", doc)));
        assertEquals(true, eval("s LIKE '%a%a%a%a%a%a%'", doc));
        assertEquals(true, eval("'x😀y' LIKE 'x_y'", Map.of()));
    }

    @Test
    void checksComputedConstantsWhenEvaluated() {
        DittoException e = assertThrows(DittoException.class,
                () -> Dql.evaluate(Dql.parseExpression("date_add(0, 1, :unit)"), null, EvalContext.of(Map.of("unit", "decade"))));
        assertEquals(ErrorCode.QUERY_EXECUTION, e.code());
        assertEquals("date_add: unknown unit 'decade' (expected 'year', 'month', 'day', 'hour', 'minute', 'second' or 'millisecond')",
                e.getMessage());
        DittoException f = assertThrows(DittoException.class,
                () -> Dql.evaluate(Dql.parseExpression("date_format(0, :f)"), null, EvalContext.of(Map.of("f", "%"))));
        assertEquals("date format '%': ends with a lone %", f.getMessage());
    }

    @Test
    void parsesAndFormatsEveryDirectiveConsistently() {
        String all = "%Y %y %m %d %e %j %H %I %p %M %S %L %f %a %A %b %h %B %u %w %z %Z %s %F %T %D %R %n %t %%";
        Object formatted = eval("date_format('2024-02-29T13:05:09.123+05:30', '" + all + "')", Map.of());
        assertEquals("2024 24 02 29 29 060 13 01 PM 05 09 123 123000 Thu Thursday Feb Feb February 4 4 +0530 +05:30 1709192109 "
                + "2024-02-29 13:05:09 02/29/24 13:05 \n \t %", formatted);
        assertEquals("2024-02-29T13:05:09.123+05:30",
                eval("date_cast('2024-02-29 13:05:09.123 +05:30', '%Y-%m-%d %H:%M:%S.%L %z')", Map.of()));
    }
}
