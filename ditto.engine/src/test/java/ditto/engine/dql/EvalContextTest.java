package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ditto.api.AttachmentToken;
import ditto.api.DittoException;
import ditto.api.ErrorCode;

class EvalContextTest {

    @Test
    void keepsByteArraysAndWidensNarrowNumbers() {
        EvalContext ctx = EvalContext.of(Map.of("b", new byte[] {1, 2}, "i", 3, "s", (short) 4, "f", 1.5f, "nested", List.of(7)));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) ctx.argument("b"));
        assertEquals(3L, ctx.argument("i"));
        assertEquals(4L, ctx.argument("s"));
        assertEquals(1.5, ctx.argument("f"));
        assertEquals(List.of(7L), ctx.argument("nested"));
    }

    @Test
    void storesAttachmentTokensInTheirDocumentForm() {
        AttachmentToken token = AttachmentToken.of("abcd", 10, Map.of("name", "photo.jpg"));
        EvalContext ctx = EvalContext.of(Map.of("t", token, "list", List.of(token)));
        assertEquals(token.toMap(), ctx.argument("t"));
        assertEquals(List.of(token.toMap()), ctx.argument("list"));
        Map<String, Object> doc = WriteEvaluator.insertDocuments(
                (Statement.Insert) Dql.parse("INSERT INTO c DOCUMENTS ({'_id': 1, 'photo': :t})"), ctx).get(0);
        assertEquals(token, AttachmentToken.fromMap((Map<?, ?>) doc.get("photo")));
    }

    @Test
    void usesAGivenConverterForOtherTypes() {
        EvalContext.ArgumentConverter converter = (name, value) -> {
            if (value instanceof Instant i) {
                return i.toEpochMilli();
            }
            return EvalContext.DEFAULT_CONVERTER.convert(name, value);
        };
        EvalContext ctx = EvalContext.of(Map.of("when", Instant.ofEpochMilli(5)), Clock.systemUTC(), converter);
        assertEquals(5L, ctx.argument("when"));
    }

    @Test
    void rejectsUnsupportedAndNonFiniteArgumentsNamingThem() {
        assertInvalid(Map.of("x", new Object()), "query argument 'x': type java.lang.Object is not supported (use JSON values, byte[] or attachment tokens)");
        assertInvalid(Map.of("n", Double.NaN), "query argument 'n': NaN is not a finite number");
        assertInvalid(Map.of("n", List.of(Double.POSITIVE_INFINITY)), "query argument 'n': Infinity is not a finite number");
        assertInvalid(Map.of("m", Map.of(1, "a")), "query argument 'm': object keys must be strings, got Integer");
        Object deep = List.of();
        for (int i = 0; i < 300; i++) {
            deep = List.of(deep);
        }
        assertInvalid(Map.of("d", deep), "query argument 'd': nested deeper than 256 levels");
    }

    private static void assertInvalid(Map<String, ?> args, String message) {
        DittoException e = assertThrows(DittoException.class, () -> EvalContext.of(args));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void acceptsNullValuesAndColonPrefixedKeys() {
        Map<String, Object> args = new HashMap<>();
        args.put(":a", null);
        EvalContext ctx = EvalContext.of(args);
        assertEquals(null, ctx.argument("a"));
        ctx.requireParameters(Dql.parse("SELECT * FROM c WHERE x = :a"));
    }

    @Test
    void failsBeforeExecutionWhenAParameterHasNoArgument() {
        DittoException e = assertThrows(DittoException.class,
                () -> EvalContext.of(Map.of("a", 1)).requireParameters(Dql.parse("SELECT * FROM c WHERE x = :a AND y = :b")));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals("query arguments: no argument was given for parameter :b", e.getMessage());
    }

    @Test
    void givesOneStatementOneCurrentTime() {
        java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
        Clock ticking = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(ticks.addAndGet(1000));
            }
        };
        EvalContext ctx = EvalContext.of(null, ticking);
        List<Map<String, Object>> rows = SelectExecutor.of((Statement.Select) Dql.parse("SELECT clock() AS t FROM c"))
                .executeAll(List.of(Map.of("_id", 1), Map.of("_id", 2)), ctx);
        assertEquals(rows.get(0), rows.get(1));
        assertEquals("1970-01-01T00:00:01.000Z", rows.get(0).get("t"));
    }

    @Test
    void readsTheInjectedClock() {
        Clock fixed = Clock.fixed(Instant.parse("2030-01-02T03:04:05.006Z"), ZoneOffset.UTC);
        assertEquals("2030-01-02T03:04:05.006Z", Dql.evaluate(Dql.parseExpression("clock()"), null, EvalContext.of(null, fixed)));
    }
}
