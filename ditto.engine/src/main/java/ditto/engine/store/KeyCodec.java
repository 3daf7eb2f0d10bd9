package ditto.engine.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.DqlValues;
import ditto.engine.dql.Missing;

/**
 * The order-preserving ("memcomparable") byte encoding of DQL values used for storage keys:
 * document keys (by {@code _id}) and index entries (by the indexed value).
 *
 * <p>Invariants, checked by {@code KeyCodecTest} on random values:
 * <ul>
 * <li>unsigned lexicographic order of two encodings is the order of {@link DqlValues#compare}
 *     (boolean &lt; number &lt; binary &lt; string &lt; array &lt; object &lt; null &lt; missing);</li>
 * <li>two values have the same encoding exactly when {@link DqlValues#equal} holds (numbers by
 *     value: {@code 2}, {@code 2.0} and {@code 2.00} share one encoding);</li>
 * <li>every encoding is self-delimiting: none is a proper prefix of another, so an encoding can
 *     be followed by more bytes (an index key is value, then {@code _id}) and a prefix range
 *     {@code [e, successor(e))} holds exactly the keys starting with one value.</li>
 * </ul>
 *
 * <p>Layout: one tag byte whose high nibble is the type rank ({@link #rankStart}), then:
 * <pre>
 *  false 0x10   true 0x11
 *  number  0x20 negative | 0x21 zero | 0x22 positive, then (non-zero) the decimal exponent E as
 *          4 bytes (sign bit flipped; all bits inverted for negatives) and the significant digits
 *          d1 d2 … (value = 0.d1d2… × 10^E, no trailing zero) one byte each (d+1, or 10-d for
 *          negatives), closed by 0x00 (0xFF for negatives)
 *  binary 0x30, string 0x40: the bytes (UTF-8 for strings, which orders by code point) with
 *          0x00 written as 0x00 0xFF, closed by 0x00 0x01
 *  array  0x50: the encoded elements, closed by 0x00
 *  object 0x60: per entry in key order 0x01, the key as escaped bytes, the encoded value; closed by 0x00
 *  null 0x70    missing 0x80
 * </pre>
 * Stateless and thread-safe.
 */
final class KeyCodec {

    static final int FALSE = 0x10;
    static final int TRUE = 0x11;
    static final int NEGATIVE = 0x20;
    static final int ZERO = 0x21;
    static final int POSITIVE = 0x22;
    static final int BINARY = 0x30;
    static final int STRING = 0x40;
    static final int ARRAY = 0x50;
    static final int OBJECT = 0x60;
    static final int NULL = 0x70;
    static final int MISSING = 0x80;

    private static final int END = 0x00;
    private static final int ENTRY = 0x01;
    private static final int MAX_DEPTH = 300;

    private KeyCodec() {
    }

    /**
     * Encodes a value.
     *
     * @param value a JSON-model value or {@link Missing#INSTANCE}
     * @return a fresh array
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for a non-finite number or a
     *         value outside the JSON model
     */
    static byte[] encode(Object value) {
        Buffer out = new Buffer(32);
        write(out, value, 0);
        return out.toArray();
    }

    /** Appends the encoding of {@code value} to {@code out}. */
    static void write(Buffer out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "key: value nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null) {
            out.put(NULL);
        } else if (value instanceof String s) {
            out.put(STRING);
            writeEscaped(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Boolean b) {
            out.put(b ? TRUE : FALSE);
        } else if (value instanceof Number n) {
            writeNumber(out, n);
        } else if (value instanceof byte[] bytes) {
            out.put(BINARY);
            writeEscaped(out, bytes);
        } else if (value instanceof List<?> list) {
            out.put(ARRAY);
            for (Object element : list) {
                write(out, element == Missing.INSTANCE ? null : element, depth + 1);
            }
            out.put(END);
        } else if (value instanceof Map<?, ?> map) {
            out.put(OBJECT);
            TreeMap<byte[], Object> sorted = new TreeMap<>(Arrays::compareUnsigned);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sorted.put(String.valueOf(e.getKey()).getBytes(StandardCharsets.UTF_8), e.getValue());
            }
            for (Map.Entry<byte[], Object> e : sorted.entrySet()) {
                out.put(ENTRY);
                writeEscaped(out, e.getKey());
                write(out, e.getValue(), depth + 1);
            }
            out.put(END);
        } else if (value == Missing.INSTANCE) {
            out.put(MISSING);
        } else {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "key: " + value.getClass().getName() + " is not a JSON-model value");
        }
    }

    /** Writes a string's UTF-8 bytes escaped and terminated, without a tag (collection and index names). */
    static void writeName(Buffer out, String name) {
        writeEscaped(out, name.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeEscaped(Buffer out, byte[] bytes) {
        out.ensure(bytes.length + 2);
        for (byte b : bytes) {
            if (b == 0) {
                out.put(0x00);
                out.put(0xFF);
            } else {
                out.put(b & 0xFF);
            }
        }
        out.put(0x00);
        out.put(0x01);
    }

    private static void writeNumber(Buffer out, Number n) {
        String digits;
        int exponent;
        int signum;
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            long v = n.longValue();
            if (v == 0) {
                out.put(ZERO);
                return;
            }
            signum = v < 0 ? -1 : 1;
            String abs = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(v));
            exponent = abs.length();
            digits = stripZeros(abs);
        } else {
            BigDecimal d;
            if (n instanceof Double || n instanceof Float) {
                double x = n.doubleValue();
                if (!Double.isFinite(x)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "key: number " + x + " is not finite");
                }
                if (x == Math.rint(x) && Math.abs(x) < 0x1p62) {
                    writeNumber(out, (long) x);
                    return;
                }
                d = new BigDecimal(x);
            } else if (n instanceof BigInteger bi) {
                d = new BigDecimal(bi);
            } else if (n instanceof BigDecimal bd) {
                d = bd;
            } else {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                        "key: " + n.getClass().getName() + " is not a JSON-model number");
            }
            if (d.signum() == 0) {
                out.put(ZERO);
                return;
            }
            d = d.stripTrailingZeros();
            signum = d.signum();
            digits = d.unscaledValue().abs().toString();
            long e = (long) digits.length() - d.scale();
            if (e > Integer.MAX_VALUE || e < Integer.MIN_VALUE) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "key: number exponent out of range");
            }
            exponent = (int) e;
        }
        out.ensure(digits.length() + 6);
        int biased = exponent ^ 0x80000000;
        if (signum > 0) {
            out.put(POSITIVE);
            out.putInt(biased);
            for (int i = 0; i < digits.length(); i++) {
                out.put(digits.charAt(i) - '0' + 1);
            }
            out.put(0x00);
        } else {
            out.put(NEGATIVE);
            out.putInt(~biased);
            for (int i = 0; i < digits.length(); i++) {
                out.put(10 - (digits.charAt(i) - '0'));
            }
            out.put(0xFF);
        }
    }

    private static String stripZeros(String digits) {
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }

    /**
     * Returns the first tag of a DQL type rank (the type of {@code sample}), so that
     * {@code [rankStart(v), rankEnd(v))} holds exactly the encodings of values of v's type.
     */
    static int rankStart(Object sample) {
        byte[] e = encode(sample);
        return e[0] & 0xF0;
    }

    /** Returns the tag after the last one of the type rank of {@code sample}. */
    static int rankEnd(Object sample) {
        return rankStart(sample) + 0x10;
    }

    /**
     * Returns the offset just past the value encoded at {@code offset}.
     *
     * @throws DittoException {@link ErrorCode#STORE} if the bytes are not an encoding
     */
    static int skip(byte[] key, int offset) {
        try {
            return skipValue(key, offset, 0);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw corrupt(key);
        }
    }

    private static int skipValue(byte[] key, int i, int depth) {
        if (depth > MAX_DEPTH) {
            throw corrupt(key);
        }
        int tag = key[i++] & 0xFF;
        switch (tag) {
            case FALSE, TRUE, ZERO, NULL, MISSING:
                return i;
            case POSITIVE:
                i += 4;
                while (key[i] != 0) {
                    i++;
                }
                return i + 1;
            case NEGATIVE:
                i += 4;
                while ((key[i] & 0xFF) != 0xFF) {
                    i++;
                }
                return i + 1;
            case BINARY, STRING:
                return skipEscaped(key, i);
            case ARRAY:
                while (key[i] != END) {
                    i = skipValue(key, i, depth + 1);
                }
                return i + 1;
            case OBJECT:
                while (key[i] != END) {
                    if (key[i] != ENTRY) {
                        throw corrupt(key);
                    }
                    i = skipEscaped(key, i + 1);
                    i = skipValue(key, i, depth + 1);
                }
                return i + 1;
            default:
                throw corrupt(key);
        }
    }

    /** Returns the offset past an escaped, terminated byte string starting at {@code i}. */
    static int skipEscaped(byte[] key, int i) {
        while (true) {
            if (key[i] == 0) {
                if (key[i + 1] == 0x01) {
                    return i + 2;
                }
                i += 2;
            } else {
                i++;
            }
        }
    }

    /**
     * Decodes the value encoded at the start of {@code key}. Numbers come back as Long when
     * integral and in range, else as BigDecimal; arrays and objects as unmodifiable collections.
     *
     * @throws DittoException {@link ErrorCode#STORE} if the bytes are not an encoding
     */
    static Object decode(byte[] key) {
        return decode(key, 0);
    }

    /** Decodes the value encoded at {@code offset}. */
    static Object decode(byte[] key, int offset) {
        try {
            int[] pos = {offset};
            return readValue(key, pos, 0);
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            throw corrupt(key);
        }
    }

    private static Object readValue(byte[] key, int[] pos, int depth) {
        if (depth > MAX_DEPTH) {
            throw corrupt(key);
        }
        int tag = key[pos[0]++] & 0xFF;
        switch (tag) {
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case ZERO:
                return 0L;
            case NULL:
                return null;
            case MISSING:
                return Missing.INSTANCE;
            case POSITIVE, NEGATIVE: {
                boolean negative = tag == NEGATIVE;
                int i = pos[0];
                int biased = ((key[i] & 0xFF) << 24) | ((key[i + 1] & 0xFF) << 16) | ((key[i + 2] & 0xFF) << 8)
                        | (key[i + 3] & 0xFF);
                int exponent = (negative ? ~biased : biased) ^ 0x80000000;
                i += 4;
                StringBuilder digits = new StringBuilder();
                while (true) {
                    int b = key[i++] & 0xFF;
                    if (!negative && b == 0 || negative && b == 0xFF) {
                        break;
                    }
                    digits.append((char) ('0' + (negative ? 10 - b : b - 1)));
                }
                pos[0] = i;
                BigDecimal d = new BigDecimal(new BigInteger(digits.toString()), digits.length() - exponent);
                if (negative) {
                    d = d.negate();
                }
                if (d.scale() <= 0 && d.precision() - d.scale() <= 19) {
                    try {
                        return d.longValueExact();
                    } catch (ArithmeticException e) {
                        return d;
                    }
                }
                return d;
            }
            case BINARY:
                return readEscaped(key, pos);
            case STRING:
                return new String(readEscaped(key, pos), StandardCharsets.UTF_8);
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                while (key[pos[0]] != END) {
                    out.add(readValue(key, pos, depth + 1));
                }
                pos[0]++;
                return Collections.unmodifiableList(out);
            }
            case OBJECT: {
                Map<String, Object> out = new LinkedHashMap<>();
                while (key[pos[0]] != END) {
                    if (key[pos[0]] != ENTRY) {
                        throw corrupt(key);
                    }
                    pos[0]++;
                    String k = new String(readEscaped(key, pos), StandardCharsets.UTF_8);
                    out.put(k, readValue(key, pos, depth + 1));
                }
                pos[0]++;
                return Collections.unmodifiableMap(out);
            }
            default:
                throw corrupt(key);
        }
    }

    /** Reads an escaped, terminated byte string at {@code pos[0]} and moves past it. */
    static byte[] readEscaped(byte[] key, int[] pos) {
        Buffer out = new Buffer(16);
        int i = pos[0];
        while (true) {
            int b = key[i] & 0xFF;
            if (b == 0) {
                int next = key[i + 1] & 0xFF;
                if (next == 0x01) {
                    pos[0] = i + 2;
                    return out.toArray();
                }
                if (next != 0xFF) {
                    throw corrupt(key);
                }
                out.put(0);
                i += 2;
            } else {
                out.put(b);
                i++;
            }
        }
    }

    /**
     * Returns the smallest byte string greater than every string that starts with
     * {@code prefix}, or null if there is none (the prefix is all 0xFF).
     */
    static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if ((prefix[i] & 0xFF) != 0xFF) {
                byte[] out = Arrays.copyOf(prefix, i + 1);
                out[i]++;
                return out;
            }
        }
        return null;
    }

    private static DittoException corrupt(byte[] key) {
        return new DittoException(ErrorCode.STORE, "store: a stored key is not a valid value encoding ("
                + key.length + " bytes); the store may be damaged");
    }

    /** A growable byte buffer, confined to one thread. */
    static final class Buffer {
        private byte[] bytes;
        private int size;

        Buffer(int capacity) {
            bytes = new byte[Math.max(capacity, 8)];
        }

        Buffer(byte[] prefix, int extra) {
            bytes = Arrays.copyOf(prefix, prefix.length + Math.max(extra, 8));
            size = prefix.length;
        }

        void ensure(int extra) {
            if (size + extra > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
            }
        }

        void put(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) b;
        }

        void putInt(int v) {
            ensure(4);
            bytes[size++] = (byte) (v >>> 24);
            bytes[size++] = (byte) (v >>> 16);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        int size() {
            return size;
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
