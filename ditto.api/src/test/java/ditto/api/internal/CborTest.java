package ditto.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborTest {
    private static final HexFormat HEX = HexFormat.of();

    private static DittoException invalid(Runnable action) {
        DittoException e = assertThrows(DittoException.class, action::run);
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        return e;
    }

    private static String hex(Object value) {
        return HEX.formatHex(Cbor.encode(value));
    }

    private static Object decodeHex(String hex) {
        return Cbor.decode(HEX.parseHex(hex));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void encodesTheRfc8949AppendixAExamples() {
        assertEquals("00", hex(0L));
        assertEquals("17", hex(23));
        assertEquals("1818", hex(24L));
        assertEquals("1864", hex((short) 100));
        assertEquals("1903e8", hex(1000L));
        assertEquals("1a000f4240", hex(1000000L));
        assertEquals("1b000000e8d4a51000", hex(1000000000000L));
        assertEquals("1bffffffffffffffff", hex(new BigInteger("18446744073709551615")));
        assertEquals("c249010000000000000000", hex(new BigInteger("18446744073709551616")));
        assertEquals("3bffffffffffffffff", hex(new BigInteger("-18446744073709551616")));
        assertEquals("c349010000000000000000", hex(new BigInteger("-18446744073709551617")));
        assertEquals("20", hex(-1L));
        assertEquals("29", hex((byte) -10));
        assertEquals("3863", hex(-100));
        assertEquals("3903e7", hex(-1000L));
        assertEquals("3b7fffffffffffffff", hex(Long.MIN_VALUE));
        assertEquals("f90000", hex(0.0));
        assertEquals("f98000", hex(-0.0));
        assertEquals("f93c00", hex(1.0));
        assertEquals("fb3ff199999999999a", hex(1.1));
        assertEquals("f93e00", hex(1.5));
        assertEquals("f97bff", hex(65504.0));
        assertEquals("fa47c35000", hex(100000.0));
        assertEquals("fa7f7fffff", hex(3.4028234663852886e+38));
        assertEquals("fb7e37e43c8800759c", hex(1.0e+300));
        assertEquals("f90001", hex(5.960464477539063e-8));
        assertEquals("f90400", hex(0.00006103515625));
        assertEquals("f9c400", hex(-4.0));
        assertEquals("fbc010666666666666", hex(-4.1));
        assertEquals("f4", hex(false));
        assertEquals("f5", hex(true));
        assertEquals("f6", hex(null));
        assertEquals("40", hex(new byte[0]));
        assertEquals("4401020304", hex(new byte[] {1, 2, 3, 4}));
        assertEquals("60", hex(""));
        assertEquals("6161", hex("a"));
        assertEquals("6449455446", hex("IETF"));
        assertEquals("62225c", hex("\"\\"));
        assertEquals("62c3bc", hex("\u00fc"));
        assertEquals("63e6b0b4", hex("\u6c34"));
        assertEquals("64f0908591", hex("\uD800\uDD51"));
        assertEquals("80", hex(List.of()));
        assertEquals("83010203", hex(List.of(1L, 2L, 3L)));
        assertEquals("8301820203820405", hex(List.of(1L, List.of(2L, 3L), List.of(4L, 5L))));
        assertEquals("a0", hex(Map.of()));
        assertEquals("a26161016162820203", hex(map("a", 1L, "b", List.of(2L, 3L))));
        assertEquals("c48221196ab3", hex(new BigDecimal("273.15")));
    }

    @Test
    void decodesTheRfc8949AppendixAExamples() {
        assertEquals(0L, decodeHex("00"));
        assertEquals(1000000000000L, decodeHex("1b000000e8d4a51000"));
        assertEquals(new BigInteger("18446744073709551615"), decodeHex("1bffffffffffffffff"));
        assertEquals(new BigInteger("18446744073709551616"), decodeHex("c249010000000000000000"));
        assertEquals(new BigInteger("-18446744073709551616"), decodeHex("3bffffffffffffffff"));
        assertEquals(new BigInteger("-18446744073709551617"), decodeHex("c349010000000000000000"));
        assertEquals(Long.MIN_VALUE, decodeHex("3b7fffffffffffffff"));
        assertEquals(-1000L, decodeHex("3903e7"));
        assertEquals(-0.0, decodeHex("f98000"));
        assertEquals(1.1, decodeHex("fb3ff199999999999a"));
        assertEquals(65504.0, decodeHex("f97bff"));
        assertEquals(100000.0, decodeHex("fa47c35000"));
        assertEquals(5.960464477539063e-8, decodeHex("f90001"));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) decodeHex("4401020304"));
        assertEquals("\uD800\uDD51", decodeHex("64f0908591"));
        assertEquals(List.of(1L, List.of(2L, 3L), List.of(4L, 5L)), decodeHex("8301820203820405"));
        assertEquals(map("a", 1L, "b", List.of(2L, 3L)), decodeHex("a26161016162820203"));
        assertEquals(new BigDecimal("273.15"), decodeHex("c48221196ab3"));
        assertEquals(new BigDecimal("1.5"), decodeHex("c482200f"));
    }

    @Test
    void decodesIndefiniteLengthItemsAndNonShortestArguments() {
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, (byte[]) decodeHex("5f42010243030405ff"));
        assertEquals("streaming", decodeHex("7f657374726561646d696e67ff"));
        assertEquals(List.of(), decodeHex("9fff"));
        assertEquals(List.of(1L, List.of(2L, 3L), List.of(4L, 5L)), decodeHex("9f018202039f0405ffff"));
        assertEquals(map("a", 1L, "b", List.of(2L, 3L)), decodeHex("bf61610161629f0203ffff"));
        assertEquals(0L, decodeHex("1800"));
        assertEquals(1L, decodeHex("1b0000000000000001"));
        assertEquals("a", decodeHex("780161"));
        assertEquals(1.0, decodeHex("fb3ff0000000000000"));
    }

    @Test
    void skipsTheSelfDescribeTag() {
        assertEquals(List.of(1L), decodeHex("d9d9f78101"));
        assertEquals(new BigInteger("18446744073709551616"), decodeHex("d9d9f7d9d9f7c249010000000000000000"));
    }

    @Test
    void normalizesNumberTypesOnDecode() {
        assertEquals(7L, Cbor.decode(Cbor.encode(7)));
        assertEquals(-3L, Cbor.decode(Cbor.encode((short) -3)));
        assertEquals((double) 0.1f, Cbor.decode(Cbor.encode(0.1f)));
        assertEquals(5L, Cbor.decode(Cbor.encode(BigInteger.valueOf(5))));
        assertEquals(5L, decodeHex("c24105"));
        assertEquals(-6L, decodeHex("c34105"));
        BigDecimal decimal = new BigDecimal("123.4500");
        assertEquals(decimal, Cbor.decode(Cbor.encode(decimal)));
        BigDecimal huge = new BigDecimal(new BigInteger("123456789012345678901234567890"), -40);
        assertEquals(huge, Cbor.decode(Cbor.encode(huge)));
    }

    @Test
    void choosesTheShortestExactFloatWidth() {
        assertEquals("f93555", hex(0.333251953125));
        assertEquals("fa3dcccccd", hex(0.1f));
        assertEquals("fb3fb999999999999a", hex(0.1));
        assertEquals("fa33000000", hex(5.960464477539063e-8 / 2));
    }

    @Test
    void convertsEveryFiniteHalfPrecisionValueExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            double d = Cbor.halfToDouble(bits);
            if (Double.isFinite(d)) {
                assertEquals(bits, Cbor.halfBitsIfExact((float) d), "half 0x" + Integer.toHexString(bits));
            }
        }
        assertEquals(-1, Cbor.halfBitsIfExact(65520f));
        assertEquals(-1, Cbor.halfBitsIfExact(1.0f + 0x1p-11f));
        assertEquals(-1, Cbor.halfBitsIfExact(0x1p-25f));
        assertEquals(-1, Cbor.halfBitsIfExact(Float.MIN_VALUE));
    }

    @Test
    void canonicalEncodingSortsKeysByLengthThenBytes() {
        Map<String, Object> value = map("bb", 1L, "a", 2L, "aa", 3L, "b", 4L, "", 5L);

        byte[] canonical = Cbor.encodeCanonical(value);

        assertEquals("a5" + "6005" + "616102" + "616204" + "62616103" + "62626201", HEX.formatHex(canonical));
        assertEquals(new ArrayList<>(List.of("", "a", "b", "aa", "bb")),
                new ArrayList<>(((Map<?, ?>) Cbor.decode(canonical)).keySet()));
    }

    @Test
    void canonicalEncodingComparesUtf8BytesNotUtf16Units() {
        String privateUse = "\uE000\uE000\uE000\uE000";
        String supplementary = "\uD800\uDC00\uD800\uDC00\uD800\uDC00";
        Map<String, Object> value = new TreeMap<>(Map.of(privateUse, 1L, supplementary, 2L));
        assertEquals(supplementary, ((TreeMap<String, Object>) value).firstKey());

        Map<?, ?> decoded = (Map<?, ?>) Cbor.decode(Cbor.encodeCanonical(value));

        assertEquals(List.of(privateUse, supplementary), new ArrayList<>(decoded.keySet()));
    }

    @Test
    void canonicalEncodingIgnoresInsertionOrderAtEveryLevel() {
        Map<String, Object> first = map("x", map("q", 1L, "p", List.of(map("b", 2L, "a", 3L))), "y", "z");
        Map<String, Object> second = map("y", "z", "x", map("p", List.of(map("a", 3L, "b", 2L)), "q", 1L));

        assertArrayEquals(Cbor.encodeCanonical(first), Cbor.encodeCanonical(second));
        assertFalse(Arrays.equals(Cbor.encode(first), Cbor.encode(second)));
    }

    @Test
    void rejectsValuesOutsideTheModelNamingThePath() {
        assertEquals("cannot write CBOR: non-finite number NaN at $.a[0]",
                invalid(() -> Cbor.encode(map("a", List.of(Double.NaN)))).getMessage());
        invalid(() -> Cbor.encodeCanonical(Float.POSITIVE_INFINITY));
        assertTrue(invalid(() -> Cbor.encode(List.of(new StringBuilder()))).getMessage()
                .contains("unsupported value type java.lang.StringBuilder at $[0]"));
        Map<Object, Object> nonString = new LinkedHashMap<>();
        nonString.put(null, 1L);
        assertTrue(invalid(() -> Cbor.encode(nonString)).getMessage().contains("map key null is not a string"));
        invalid(() -> Cbor.encode("\uD800"));
        invalid(() -> Cbor.encodeCanonical(map("\uDFFF", 1L)));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertTrue(invalid(() -> Cbor.encode(cycle)).getMessage().contains("nesting deeper than 64 levels"));
        invalid(() -> Cbor.encode(List.of(List.of()), 1));
        invalid(() -> Cbor.decode(new byte[] {0}, Json.MAX_DEPTH_LIMIT + 1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''|unexpected end of input at offset 0",
        "19|unexpected end of input in a 2-byte argument at offset 1",
        "1b000000|unexpected end of input in a 8-byte argument at offset 1",
        "6261|declared text string length 2 exceeds the 1 remaining bytes at offset 0",
        "5bffffffffffffffff|declared byte string length 18446744073709551615 exceeds the 0 remaining bytes at offset 0",
        "5b7fffffffffffffff00|declared byte string length 9223372036854775807 exceeds the 1 remaining bytes at offset 0",
        "9b0000000100000000|declared array length 4294967296 exceeds the 0 remaining bytes at offset 0",
        "9a7fffffff01|declared array length 2147483647 exceeds the 1 remaining bytes at offset 0",
        "ba7fffffff0101|declared map size 2147483647 exceeds the 2 remaining bytes at offset 0",
        "a2616101|declared map size 2 exceeds the 3 remaining bytes at offset 0",
        "8301|declared array length 3 exceeds the 1 remaining bytes at offset 0",
        "62c328|malformed UTF-8 at offset 1",
        "62c0af|malformed UTF-8 at offset 1",
        "63eda080|malformed UTF-8 at offset 1",
        "8263616263|unexpected end of input at offset 5",
        "a10102|map key is not a text string at offset 1",
        "a1410102|map key is not a text string at offset 1",
        "a2616101616102|duplicate map key \"a\" at offset 4",
        "f7|unsupported simple value undefined at offset 0",
        "f0|unsupported simple value 16 at offset 0",
        "f820|unsupported simple value 32 at offset 0",
        "f97e00|non-finite float NaN at offset 0",
        "f97c00|non-finite float Infinity at offset 0",
        "fa7f800000|non-finite float Infinity at offset 0",
        "fbfff0000000000000|non-finite float -Infinity at offset 0",
        "1c|reserved additional information 28 at offset 0",
        "fc|reserved additional information 28 at offset 0",
        "ff|unexpected break at offset 0",
        "81ff|unexpected break at offset 1",
        "bf6161ff|break where a map value was expected at offset 3",
        "bf6161|unexpected end of input at offset 3",
        "9f01|unexpected end of input at offset 2",
        "c100|unsupported tag 1 at offset 0",
        "d82000|unsupported tag 32 at offset 0",
        "0000|unexpected trailing bytes after the data item at offset 1",
        "5f6161ff|chunk of an indefinite-length string is not a definite-length string of the same type at offset 1",
        "5f5f4101ffff|chunk of an indefinite-length string is not a definite-length string of the same type at offset 1",
        "7f61c3ff|malformed UTF-8 at offset 2",
        "5f4101|unexpected end of input at offset 3",
        "1f|indefinite length is not allowed for an integer at offset 0",
        "3f|indefinite length is not allowed for an integer at offset 0",
        "df00|indefinite length is not allowed for a tag at offset 0",
        "c26161|bignum content is not a byte string at offset 1",
        "c401|decimal fraction is not an array of two integers at offset 1",
        "c4826161 01|decimal fraction part is not an integer at offset 2",
        "c4821b000000010000000001|decimal fraction exponent out of range at offset 2",
    })
    void rejectsMalformedInputNamingTheOffset(String hex, String message) {
        DittoException e = invalid(() -> decodeHex(hex.replace(" ", "")));
        assertEquals("invalid CBOR: " + message, e.getMessage());
    }

    @Test
    void enforcesTheNestingLimitWithoutOverflowingTheStack() {
        byte[] ok = new byte[65];
        Arrays.fill(ok, 0, 64, (byte) 0x81);
        byte[] tooDeep = new byte[66];
        Arrays.fill(tooDeep, 0, 65, (byte) 0x81);
        byte[] hostile = new byte[500_000];
        Arrays.fill(hostile, (byte) 0x9F);
        byte[] hostileMaps = new byte[500_000];
        for (int i = 0; i + 1 < hostileMaps.length; i += 2) {
            hostileMaps[i] = (byte) 0xA1;
            hostileMaps[i + 1] = (byte) 0x60;
        }

        Cbor.decode(ok);
        assertEquals("invalid CBOR: nesting deeper than 64 levels at offset 64", invalid(() -> Cbor.decode(tooDeep)).getMessage());
        Cbor.decode(tooDeep, 65);
        invalid(() -> Cbor.decode(hostile));
        invalid(() -> Cbor.decode(hostileMaps));
        invalid(() -> Cbor.decode(new byte[] {(byte) 0x80}, 0));
    }

    @Test
    void decodesASliceWithAbsoluteOffsets() {
        byte[] framed = {9, 9, (byte) 0x82, 1, 2, 9};

        assertEquals(List.of(1L, 2L), Cbor.decode(framed, 2, 3, Json.DEFAULT_MAX_DEPTH));
        assertEquals("invalid CBOR: declared array length 2 exceeds the 1 remaining bytes at offset 2",
                invalid(() -> Cbor.decode(framed, 2, 2, Json.DEFAULT_MAX_DEPTH)).getMessage());
        assertEquals("invalid CBOR: unexpected trailing bytes after the data item at offset 5",
                invalid(() -> Cbor.decode(framed, 2, 4, Json.DEFAULT_MAX_DEPTH)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Cbor.decode(framed, 4, 3, Json.DEFAULT_MAX_DEPTH));
    }

    @Test
    void decodedMapsKeepEncodedOrder() {
        Map<String, Object> value = map("z", 1L, "a", 2L, "m", 3L);

        Object decoded = Cbor.decode(Cbor.encode(value));

        assertInstanceOf(LinkedHashMap.class, decoded);
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(((Map<?, ?>) decoded).keySet()));
    }

    @Test
    void roundTripsRandomValuesAndCanonicalFormIsStable() {
        long seed = RandomValues.seed("CborTest.roundTripsRandomValuesAndCanonicalFormIsStable");
        Random random = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            Object value = RandomValues.value(random, 0, true);

            Object decoded = Cbor.decode(Cbor.encode(value));
            byte[] canonical = Cbor.encodeCanonical(value);
            byte[] reencoded = Cbor.encodeCanonical(Cbor.decode(canonical));
            byte[] shuffled = Cbor.encodeCanonical(shuffleKeys(value, random));

            assertTrue(RandomValues.deepEquals(value, decoded), "seed " + seed + " iteration " + i);
            assertArrayEquals(canonical, reencoded, "seed " + seed + " iteration " + i);
            assertArrayEquals(canonical, shuffled, "seed " + seed + " iteration " + i);
        }
    }

    @Test
    void corruptedInputFailsOnlyWithDittoException() {
        long seed = RandomValues.seed("CborTest.corruptedInputFailsOnlyWithDittoException");
        Random random = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = Cbor.encode(RandomValues.value(random, 0, true));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations && bytes.length > 0; m++) {
                int at = random.nextInt(bytes.length);
                if (random.nextInt(4) == 0) {
                    bytes = Arrays.copyOf(bytes, at);
                } else {
                    bytes[at] = (byte) random.nextInt(256);
                }
            }
            byte[] input = bytes;
            try {
                Cbor.decode(input);
            } catch (DittoException e) {
                assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
                assertTrue(e.getMessage().startsWith("invalid CBOR: ") && e.getMessage().matches("(?s).* at offset \\d+"),
                        "seed " + seed + ": " + e.getMessage());
            }
        }
    }

    private static Object shuffleKeys(Object value, Random random) {
        if (value instanceof Map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(((Map<?, ?>) value).entrySet());
            Collections.shuffle(entries, random);
            Map<String, Object> shuffled = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : entries) {
                shuffled.put((String) e.getKey(), shuffleKeys(e.getValue(), random));
            }
            return shuffled;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            for (Object element : (List<?>) value) {
                copy.add(shuffleKeys(element, random));
            }
            return copy;
        }
        return value;
    }
}
