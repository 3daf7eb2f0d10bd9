package ditto.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    private static DittoException invalid(Runnable action) {
        DittoException e = assertThrows(DittoException.class, action::run);
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        return e;
    }

    @Test
    void writesScalarsCompactly() {
        assertEquals("null", Json.write(null));
        assertEquals("true", Json.write(true));
        assertEquals("42", Json.write(42L));
        assertEquals("42", Json.write(42));
        assertEquals("-7", Json.write((short) -7));
        assertEquals("5", Json.write((byte) 5));
        assertEquals("1.5", Json.write(1.5));
        assertEquals("2.0", Json.write(2.0));
        assertEquals("0.5", Json.write(0.5f));
        assertEquals("123456789012345678901234567890", Json.write(new BigInteger("123456789012345678901234567890")));
        assertEquals("1.2345E+400", Json.write(new BigDecimal("1.2345E+400")));
        assertEquals("\"h\u00e9\"", Json.write("h\u00e9"));
    }

    @Test
    void writesContainersInIterationOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1L);
        map.put("a", Arrays.asList(true, null, "x"));
        map.put("m", new LinkedHashMap<>());

        assertEquals("{\"z\":1,\"a\":[true,null,\"x\"],\"m\":{}}", Json.write(map));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String s = "q\"b\\n\n\r\t\b\f\u0001\u001f/\u007f";

        String json = Json.write(s);

        assertEquals("\"q\\\"b\\\\n\\n\\r\\t\\b\\f\\u0001\\u001f/\u007f\"", json);
        assertEquals(s, Json.parse(json));
    }

    @Test
    void writesByteArraysAsBase64Strings() {
        byte[] bytes = {0, 1, 2, (byte) 0xFF, (byte) 0xFE};

        String json = Json.write(Map.of("b", bytes));

        assertEquals("{\"b\":\"AAEC//4=\"}", json);
        assertEquals(Map.of("b", "AAEC//4="), Json.parse(json));
    }

    @Test
    void writeBytesProducesUtf8() {
        byte[] bytes = Json.writeBytes(List.of("\u6c34\uD83D\uDE00"));

        assertArrayEquals("[\"\u6c34\uD83D\uDE00\"]".getBytes(StandardCharsets.UTF_8), bytes);
    }

    @Test
    void rejectsNonFiniteNumbersOnWriteNamingThePath() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", List.of(1L, Double.NaN));

        DittoException e = invalid(() -> Json.write(map));

        assertEquals("cannot write JSON: non-finite number NaN at $.a[1]", e.getMessage());
        invalid(() -> Json.write(Double.POSITIVE_INFINITY));
        invalid(() -> Json.write(Float.NEGATIVE_INFINITY));
    }

    @Test
    void rejectsUnsupportedTypesAndNonStringKeys() {
        DittoException type = invalid(() -> Json.write(Map.of("weird key", new Object())));
        assertTrue(type.getMessage().contains("unsupported value type java.lang.Object at $[\"weird key\"]"), type.getMessage());

        Map<Object, Object> nonString = new LinkedHashMap<>();
        nonString.put(1, "x");
        DittoException key = invalid(() -> Json.write(nonString));
        assertTrue(key.getMessage().contains("map key of type java.lang.Integer is not a string"), key.getMessage());
        invalid(() -> Json.write('c'));
    }

    @Test
    void rejectsUnpairedSurrogatesOnWrite() {
        invalid(() -> Json.write("a\uD800b"));
        invalid(() -> Json.write("\uDC00"));
        invalid(() -> Json.write("end\uD83D"));
        assertEquals("\"\uD83D\uDE00\"", Json.write("\uD83D\uDE00"));
    }

    @Test
    void rejectsCyclesAsTooDeep() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);

        DittoException e = invalid(() -> Json.write(cycle));

        assertTrue(e.getMessage().contains("nesting deeper than 64 levels"), e.getMessage());
    }

    @Test
    void writeRespectsTheGivenDepthLimit() {
        Object twoLevels = List.of(List.of());

        assertEquals("[[]]", Json.write(twoLevels, 2));
        invalid(() -> Json.write(twoLevels, 1));
        assertEquals("7", Json.write(7L, 0));
        invalid(() -> Json.write(List.of(), 0));
    }

    @Test
    void rejectsOutOfRangeDepthLimits() {
        invalid(() -> Json.parse("1", -1));
        invalid(() -> Json.parse("1", Json.MAX_DEPTH_LIMIT + 1));
        invalid(() -> Json.write(1L, -1));
    }

    @Test
    void parsesIntegersAsLongOrBigIntegerWhenTheyDoNotFit() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(-0L, Json.parse("-0"));
        assertEquals(123456789012345678L, Json.parse("123456789012345678"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(new BigInteger("-9223372036854775809"), Json.parse("-9223372036854775809"));
    }

    @Test
    void parsesDecimalsAsDoubleOrBigDecimalWhenOutOfRange() {
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(2.0, Json.parse("2.0"));
        assertEquals(1000.0, Json.parse("1E3"));
        assertEquals(-0.025, Json.parse("-2.5e-2"));
        assertEquals(0.0, Json.parse("0.0e-999"));
        assertEquals(new BigDecimal("1e400"), Json.parse("1e400"));
        assertEquals(new BigDecimal("-1.5e-400"), Json.parse("-1.5e-400"));
    }

    @Test
    void parsesObjectsKeepingKeyOrder() {
        Object value = Json.parse(" { \"b\" : 1 , \"a\" : [ ] , \"c\" : { \"d\" : null } } ");

        Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, value);
        assertEquals(List.of("b", "a", "c"), new ArrayList<>(map.keySet()));
        assertEquals(List.of(), map.get("a"));
        assertNull(((Map<?, ?>) map.get("c")).get("d"));
    }

    @Test
    void parsesEscapesIncludingSurrogatePairs() {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\uD83D\uDE00", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
    }

    @Test
    void parsesUtf8BytesAndRawNonAsciiText() {
        String text = "{\"k\u00e9y\":\"\u6c34\uD83D\uDE00\"}";

        assertEquals(Map.of("k\u00e9y", "\u6c34\uD83D\uDE00"), Json.parse(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("k\u00e9y", "\u6c34\uD83D\uDE00"), Json.parse(text));
    }

    @Test
    void parseObjectRejectsOtherTopLevelValues() {
        assertEquals(Map.of("a", 1L), Json.parseObject("{\"a\":1}"));
        DittoException e = invalid(() -> Json.parseObject("[1]"));
        assertTrue(e.getMessage().contains("expected an object but found an array"), e.getMessage());
        invalid(() -> Json.parseObject("null".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|unexpected end of input, expected a value at offset 0",
        "`   `|unexpected end of input, expected a value at offset 3",
        "`[1,`|unexpected end of input, expected a value at offset 3",
        "`[1,]`|unexpected character ']', expected a value at offset 3",
        "`{\"a\":1,}`|unexpected character '}', expected a string key at offset 7",
        "`{1:2}`|unexpected character '1', expected a string key at offset 1",
        "`{\"a\" 1}`|unexpected character '1', expected ':' at offset 5",
        "`[1 2]`|unexpected character '2', expected ',' or ']' at offset 3",
        "`{\"a\":1 \"b\"}`|unexpected character '\"', expected ',' or '}' at offset 7",
        "`01`|leading zero in number at offset 0",
        "`-`|unexpected end of input, expected a digit at offset 1",
        "`-a`|unexpected character 'a', expected a digit at offset 1",
        "`1.`|expected a digit after the decimal point at offset 2",
        "`1.e5`|expected a digit after the decimal point at offset 2",
        "`1e`|expected a digit in the exponent at offset 2",
        "`1e+`|expected a digit in the exponent at offset 3",
        "`.5`|unexpected character '.', expected a value at offset 0",
        "`+1`|unexpected character '+', expected a value at offset 0",
        "`tru`|invalid literal, expected 'true' at offset 0",
        "`nul1`|invalid literal, expected 'null' at offset 0",
        "`NaN`|unexpected character 'N', expected a value at offset 0",
        "`\"abc`|unterminated string at offset 0",
        "`[\"a\\x\"]`|invalid escape sequence at offset 3",
        "`\"\\u12\"`|unexpected end of input in \\u escape at offset 3",
        "`\"\\u12g4\"`|invalid hex digit in \\u escape at offset 5",
        "`\"\\ud800\"`|unpaired surrogate escape at offset 1",
        "`\"\\ud800\\u0041\"`|unpaired surrogate escape at offset 1",
        "`\"\\udc00\"`|unpaired surrogate escape at offset 1",
        "`1 2`|unexpected character '2' after the value at offset 2",
        "`{} x`|unexpected character 'x' after the value at offset 3",
        "`/* c */ 1`|unexpected character '/', expected a value at offset 0",
        "`{\"a\":1,\"a\":2}`|duplicate key \"a\" at offset 7",
    })
    void rejectsMalformedTextNamingTheOffset(String json, String message) {
        DittoException e = invalid(() -> Json.parse(json));
        assertEquals("invalid JSON: " + message, e.getMessage());
        DittoException fromBytes = invalid(() -> Json.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("invalid JSON: " + message, fromBytes.getMessage());
    }

    @Test
    void rejectsRawControlCharactersAndByteOrderMark() {
        assertEquals("invalid JSON: unescaped control character U+0001 in string at offset 2",
                invalid(() -> Json.parse("\"a\u0001\"")).getMessage());
        assertEquals("invalid JSON: unexpected character U+FEFF, expected a value at offset 0",
                invalid(() -> Json.parse("\uFEFF1")).getMessage());
        assertEquals("invalid JSON: unexpected byte 0xef, expected a value at offset 0",
                invalid(() -> Json.parse(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'})).getMessage());
    }

    @Test
    void rejectsUnpairedSurrogatesInStringInput() {
        assertEquals("invalid JSON: unpaired surrogate at offset 2", invalid(() -> Json.parse("\"a\uD800\"")).getMessage());
        assertEquals("invalid JSON: unpaired surrogate at offset 1", invalid(() -> Json.parse("\"\uDC00\"")).getMessage());
    }

    @Test
    void rejectsMalformedUtf8NamingTheByteOffset() {
        byte[][] inputs = {
            {'"', (byte) 0xC3, '(', '"'},
            {'"', (byte) 0xC0, (byte) 0xAF, '"'},
            {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'},
            {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
            {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'},
            {'"', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"'},
            {'"', (byte) 0x80, '"'},
            {'"', (byte) 0xE2, (byte) 0x82},
        };
        for (byte[] input : inputs) {
            DittoException e = invalid(() -> Json.parse(input));
            assertEquals("invalid JSON: malformed UTF-8 at offset 1", e.getMessage(), Arrays.toString(input));
        }
        assertEquals("invalid JSON: unexpected byte 0xc3, expected a value at offset 0",
                invalid(() -> Json.parse(new byte[] {(byte) 0xC3, (byte) 0xA9})).getMessage());
    }

    @Test
    void enforcesTheNestingLimitWithoutOverflowingTheStack() {
        String ok = "[".repeat(64) + "]".repeat(64);
        String tooDeep = "[".repeat(65) + "]".repeat(65);
        String hostile = "[{\"a\":".repeat(200_000);

        Json.parse(ok);
        assertEquals("invalid JSON: nesting deeper than 64 levels at offset 64", invalid(() -> Json.parse(tooDeep)).getMessage());
        invalid(() -> Json.parse(hostile));
        invalid(() -> Json.parse(hostile.getBytes(StandardCharsets.UTF_8)));
        invalid(() -> Json.parse("[[1]]", 1));
        Json.parse(tooDeep, 65);
        invalid(() -> Json.parse("[]", 0));
    }

    @Test
    void rejectsOverlongNumbers() {
        String digits = "1".repeat(Json.MAX_NUMBER_LENGTH + 1);

        assertEquals("invalid JSON: number longer than 4096 characters at offset 1",
                invalid(() -> Json.parse("[" + digits + "]")).getMessage());
        assertEquals(new BigInteger("9".repeat(Json.MAX_NUMBER_LENGTH)), Json.parse("9".repeat(Json.MAX_NUMBER_LENGTH)));
    }

    @Test
    void rejectsNumbersBeyondBigDecimalRange() {
        assertEquals("invalid JSON: number out of range at offset 0", invalid(() -> Json.parse("1e99999999999")).getMessage());
    }

    @Test
    void roundTripsRandomValues() {
        long seed = RandomValues.seed("JsonTest.roundTripsRandomValues");
        Random random = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            Object value = RandomValues.value(random, 0, false);

            String json = Json.write(value);
            Object fromText = Json.parse(json);
            Object fromBytes = Json.parse(Json.writeBytes(value));

            assertTrue(RandomValues.deepEquals(value, fromText), "seed " + seed + " iteration " + i + ": " + json);
            assertTrue(RandomValues.deepEquals(value, fromBytes), "seed " + seed + " iteration " + i + ": " + json);
        }
    }

    @Test
    void corruptedInputFailsOnlyWithDittoException() {
        long seed = RandomValues.seed("JsonTest.corruptedInputFailsOnlyWithDittoException");
        Random random = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = Json.writeBytes(RandomValues.value(random, 0, false));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations && bytes.length > 0; m++) {
                int at = random.nextInt(bytes.length);
                switch (random.nextInt(3)) {
                    case 0:
                        bytes[at] = (byte) random.nextInt(256);
                        break;
                    case 1:
                        bytes = Arrays.copyOf(bytes, at);
                        break;
                    default:
                        String structural = "{}[],:\"\\0-.e";
                        bytes[at] = (byte) structural.charAt(random.nextInt(structural.length()));
                }
            }
            byte[] input = bytes;
            try {
                Json.parse(input);
                Json.parse(new String(input, StandardCharsets.UTF_8));
            } catch (DittoException e) {
                assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
                assertTrue(e.getMessage().startsWith("invalid JSON: ") && e.getMessage().matches(".* at offset \\d+"),
                        "seed " + seed + ": " + e.getMessage());
            }
        }
    }
}
