package ditto.api.internal;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Strict JSON (RFC 8259) reader and writer over the JSON value model.
 *
 * <p><b>Writing</b> accepts {@code null}, {@code Boolean}, {@code Long}/{@code Integer}/
 * {@code Short}/{@code Byte}, {@code Double}/{@code Float} (finite only), {@code BigInteger},
 * {@code BigDecimal}, {@code String}, {@code byte[]}, any {@code List} and any {@code Map}
 * whose keys are all {@code String}s. JSON has no binary type, so a {@code byte[]} is written
 * as a string holding its standard base64 encoding (RFC 4648 §4, with padding); reading it
 * back gives that {@code String}, not the bytes. Output is compact (no insignificant
 * whitespace); non-ASCII characters are written as themselves, control characters escaped.
 *
 * <p><b>Reading</b> gives {@code null}, {@code Boolean}, {@code Long} for integers (or
 * {@code BigInteger} if outside the {@code long} range), {@code Double} for numbers with a
 * fraction or exponent (or {@code BigDecimal} if the value overflows or underflows a
 * {@code double}), {@code String}, {@code ArrayList} and {@code LinkedHashMap} (keys in
 * document order). JSON carries numbers, not Java types: a {@code BigInteger} that fits a
 * {@code long} reads back as a {@code Long}, a {@code BigDecimal} usually as a
 * {@code Double}. The reader is strict: no comments, trailing commas, leading zeros,
 * byte-order mark, unescaped control characters, unpaired surrogates or duplicate object keys.
 *
 * <p><b>Limits.</b> Containers nest at most {@link #DEFAULT_MAX_DEPTH} levels unless a limit
 * is given (at most {@link #MAX_DEPTH_LIMIT}); a top-level array or object is level 1. A
 * number token may be at most {@value #MAX_NUMBER_LENGTH} characters long. Every malformed
 * input is reported as {@link DittoException} with {@link ErrorCode#INVALID_ARGUMENTS} and
 * the message {@code "invalid JSON: <what> at offset N"}, where N counts bytes for
 * {@code byte[]} input (which must be UTF-8) and {@code char}s for {@code String} input.
 * Write errors name the path of the bad value: {@code "cannot write JSON: <what> at $.a[2]"}.
 *
 * <p>All methods are static and thread-safe; a value must not be mutated while it is written.
 */
public final class Json {
    /** The nesting limit used when none is given: 64 levels of arrays and objects. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** The largest nesting limit a caller may ask for; it keeps recursion far from the stack's end. */
    public static final int MAX_DEPTH_LIMIT = 1024;
    /** The longest number token the reader accepts, in characters. */
    public static final int MAX_NUMBER_LENGTH = 4096;

    private Json() {
    }

    /**
     * Writes a value as compact JSON text, nesting at most {@link #DEFAULT_MAX_DEPTH} levels.
     *
     * @param value a JSON-model value, may be null
     * @return the JSON text, never null
     * @throws DittoException INVALID_ARGUMENTS if the value (or something inside it) is not a
     *         JSON-model value, is a non-finite number, has a non-string map key, a string
     *         with an unpaired surrogate, or nests too deeply (which includes cycles)
     */
    public static String write(Object value) {
        return write(value, DEFAULT_MAX_DEPTH);
    }

    /**
     * Writes a value as compact JSON text, nesting at most {@code maxDepth} levels.
     *
     * @param value a JSON-model value, may be null
     * @param maxDepth the nesting limit, 0 to {@link #MAX_DEPTH_LIMIT}
     * @return the JSON text, never null
     * @throws DittoException INVALID_ARGUMENTS as for {@link #write(Object)}, or if
     *         {@code maxDepth} is out of range
     */
    public static String write(Object value, int maxDepth) {
        Writer writer = new Writer(checkMaxDepth(maxDepth));
        writer.value(value, 0);
        return writer.out.toString();
    }

    /**
     * Writes a value as UTF-8 encoded compact JSON, nesting at most {@link #DEFAULT_MAX_DEPTH} levels.
     *
     * @param value a JSON-model value, may be null
     * @return the UTF-8 bytes of the JSON text, never null
     * @throws DittoException as for {@link #write(Object)}
     */
    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes a value as UTF-8 encoded compact JSON, nesting at most {@code maxDepth} levels.
     *
     * @param value a JSON-model value, may be null
     * @param maxDepth the nesting limit, 0 to {@link #MAX_DEPTH_LIMIT}
     * @return the UTF-8 bytes of the JSON text, never null
     * @throws DittoException as for {@link #write(Object, int)}
     */
    public static byte[] writeBytes(Object value, int maxDepth) {
        return write(value, maxDepth).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses one JSON text, nesting at most {@link #DEFAULT_MAX_DEPTH} levels.
     *
     * @param json the JSON text; surrounding whitespace is allowed, anything else is not
     * @return the value (see the class description for the types), may be null for {@code "null"}
     * @throws DittoException INVALID_ARGUMENTS naming what is wrong and its offset in chars
     * @throws NullPointerException if {@code json} is null
     */
    public static Object parse(String json) {
        return parse(json, DEFAULT_MAX_DEPTH);
    }

    /**
     * Parses one JSON text, nesting at most {@code maxDepth} levels.
     *
     * @param json the JSON text
     * @param maxDepth the nesting limit, 0 to {@link #MAX_DEPTH_LIMIT}
     * @return the value, may be null
     * @throws DittoException INVALID_ARGUMENTS naming what is wrong and its offset in chars,
     *         or if {@code maxDepth} is out of range
     * @throws NullPointerException if {@code json} is null
     */
    public static Object parse(String json, int maxDepth) {
        Objects.requireNonNull(json, "json");
        return new Parser(json, null, json.length(), checkMaxDepth(maxDepth)).document();
    }

    /**
     * Parses one UTF-8 encoded JSON text, nesting at most {@link #DEFAULT_MAX_DEPTH} levels.
     *
     * @param json the UTF-8 bytes of the JSON text; not modified or retained
     * @return the value, may be null
     * @throws DittoException INVALID_ARGUMENTS naming what is wrong (including malformed
     *         UTF-8) and its byte offset
     * @throws NullPointerException if {@code json} is null
     */
    public static Object parse(byte[] json) {
        return parse(json, DEFAULT_MAX_DEPTH);
    }

    /**
     * Parses one UTF-8 encoded JSON text, nesting at most {@code maxDepth} levels.
     *
     * @param json the UTF-8 bytes of the JSON text; not modified or retained
     * @param maxDepth the nesting limit, 0 to {@link #MAX_DEPTH_LIMIT}
     * @return the value, may be null
     * @throws DittoException INVALID_ARGUMENTS naming what is wrong and its byte offset, or if
     *         {@code maxDepth} is out of range
     * @throws NullPointerException if {@code json} is null
     */
    public static Object parse(byte[] json, int maxDepth) {
        Objects.requireNonNull(json, "json");
        return new Parser(null, json, json.length, checkMaxDepth(maxDepth)).document();
    }

    /**
     * Parses a JSON text that must be an object, nesting at most {@link #DEFAULT_MAX_DEPTH} levels.
     *
     * @param json the JSON text
     * @return the object's members in document order, never null
     * @throws DittoException INVALID_ARGUMENTS if the text is malformed or not an object
     * @throws NullPointerException if {@code json} is null
     */
    public static Map<String, Object> parseObject(String json) {
        return requireObject(parse(json));
    }

    /**
     * Parses a UTF-8 encoded JSON text that must be an object, nesting at most
     * {@link #DEFAULT_MAX_DEPTH} levels.
     *
     * @param json the UTF-8 bytes of the JSON text
     * @return the object's members in document order, never null
     * @throws DittoException INVALID_ARGUMENTS if the text is malformed or not an object
     * @throws NullPointerException if {@code json} is null
     */
    public static Map<String, Object> parseObject(byte[] json) {
        return requireObject(parse(json));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requireObject(Object value) {
        if (value instanceof Map) {
            return (Map<String, Object>) value;
        }
        throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                "invalid JSON: expected an object but found " + describeType(value) + " at offset 0");
    }

    static String describeType(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Map) {
            return "an object";
        }
        return value.getClass().getName();
    }

    static int checkMaxDepth(int maxDepth) {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "invalid nesting limit: " + maxDepth + " is not between 0 and " + MAX_DEPTH_LIMIT);
        }
        return maxDepth;
    }

    /** Recursive-descent writer; recursion depth is bounded by {@code maxDepth}. */
    private static final class Writer {
        private static final char[] HEX = "0123456789abcdef".toCharArray();

        final StringBuilder out = new StringBuilder(64);
        private final int maxDepth;
        private final ValuePath path;

        Writer(int maxDepth) {
            this.maxDepth = maxDepth;
            this.path = new ValuePath(maxDepth);
        }

        void value(Object v, int depth) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof String) {
                string((String) v, depth);
            } else if (v instanceof Boolean) {
                out.append(((Boolean) v).booleanValue());
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                out.append(((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (!Double.isFinite(d)) {
                    throw path.error("JSON", "non-finite number " + d, depth);
                }
                out.append(d);
            } else if (v instanceof BigInteger || v instanceof BigDecimal) {
                out.append(v);
            } else if (v instanceof byte[]) {
                out.append('"').append(Base64.getEncoder().encodeToString((byte[]) v)).append('"');
            } else if (v instanceof Map) {
                object((Map<?, ?>) v, depth);
            } else if (v instanceof List) {
                array((List<?>) v, depth);
            } else {
                throw path.error("JSON", "unsupported value type " + v.getClass().getName(), depth);
            }
        }

        private void object(Map<?, ?> map, int depth) {
            if (depth + 1 > maxDepth) {
                throw path.error("JSON", "nesting deeper than " + maxDepth + " levels", depth);
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = e.getKey();
                if (!(key instanceof String)) {
                    throw path.error("JSON", "map key " + (key == null ? "null" : "of type "
                            + key.getClass().getName()) + " is not a string", depth);
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                path.set(depth + 1, key);
                string((String) key, depth + 1);
                out.append(':');
                value(e.getValue(), depth + 1);
            }
            out.append('}');
        }

        private void array(List<?> list, int depth) {
            if (depth + 1 > maxDepth) {
                throw path.error("JSON", "nesting deeper than " + maxDepth + " levels", depth);
            }
            out.append('[');
            int index = 0;
            for (Object element : list) {
                if (index > 0) {
                    out.append(',');
                }
                path.set(depth + 1, index);
                value(element, depth + 1);
                index++;
            }
            out.append(']');
        }

        private void string(String s, int depth) {
            out.append('"');
            int n = s.length();
            int runStart = 0;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                    continue;
                }
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                if (Character.isSurrogate(c)) {
                    throw path.error("JSON", "unpaired surrogate at index " + i + " of a string", depth);
                }
                out.append(s, runStart, i);
                runStart = i + 1;
                switch (c) {
                    case '"': out.append("\\\""); break;
                    case '\\': out.append("\\\\"); break;
                    case '\n': out.append("\\n"); break;
                    case '\r': out.append("\\r"); break;
                    case '\t': out.append("\\t"); break;
                    case '\b': out.append("\\b"); break;
                    case '\f': out.append("\\f"); break;
                    default: out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            }
            out.append(s, runStart, n).append('"');
        }
    }

    /**
     * Recursive-descent parser over either a {@code String} (offsets in chars) or UTF-8 bytes
     * (offsets in bytes). Recursion depth is bounded by {@code maxDepth}; nothing is allocated
     * in proportion to anything but input already consumed.
     */
    private static final class Parser {
        private final String text;
        private final byte[] bytes;
        private final int length;
        private final int maxDepth;
        private int pos;

        Parser(String text, byte[] bytes, int length, int maxDepth) {
            this.text = text;
            this.bytes = bytes;
            this.length = length;
            this.maxDepth = maxDepth;
        }

        private int unit(int i) {
            return bytes != null ? bytes[i] & 0xFF : text.charAt(i);
        }

        private DittoException error(String what, int offset) {
            return new DittoException(ErrorCode.INVALID_ARGUMENTS, "invalid JSON: " + what + " at offset " + offset);
        }

        private String describe(int c) {
            if (c >= 0x20 && c < 0x7F) {
                return "character '" + (char) c + "'";
            }
            return bytes != null ? String.format("byte 0x%02x", c) : String.format("character U+%04X", c);
        }

        Object document() {
            skipWhitespace();
            Object value = value(0);
            skipWhitespace();
            if (pos < length) {
                throw error("unexpected " + describe(unit(pos)) + " after the value", pos);
            }
            return value;
        }

        private void skipWhitespace() {
            while (pos < length) {
                int c = unit(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        private int peek(String expected) {
            if (pos >= length) {
                throw error("unexpected end of input, expected " + expected, pos);
            }
            return unit(pos);
        }

        private Object value(int depth) {
            int c = peek("a value");
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected " + describe(c) + ", expected a value", pos);
            }
        }

        private void literal(String word) {
            int start = pos;
            for (int i = 0; i < word.length(); i++) {
                if (pos >= length || unit(pos) != word.charAt(i)) {
                    throw error("invalid literal, expected '" + word + "'", start);
                }
                pos++;
            }
        }

        private Map<String, Object> object(int depth) {
            if (depth > maxDepth) {
                throw error("nesting deeper than " + maxDepth + " levels", pos);
            }
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek("a key or '}'") == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                int keyStart = pos;
                if (peek("a string key") != '"') {
                    throw error("unexpected " + describe(unit(pos)) + ", expected a string key", pos);
                }
                String key = string();
                skipWhitespace();
                if (peek("':'") != ':') {
                    throw error("unexpected " + describe(unit(pos)) + ", expected ':'", pos);
                }
                pos++;
                skipWhitespace();
                Object v = value(depth);
                if (map.containsKey(key)) {
                    throw error("duplicate key \"" + ValuePath.abbreviate(key) + "\"", keyStart);
                }
                map.put(key, v);
                skipWhitespace();
                int c = peek("',' or '}'");
                pos++;
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("unexpected " + describe(c) + ", expected ',' or '}'", pos - 1);
                }
            }
        }

        private List<Object> array(int depth) {
            if (depth > maxDepth) {
                throw error("nesting deeper than " + maxDepth + " levels", pos);
            }
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek("a value or ']'") == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                int c = peek("',' or ']'");
                pos++;
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error("unexpected " + describe(c) + ", expected ',' or ']'", pos - 1);
                }
            }
        }

        private String string() {
            int quote = pos;
            int start = ++pos;
            while (pos < length) {
                int c = unit(pos);
                if (c == '"') {
                    pos++;
                    return bytes != null
                            ? new String(bytes, start, pos - 1 - start, StandardCharsets.ISO_8859_1)
                            : text.substring(start, pos - 1);
                }
                if (c == '\\' || c < 0x20 || c >= 0x80) {
                    break;
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(pos - start + 16);
            for (int i = start; i < pos; i++) {
                sb.append((char) unit(i));
            }
            while (true) {
                if (pos >= length) {
                    throw error("unterminated string", quote);
                }
                int c = unit(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                } else if (c == '\\') {
                    escape(sb);
                } else if (c < 0x20) {
                    throw error("unescaped control character U+" + String.format("%04X", c) + " in string", pos);
                } else if (c < 0x80) {
                    sb.append((char) c);
                    pos++;
                } else if (bytes != null) {
                    int next = Utf8.decodeCodePoint(bytes, pos, length, sb);
                    if (next < 0) {
                        throw error("malformed UTF-8", pos);
                    }
                    pos = next;
                } else if (Character.isHighSurrogate((char) c)) {
                    if (pos + 1 >= length || !Character.isLowSurrogate(text.charAt(pos + 1))) {
                        throw error("unpaired surrogate", pos);
                    }
                    sb.append((char) c).append(text.charAt(pos + 1));
                    pos += 2;
                } else if (Character.isLowSurrogate((char) c)) {
                    throw error("unpaired surrogate", pos);
                } else {
                    sb.append((char) c);
                    pos++;
                }
            }
        }

        private void escape(StringBuilder sb) {
            int start = pos;
            pos++;
            int c = peek("an escape character");
            pos++;
            switch (c) {
                case '"': sb.append('"'); return;
                case '\\': sb.append('\\'); return;
                case '/': sb.append('/'); return;
                case 'b': sb.append('\b'); return;
                case 'f': sb.append('\f'); return;
                case 'n': sb.append('\n'); return;
                case 'r': sb.append('\r'); return;
                case 't': sb.append('\t'); return;
                case 'u':
                    break;
                default:
                    throw error("invalid escape sequence", start);
            }
            char unit = (char) hex4();
            if (Character.isLowSurrogate(unit)) {
                throw error("unpaired surrogate escape", start);
            }
            if (Character.isHighSurrogate(unit)) {
                if (pos + 1 >= length || unit(pos) != '\\' || unit(pos + 1) != 'u') {
                    throw error("unpaired surrogate escape", start);
                }
                pos += 2;
                char low = (char) hex4();
                if (!Character.isLowSurrogate(low)) {
                    throw error("unpaired surrogate escape", start);
                }
                sb.append(unit).append(low);
                return;
            }
            sb.append(unit);
        }

        private int hex4() {
            if (pos + 4 > length) {
                throw error("unexpected end of input in \\u escape", pos);
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int c = unit(pos);
                int d = Character.digit(c < 0x80 ? (char) c : '?', 16);
                if (d < 0) {
                    throw error("invalid hex digit in \\u escape", pos);
                }
                v = (v << 4) | d;
                pos++;
            }
            return v;
        }

        private Object number() {
            int start = pos;
            if (unit(pos) == '-') {
                pos++;
            }
            int c = peek("a digit");
            if (c == '0') {
                pos++;
                if (pos < length && isDigit(unit(pos))) {
                    throw error("leading zero in number", start);
                }
            } else if (c >= '1' && c <= '9') {
                digits();
            } else {
                throw error("unexpected " + describe(c) + ", expected a digit", pos);
            }
            boolean integral = true;
            int mantissaEnd = pos;
            if (pos < length && unit(pos) == '.') {
                pos++;
                if (pos >= length || !isDigit(unit(pos))) {
                    throw error("expected a digit after the decimal point", pos);
                }
                digits();
                mantissaEnd = pos;
                integral = false;
            }
            if (pos < length && (unit(pos) == 'e' || unit(pos) == 'E')) {
                pos++;
                if (pos < length && (unit(pos) == '+' || unit(pos) == '-')) {
                    pos++;
                }
                if (pos >= length || !isDigit(unit(pos))) {
                    throw error("expected a digit in the exponent", pos);
                }
                digits();
                integral = false;
            }
            int tokenLength = pos - start;
            if (tokenLength > MAX_NUMBER_LENGTH) {
                throw error("number longer than " + MAX_NUMBER_LENGTH + " characters", start);
            }
            String token = bytes != null
                    ? new String(bytes, start, tokenLength, StandardCharsets.ISO_8859_1)
                    : text.substring(start, pos);
            if (integral) {
                int digitCount = token.charAt(0) == '-' ? tokenLength - 1 : tokenLength;
                if (digitCount <= 18) {
                    return Long.parseLong(token);
                }
                BigInteger big = new BigInteger(token);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
            double d = Double.parseDouble(token);
            if (Double.isInfinite(d) || (d == 0.0 && hasNonZeroDigit(start, mantissaEnd))) {
                try {
                    return new BigDecimal(token);
                } catch (NumberFormatException | ArithmeticException e) {
                    throw error("number out of range", start);
                }
            }
            return d;
        }

        private boolean hasNonZeroDigit(int from, int to) {
            for (int i = from; i < to; i++) {
                int c = unit(i);
                if (c >= '1' && c <= '9') {
                    return true;
                }
            }
            return false;
        }

        private void digits() {
            while (pos < length && isDigit(unit(pos))) {
                pos++;
            }
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }
    }
}
