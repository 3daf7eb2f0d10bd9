package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for {@code deserialize_json}: produces JSON-model values with
 * the canonical number types (Long, BigInteger beyond 64 bits, Double, BigDecimal beyond the
 * double range), nests at most {@link #MAX_DEPTH} levels, and iterates per level so bounded
 * depth means bounded stack. Malformed text, a duplicate key or excessive depth give null
 * (the function's NULL). Stateless.
 */
final class JsonText {

    static final int MAX_DEPTH = 256;

    private final String s;
    private int pos;

    private JsonText(String s) {
        this.s = s;
    }

    /** Parses {@code text}; returns the value, or null if the text is not valid JSON. */
    static Object parseOrNull(String text) {
        JsonText p = new JsonText(text);
        try {
            Object v = p.value(0);
            p.skipSpace();
            return p.pos == text.length() ? v : null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("too deep");
        }
        skipSpace();
        char c = s.charAt(pos);
        switch (c) {
            case '{': {
                pos++;
                Map<String, Object> map = new LinkedHashMap<>();
                skipSpace();
                if (s.charAt(pos) == '}') {
                    pos++;
                    return Collections.unmodifiableMap(map);
                }
                while (true) {
                    skipSpace();
                    expect('"');
                    String key = string();
                    skipSpace();
                    expect(':');
                    if (map.containsKey(key)) {
                        throw new IllegalArgumentException("duplicate key");
                    }
                    map.put(key, value(depth + 1));
                    skipSpace();
                    if (s.charAt(pos) == ',') {
                        pos++;
                    } else {
                        expect('}');
                        return Collections.unmodifiableMap(map);
                    }
                }
            }
            case '[': {
                pos++;
                List<Object> list = new ArrayList<>();
                skipSpace();
                if (s.charAt(pos) == ']') {
                    pos++;
                    return Collections.unmodifiableList(list);
                }
                while (true) {
                    list.add(value(depth + 1));
                    skipSpace();
                    if (s.charAt(pos) == ',') {
                        pos++;
                    } else {
                        expect(']');
                        return Collections.unmodifiableList(list);
                    }
                }
            }
            case '"':
                pos++;
                return string();
            case 't':
                word("true");
                return Boolean.TRUE;
            case 'f':
                word("false");
                return Boolean.FALSE;
            case 'n':
                word("null");
                return null;
            default:
                return number();
        }
    }

    private void word(String w) {
        if (!s.startsWith(w, pos)) {
            throw new IllegalArgumentException("bad literal");
        }
        pos += w.length();
    }

    private void expect(char c) {
        if (s.charAt(pos) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    pos += 4;
                    break;
                default:
                    throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private Object number() {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        int intStart = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
            pos++;
        }
        if (pos == intStart || s.charAt(intStart) == '0' && pos - intStart > 1) {
            throw new IllegalArgumentException("bad number");
        }
        boolean decimal = false;
        if (pos < s.length() && s.charAt(pos) == '.') {
            decimal = true;
            pos++;
            int f = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == f) {
                throw new IllegalArgumentException("bad fraction");
            }
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            decimal = true;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            int e = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == e) {
                throw new IllegalArgumentException("bad exponent");
            }
        }
        String text = s.substring(start, pos);
        if (text.length() > 4096) {
            throw new IllegalArgumentException("number too long");
        }
        if (!decimal) {
            return Lexer.integerValue(new BigInteger(text));
        }
        double d = Double.parseDouble(text);
        return Double.isInfinite(d) ? new BigDecimal(text) : (Object) d;
    }
}
