package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class DqlValuesTest {

    @Test
    void ordersBinaryBetweenNumbersAndStringsByUnsignedBytes() {
        List<Object> values = new ArrayList<>(List.of("a", new byte[] {(byte) 0x80}, new byte[] {1, 2}, new byte[] {1}, 5L));
        values.sort(DqlValues.ORDER);
        assertEquals(5L, values.get(0));
        assertTrue(java.util.Arrays.equals(new byte[] {1}, (byte[]) values.get(1)));
        assertTrue(java.util.Arrays.equals(new byte[] {1, 2}, (byte[]) values.get(2)));
        assertTrue(java.util.Arrays.equals(new byte[] {(byte) 0x80}, (byte[]) values.get(3)), "0x80 is 128 unsigned");
        assertEquals("a", values.get(4));
        assertEquals("binary", DqlValues.typeName(new byte[0]));
    }

    @Test
    void comparesNumbersExactlyAcrossJavaTypes() {
        assertEquals(0, DqlValues.compareNumbers(2L, 2.0));
        assertEquals(0, DqlValues.compareNumbers(2, new BigDecimal("2.000")));
        assertEquals(0, DqlValues.compareNumbers(new BigInteger("9223372036854775808"), 9.223372036854775808E18));
        assertTrue(DqlValues.compareNumbers(9007199254740993L, 9007199254740992.0) > 0, "beyond 2^53 doubles are not exact");
        assertTrue(DqlValues.compareNumbers(-0.0, 0.0) == 0);
        assertTrue(DqlValues.compareNumbers(new BigDecimal("1e400"), Double.MAX_VALUE) > 0);
        assertTrue(DqlValues.compareNumbers((short) 3, 2.5f) > 0);
    }

    @Test
    void treatsEqualValuesOfDifferentJavaTypesAsEqualWithEqualHashes() {
        Object[][] pairs = {
            {2L, 2.0}, {2, new BigDecimal("2.00")}, {0.5, new BigDecimal("0.50")}, {new BigInteger("18446744073709551616"), 1.8446744073709552E19},
            {List.of(1L, Map.of("a", 2.0)), List.of(1.0, Map.of("a", 2L))}, {new byte[] {1, 2}, new byte[] {1, 2}},
            {Map.of("a", 1L, "b", 2L), Map.of("b", 2.0, "a", 1.0)}, {-0.0, 0L},
        };
        for (Object[] p : pairs) {
            assertTrue(DqlValues.equal(p[0], p[1]), () -> p[0] + " = " + p[1]);
            assertEquals(DqlValues.hash(p[0]), DqlValues.hash(p[1]), () -> "hash of " + p[0] + " and " + p[1]);
            assertEquals(DqlValues.key(p[0]), DqlValues.key(p[1]));
        }
        assertFalse(DqlValues.equal(1L, "1"));
        assertFalse(DqlValues.equal(List.of(1L), List.of(1L, 2L)));
        assertFalse(DqlValues.equal(Map.of("a", 1L), Map.of("b", 1L)));
    }

    @Test
    void keepsHashConsistentWithEqualityForRandomNumbers() {
        long seed = 42;
        Random r = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            long l = r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(2000) - 1000;
            Object[] forms = {l, (double) l, BigDecimal.valueOf(l).setScale(r.nextInt(3)), BigInteger.valueOf(l)};
            for (Object a : forms) {
                for (Object b : forms) {
                    if (DqlValues.equal(a, b)) {
                        assertEquals(DqlValues.hash(a), DqlValues.hash(b), "seed " + seed + ": " + a + " vs " + b);
                    }
                }
            }
        }
    }

    @Test
    void isATotalOrderThatIsAntisymmetricAndTransitive() {
        List<Object> values = List.of(false, true, -1L, 0.5, 2L, new byte[] {0}, "", "a", "😀", List.of(), List.of(1L),
                Map.of(), Map.of("a", 1L), java.util.Collections.singletonMap("n", null));
        List<Object> withUnknowns = new ArrayList<>(values);
        withUnknowns.add(null);
        withUnknowns.add(Missing.INSTANCE);
        for (int i = 0; i < withUnknowns.size(); i++) {
            for (int j = 0; j < withUnknowns.size(); j++) {
                int c = DqlValues.compare(withUnknowns.get(i), withUnknowns.get(j));
                assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(c), i + " vs " + j);
            }
        }
    }

    @Test
    void handlesHostileExponentsWithoutExpandingThem() {
        BigDecimal huge = new BigDecimal("1E+999999999");
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            assertEquals(DqlValues.hash(huge), DqlValues.hash(new BigDecimal("10E+999999998")));
            assertTrue(DqlValues.compare(huge, Long.MAX_VALUE) > 0);
            Object sum = Dql.evaluate(Dql.parseExpression("x + 1"), Map.of("x", huge), EvalContext.empty());
            assertTrue(DqlValues.equal(huge, sum), "1 is below the 34 significant digits kept: " + sum);
            assertEquals(huge, Dql.evaluate(Dql.parseExpression("ceil(x)"), Map.of("x", huge), EvalContext.empty()));
            assertEquals(null, Dql.evaluate(Dql.parseExpression("x % 3"), Map.of("x", huge), EvalContext.empty()));
        });
        DittoException e = assertThrows(DittoException.class, () -> Dql.parse("SELECT 1e400000000000000 FROM c"));
        assertEquals("line 1, column 8: the number 1e400000000000000 is out of range", e.getMessage());
    }

    @Test
    void rejectsValuesOutsideTheModel() {
        DittoException e = assertThrows(DittoException.class, () -> DqlValues.typeName(new Object()));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals("DQL value: java.lang.Object is not a JSON-model value", e.getMessage());
    }
}
