package ditto.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ditto.api.ErrorCode;
import ditto.engine.dql.DqlValues;
import ditto.engine.dql.Missing;

class KeyCodecTest {

    @Test
    void byteOrderIsTheDqlOrderOnRandomValues() {
        long seed = Long.getLong("ditto.seed", System.nanoTime());
        System.out.println("KeyCodecTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            values.add(randomValue(random, 0));
        }
        for (int i = 0; i < values.size(); i++) {
            byte[] a = KeyCodec.encode(values.get(i));
            for (int j = 0; j < values.size(); j++) {
                byte[] b = KeyCodec.encode(values.get(j));
                int expected = Integer.signum(DqlValues.compare(values.get(i), values.get(j)));
                int actual = Integer.signum(Arrays.compareUnsigned(a, b));
                assertEquals(expected, actual, "seed " + seed + ": " + values.get(i) + " vs " + values.get(j));
            }
        }
    }

    @Test
    void equalNumbersShareOneEncodingWhateverTheirJavaType() {
        Object[] twos = {2L, 2.0, 2, new BigDecimal("2.000"), BigInteger.TWO, 2.0f};
        for (Object two : twos) {
            assertArrayEquals(KeyCodec.encode(2L), KeyCodec.encode(two), String.valueOf(two));
        }
        assertArrayEquals(KeyCodec.encode(List.of(1L, Map.of("x", 0.5))),
                KeyCodec.encode(List.of(1.0, Map.of("x", new BigDecimal("0.50")))));
        assertArrayEquals(KeyCodec.encode(0L), KeyCodec.encode(-0.0));
    }

    @Test
    void ordersNumbersExactlyAcrossTypesAndMagnitudes() {
        // a double 0.1 is slightly above one tenth, so it sorts after the exact decimal 0.1
        List<Object> ascending = List.of(new BigDecimal("-1e400"), Long.MIN_VALUE, -1e18, -2.5, -2L, -1L,
                new BigDecimal("-0.001"), 0L, new BigDecimal("1e-400"), new BigDecimal("0.1"), 0.1, 1L,
                1.0000001, 9007199254740993L, 1e19, new BigInteger("123456789012345678901234567890"),
                new BigDecimal("1e400"));
        for (int i = 0; i + 1 < ascending.size(); i++) {
            byte[] a = KeyCodec.encode(ascending.get(i));
            byte[] b = KeyCodec.encode(ascending.get(i + 1));
            assertTrue(Arrays.compareUnsigned(a, b) < 0, ascending.get(i) + " < " + ascending.get(i + 1));
        }
    }

    @Test
    void encodingsAreSelfDelimitingAndDecodeBack() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000; i++) {
            Object v = randomValue(random, 0);
            byte[] e = KeyCodec.encode(v);
            byte[] followed = Keys.concat(e, KeyCodec.encode("tail"));
            assertEquals(e.length, KeyCodec.skip(followed, 0), String.valueOf(v));
            Object back = KeyCodec.decode(followed);
            assertTrue(DqlValues.equal(v, back), v + " decoded as " + back);
        }
    }

    @Test
    void prefixRangeHoldsExactlyTheKeysOfOneValue() {
        byte[] a = KeyCodec.encode("ab");
        byte[] end = KeyCodec.successor(a);
        assertTrue(Arrays.compareUnsigned(Keys.concat(a, KeyCodec.encode(Long.MAX_VALUE)), end) < 0);
        assertTrue(Arrays.compareUnsigned(KeyCodec.encode("ab\0"), end) >= 0);
        assertTrue(Arrays.compareUnsigned(KeyCodec.encode("abc"), end) >= 0);
    }

    @Test
    void rejectsNonFiniteNumbers() {
        StoreFixture.assertCode(ErrorCode.INVALID_ARGUMENTS, () -> KeyCodec.encode(Double.NaN));
        StoreFixture.assertCode(ErrorCode.INVALID_ARGUMENTS, () -> KeyCodec.encode(List.of(Double.POSITIVE_INFINITY)));
    }

    @Test
    void missingSortsLastAndNullJustBefore() {
        byte[] nul = KeyCodec.encode(null);
        byte[] missing = KeyCodec.encode(Missing.INSTANCE);
        byte[] object = KeyCodec.encode(Map.of("z", List.of()));
        assertTrue(Arrays.compareUnsigned(object, nul) < 0);
        assertTrue(Arrays.compareUnsigned(nul, missing) < 0);
    }

    static Object randomValue(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 2 ? 7 : 10);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return r.nextBoolean();
            case 2:
                return (long) r.nextInt(-5, 6) * (r.nextBoolean() ? 1 : 1_000_000_007L);
            case 3: {
                double d = r.nextInt(-20, 21) / 4.0;
                return r.nextBoolean() ? d : d * 1e17;
            }
            case 4:
                return r.nextBoolean() ? new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(-3, 25))
                        : BigInteger.valueOf(r.nextLong()).shiftLeft(r.nextInt(0, 70));
            case 5: {
                byte[] b = new byte[r.nextInt(0, 4)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) r.nextInt(0, 3) == 0 ? 0 : (byte) (r.nextInt(256) - 128);
                }
                return b;
            }
            case 6: {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(0, 4);
                for (int i = 0; i < n; i++) {
                    int c = switch (r.nextInt(5)) {
                        case 0 -> 0;
                        case 1 -> 'a' + r.nextInt(3);
                        case 2 -> 0xE9;
                        case 3 -> 0x1F600;
                        default -> 0xFFFF;
                    };
                    sb.appendCodePoint(c);
                }
                return sb.toString();
            }
            case 7: {
                List<Object> list = new ArrayList<>();
                int n = r.nextInt(0, 3);
                for (int i = 0; i < n; i++) {
                    list.add(randomValue(r, depth + 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                int n = r.nextInt(0, 3);
                for (int i = 0; i < n; i++) {
                    map.put(r.nextBoolean() ? "a" : r.nextBoolean() ? "b" : "", randomValue(r, depth + 1));
                }
                return map;
            }
        }
    }
}
