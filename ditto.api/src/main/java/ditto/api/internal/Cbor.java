package ditto.api.internal;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CBOR (RFC 8949) encoder and decoder over the JSON value model.
 *
 * <p><b>Encoding</b> accepts the same values as {@link Json#write(Object)}: {@code null},
 * {@code Boolean}, {@code Long}/{@code Integer}/{@code Short}/{@code Byte}, finite
 * {@code Double}/{@code Float}, {@code BigInteger}, {@code BigDecimal}, {@code String},
 * {@code byte[]} (a CBOR byte string), any {@code List} and any {@code Map} with
 * {@code String} keys. It always uses the preferred serialization of RFC 8949 §4.1:
 * definite lengths, the shortest argument for every integer and length, integers in major
 * types 0/1 whenever they fit 64 bits (bignum tags 2/3 only beyond that), and each
 * floating-point number in the shortest of half, single or double precision that keeps its
 * exact value. A {@code BigDecimal} is a decimal fraction (tag 4, {@code [exponent, mantissa]}).
 * {@link #encode(Object)} keeps map entries in iteration order;
 * {@link #encodeCanonical(Object)} also sorts map keys (RFC 8949 §4.2.1 deterministic
 * encoding), so equal values always give byte-identical encodings.
 *
 * <p><b>Decoding</b> gives {@code null}, {@code Boolean}, {@code Long} (or {@code BigInteger}
 * outside the {@code long} range, including bignums), {@code Double} for every float width,
 * {@code BigDecimal} for tag 4, {@code String}, {@code byte[]}, {@code ArrayList} and
 * {@code LinkedHashMap} (keys in encoded order). Indefinite-length items and non-shortest
 * arguments are accepted. Rejected: map keys that are not text strings, duplicate keys,
 * non-finite floats, {@code undefined} and other simple values, tags other than 2, 3, 4 and
 * the self-describe tag 55799 (which is skipped), malformed UTF-8, and trailing bytes.
 *
 * <p><b>Limits.</b> Arrays and maps nest at most {@link Json#DEFAULT_MAX_DEPTH} levels unless
 * a limit is given (at most {@link Json#MAX_DEPTH_LIMIT}). Every declared length and count is
 * checked against the bytes actually remaining before anything is allocated for it. Each
 * malformed input is reported as {@link DittoException} with
 * {@link ErrorCode#INVALID_ARGUMENTS} and the message {@code "invalid CBOR: <what> at offset N"}
 * (N is the index in the given array). Encoding errors name the path of the bad value.
 *
 * <p>All methods are static and thread-safe; a value must not be mutated while it is encoded.
 */
public final class Cbor {
    private static final int MAJOR_UNSIGNED = 0;
    private static final int MAJOR_NEGATIVE = 1;
    private static final int MAJOR_BYTES = 2;
    private static final int MAJOR_TEXT = 3;
    private static final int MAJOR_ARRAY = 4;
    private static final int MAJOR_MAP = 5;
    private static final int MAJOR_TAG = 6;
    private static final int MAJOR_SIMPLE = 7;
    private static final int TAG_POSITIVE_BIGNUM = 2;
    private static final int TAG_NEGATIVE_BIGNUM = 3;
    private static final int TAG_DECIMAL_FRACTION = 4;
    private static final int TAG_SELF_DESCRIBE = 55799;
    private static final int BREAK = 0xFF;

    private Cbor() {
    }

    /**
     * Encodes a value, keeping map iteration order, nesting at most
     * {@link Json#DEFAULT_MAX_DEPTH} levels.
     *
     * @param value a JSON-model value, may be null
     * @return the CBOR encoding, never null
     * @throws DittoException INVALID_ARGUMENTS if the value (or something inside it) is not a
     *         JSON-model value, is a non-finite number, has a non-string map key, a string
     *         with an unpaired surrogate, or nests too deeply (which includes cycles)
     */
    public static byte[] encode(Object value) {
        return encode(value, Json.DEFAULT_MAX_DEPTH);
    }

    /**
     * Encodes a value, keeping map iteration order, nesting at most {@code maxDepth} levels.
     *
     * @param value a JSON-model value, may be null
     * @param maxDepth the nesting limit, 0 to {@link Json#MAX_DEPTH_LIMIT}
     * @return the CBOR encoding, never null
     * @throws DittoException INVALID_ARGUMENTS as for {@link #encode(Object)}, or if
     *         {@code maxDepth} is out of range
     */
    public static byte[] encode(Object value, int maxDepth) {
        Encoder encoder = new Encoder(Json.checkMaxDepth(maxDepth), false);
        encoder.item(value, 0);
        return encoder.toByteArray();
    }

    /**
     * Encodes a value deterministically (RFC 8949 §4.2.1), nesting at most
     * {@link Json#DEFAULT_MAX_DEPTH} levels.
     *
     * <p>Map keys are sorted by the length of their UTF-8 encoding, then by those bytes
     * compared as unsigned values. For text-string keys this is exactly the bytewise order of
     * the keys' encodings that §4.2.1 prescribes (the encoded length comes first). Together with
     * the preferred serialization every encoding uses, values that are {@code equals} (with
     * byte arrays compared by content) encode to identical bytes, whatever map implementation
     * or insertion order produced them.
     *
     * @param value a JSON-model value, may be null
     * @return the deterministic CBOR encoding, never null
     * @throws DittoException INVALID_ARGUMENTS as for {@link #encode(Object)}
     */
    public static byte[] encodeCanonical(Object value) {
        return encodeCanonical(value, Json.DEFAULT_MAX_DEPTH);
    }

    /**
     * Encodes a value deterministically, nesting at most {@code maxDepth} levels.
     *
     * @param value a JSON-model value, may be null
     * @param maxDepth the nesting limit, 0 to {@link Json#MAX_DEPTH_LIMIT}
     * @return the deterministic CBOR encoding, never null
     * @throws DittoException INVALID_ARGUMENTS as for {@link #encode(Object, int)}
     * @see #encodeCanonical(Object)
     */
    public static byte[] encodeCanonical(Object value, int maxDepth) {
        Encoder encoder = new Encoder(Json.checkMaxDepth(maxDepth), true);
        encoder.item(value, 0);
        return encoder.toByteArray();
    }

    /**
     * Decodes exactly one CBOR data item filling the whole array, nesting at most
     * {@link Json#DEFAULT_MAX_DEPTH} levels.
     *
     * @param data the encoding; not modified or retained
     * @return the value (see the class description for the types), may be null
     * @throws DittoException INVALID_ARGUMENTS naming what is wrong and its offset
     * @throws NullPointerException if {@code data} is null
     */
    public static Object decode(byte[] data) {
        return decode(data, Json.DEFAULT_MAX_DEPTH);
    }

    /**
     * Decodes exactly one CBOR data item filling the whole array, nesting at most
     * {@code maxDepth} levels.
     *
     * @param data the encoding; not modified or retained
     * @param maxDepth the nesting limit, 0 to {@link Json#MAX_DEPTH_LIMIT}
     * @return the value, may be null
     * @throws DittoException INVALID_ARGUMENTS naming what is wrong and its offset, or if
     *         {@code maxDepth} is out of range
     * @throws NullPointerException if {@code data} is null
     */
    public static Object decode(byte[] data, int maxDepth) {
        Objects.requireNonNull(data, "data");
        return decode(data, 0, data.length, maxDepth);
    }

    /**
     * Decodes exactly one CBOR data item filling {@code data[offset, offset + length)}.
     *
     * @param data the array holding the encoding; not modified or retained
     * @param offset the index of the first byte of the item
     * @param length the number of bytes the item occupies
     * @param maxDepth the nesting limit, 0 to {@link Json#MAX_DEPTH_LIMIT}
     * @return the value, may be null
     * @throws DittoException INVALID_ARGUMENTS naming what is wrong and its offset in
     *         {@code data}, or if {@code maxDepth} is out of range
     * @throws IndexOutOfBoundsException if the range is not inside {@code data}
     * @throws NullPointerException if {@code data} is null
     */
    public static Object decode(byte[] data, int offset, int length, int maxDepth) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        Decoder decoder = new Decoder(data, offset, offset + length, Json.checkMaxDepth(maxDepth));
        Object value = decoder.item(0);
        if (decoder.pos < decoder.limit) {
            throw decoder.error("unexpected trailing bytes after the data item", decoder.pos);
        }
        return value;
    }

    /**
     * Returns the IEEE 754 half-precision bits that represent {@code f} exactly, or -1 if
     * half precision cannot hold it. {@code f} must be finite.
     */
    static int halfBitsIfExact(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0) {
            // Float subnormals are below 2^-126, far under half precision's smallest step 2^-24.
            return mantissa == 0 ? sign : -1;
        }
        int e = exponent - 127;
        if (e > 15 || e < -24) {
            return -1;
        }
        if (e >= -14) {
            return (mantissa & 0x1FFF) != 0 ? -1 : sign | ((e + 15) << 10) | (mantissa >>> 13);
        }
        int full = mantissa | 0x800000;
        int shift = -e - 1;
        return (full & ((1 << shift) - 1)) != 0 ? -1 : sign | (full >>> shift);
    }

    /** Converts IEEE 754 half-precision bits to the {@code double} of the same value. */
    static double halfToDouble(int half) {
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        double magnitude;
        if (exponent == 0) {
            magnitude = Math.scalb((double) mantissa, -24);
        } else if (exponent == 31) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            magnitude = Math.scalb((double) (mantissa | 0x400), exponent - 25);
        }
        return (half & 0x8000) != 0 ? -magnitude : magnitude;
    }

    /** Recursive encoder into a growable array; recursion depth is bounded by {@code maxDepth}. */
    private static final class Encoder {
        private final int maxDepth;
        private final boolean canonical;
        private final ValuePath path;
        private byte[] buf = new byte[64];
        private int size;

        Encoder(int maxDepth, boolean canonical) {
            this.maxDepth = maxDepth;
            this.canonical = canonical;
            this.path = new ValuePath(maxDepth);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        private void ensure(int extra) {
            if (buf.length - size < extra) {
                long wanted = Math.max((long) buf.length * 2, (long) size + extra);
                if (wanted > Integer.MAX_VALUE - 8) {
                    if ((long) size + extra > Integer.MAX_VALUE - 8) {
                        throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                                "cannot write CBOR: the encoding exceeds 2 GB");
                    }
                    wanted = Integer.MAX_VALUE - 8;
                }
                buf = Arrays.copyOf(buf, (int) wanted);
            }
        }

        private void put(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        private void putBytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        /** Writes a head with {@code argument} read as an unsigned 64-bit number, in its shortest form. */
        private void head(int major, long argument) {
            int initial = major << 5;
            ensure(9);
            if (argument >= 0 && argument < 24) {
                buf[size++] = (byte) (initial | argument);
            } else if (argument >= 0 && argument < 0x100) {
                buf[size++] = (byte) (initial | 24);
                buf[size++] = (byte) argument;
            } else if (argument >= 0 && argument < 0x10000) {
                buf[size++] = (byte) (initial | 25);
                putBigEndian(argument, 2);
            } else if (argument >= 0 && argument < 0x1_0000_0000L) {
                buf[size++] = (byte) (initial | 26);
                putBigEndian(argument, 4);
            } else {
                buf[size++] = (byte) (initial | 27);
                putBigEndian(argument, 8);
            }
        }

        private void putBigEndian(long v, int count) {
            for (int i = count - 1; i >= 0; i--) {
                buf[size++] = (byte) (v >>> (8 * i));
            }
        }

        void item(Object v, int depth) {
            if (v == null) {
                put(0xF6);
            } else if (v instanceof String) {
                text((String) v, depth);
            } else if (v instanceof Boolean) {
                put((Boolean) v ? 0xF5 : 0xF4);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                integer(((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float) {
                floating(((Number) v).doubleValue(), depth);
            } else if (v instanceof BigInteger) {
                bigInteger((BigInteger) v);
            } else if (v instanceof BigDecimal) {
                BigDecimal d = (BigDecimal) v;
                head(MAJOR_TAG, TAG_DECIMAL_FRACTION);
                head(MAJOR_ARRAY, 2);
                integer(-(long) d.scale());
                bigInteger(d.unscaledValue());
            } else if (v instanceof byte[]) {
                byte[] b = (byte[]) v;
                head(MAJOR_BYTES, b.length);
                putBytes(b);
            } else if (v instanceof Map) {
                map((Map<?, ?>) v, depth);
            } else if (v instanceof List) {
                array((List<?>) v, depth);
            } else {
                throw path.error("CBOR", "unsupported value type " + v.getClass().getName(), depth);
            }
        }

        private void integer(long v) {
            if (v >= 0) {
                head(MAJOR_UNSIGNED, v);
            } else {
                head(MAJOR_NEGATIVE, ~v);
            }
        }

        private void bigInteger(BigInteger v) {
            if (v.bitLength() <= 63) {
                integer(v.longValue());
                return;
            }
            boolean negative = v.signum() < 0;
            BigInteger magnitude = negative ? v.not() : v;
            if (magnitude.bitLength() <= 64) {
                head(negative ? MAJOR_NEGATIVE : MAJOR_UNSIGNED, magnitude.longValue());
                return;
            }
            byte[] bytes = magnitude.toByteArray();
            int skip = bytes[0] == 0 ? 1 : 0;
            head(MAJOR_TAG, negative ? TAG_NEGATIVE_BIGNUM : TAG_POSITIVE_BIGNUM);
            head(MAJOR_BYTES, bytes.length - skip);
            ensure(bytes.length - skip);
            System.arraycopy(bytes, skip, buf, size, bytes.length - skip);
            size += bytes.length - skip;
        }

        private void floating(double d, int depth) {
            if (!Double.isFinite(d)) {
                throw path.error("CBOR", "non-finite number " + d, depth);
            }
            float f = (float) d;
            if ((double) f != d) {
                ensure(9);
                buf[size++] = (byte) 0xFB;
                putBigEndian(Double.doubleToRawLongBits(d), 8);
                return;
            }
            int half = halfBitsIfExact(f);
            ensure(5);
            if (half >= 0) {
                buf[size++] = (byte) 0xF9;
                putBigEndian(half, 2);
            } else {
                buf[size++] = (byte) 0xFA;
                putBigEndian(Float.floatToRawIntBits(f), 4);
            }
        }

        private void text(String s, int depth) {
            int length = Utf8.encodedLength(s);
            if (length < 0) {
                throw path.error("CBOR", "unpaired surrogate at index " + (-1 - length) + " of a string", depth);
            }
            head(MAJOR_TEXT, length);
            ensure(length);
            size = Utf8.encode(s, buf, size);
        }

        private void array(List<?> list, int depth) {
            if (depth + 1 > maxDepth) {
                throw path.error("CBOR", "nesting deeper than " + maxDepth + " levels", depth);
            }
            head(MAJOR_ARRAY, list.size());
            int index = 0;
            for (Object element : list) {
                path.set(depth + 1, index++);
                item(element, depth + 1);
            }
            if (index != list.size()) {
                throw path.error("CBOR", "list changed size while it was encoded", depth);
            }
        }

        private void map(Map<?, ?> map, int depth) {
            if (depth + 1 > maxDepth) {
                throw path.error("CBOR", "nesting deeper than " + maxDepth + " levels", depth);
            }
            int n = map.size();
            String[] keys = new String[n];
            Object[] values = new Object[n];
            int count = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = e.getKey();
                if (!(key instanceof String)) {
                    throw path.error("CBOR", "map key " + (key == null ? "null" : "of type "
                            + key.getClass().getName()) + " is not a string", depth);
                }
                if (count == n) {
                    throw path.error("CBOR", "map changed size while it was encoded", depth);
                }
                keys[count] = (String) key;
                values[count] = e.getValue();
                count++;
            }
            if (count != n) {
                throw path.error("CBOR", "map changed size while it was encoded", depth);
            }
            head(MAJOR_MAP, n);
            if (!canonical) {
                for (int i = 0; i < n; i++) {
                    path.set(depth + 1, keys[i]);
                    text(keys[i], depth + 1);
                    item(values[i], depth + 1);
                }
                return;
            }
            byte[][] encodedKeys = new byte[n][];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                int length = Utf8.encodedLength(keys[i]);
                if (length < 0) {
                    path.set(depth + 1, keys[i]);
                    throw path.error("CBOR", "unpaired surrogate at index " + (-1 - length) + " of a map key", depth + 1);
                }
                encodedKeys[i] = new byte[length];
                Utf8.encode(keys[i], encodedKeys[i], 0);
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> compareKeys(encodedKeys[a], encodedKeys[b]));
            for (int i : order) {
                path.set(depth + 1, keys[i]);
                head(MAJOR_TEXT, encodedKeys[i].length);
                putBytes(encodedKeys[i]);
                item(values[i], depth + 1);
            }
        }

        private static int compareKeys(byte[] a, byte[] b) {
            return a.length != b.length ? Integer.compare(a.length, b.length) : Arrays.compareUnsigned(a, b);
        }
    }

    /**
     * Recursive decoder over {@code data[pos, limit)}; recursion depth is bounded by
     * {@code maxDepth}. Every declared length is compared with {@code limit - pos} before use.
     */
    private static final class Decoder {
        private final byte[] data;
        private final int limit;
        private final int maxDepth;
        int pos;

        Decoder(byte[] data, int pos, int limit, int maxDepth) {
            this.data = data;
            this.pos = pos;
            this.limit = limit;
            this.maxDepth = maxDepth;
        }

        DittoException error(String what, int offset) {
            return new DittoException(ErrorCode.INVALID_ARGUMENTS, "invalid CBOR: " + what + " at offset " + offset);
        }

        private int remaining() {
            return limit - pos;
        }

        private int readByte() {
            if (pos >= limit) {
                throw error("unexpected end of input", pos);
            }
            return data[pos++] & 0xFF;
        }

        /**
         * Reads the argument of a head whose additional information is {@code info}, as an
         * unsigned 64-bit number. Indefinite length (31) must be handled by the caller.
         */
        private long argument(int info, int start) {
            if (info < 24) {
                return info;
            }
            int count;
            switch (info) {
                case 24: count = 1; break;
                case 25: count = 2; break;
                case 26: count = 4; break;
                case 27: count = 8; break;
                default:
                    throw error("reserved additional information " + info, start);
            }
            if (remaining() < count) {
                throw error("unexpected end of input in a " + count + "-byte argument", pos);
            }
            long v = 0;
            for (int i = 0; i < count; i++) {
                v = (v << 8) | (data[pos++] & 0xFF);
            }
            return v;
        }

        /** Reads a definite length and checks that at least {@code length * unit} bytes remain. */
        private int length(int info, int start, int unit, String what) {
            long n = argument(info, start);
            if (n < 0 || n > remaining() / unit) {
                throw error("declared " + what + " " + Long.toUnsignedString(n) + " exceeds the "
                        + remaining() + " remaining bytes", start);
            }
            return (int) n;
        }

        Object item(int depth) {
            int start = pos;
            int initial = readByte();
            int major = initial >>> 5;
            int info = initial & 0x1F;
            switch (major) {
                case MAJOR_UNSIGNED:
                case MAJOR_NEGATIVE:
                    if (info == 31) {
                        throw error("indefinite length is not allowed for an integer", start);
                    }
                    return integer(major, argument(info, start));
                case MAJOR_BYTES:
                    return bytes(info, start);
                case MAJOR_TEXT:
                    return text(info, start);
                case MAJOR_ARRAY:
                    return array(info, start, depth + 1);
                case MAJOR_MAP:
                    return map(info, start, depth + 1);
                case MAJOR_TAG:
                    return tagged(info, start, depth);
                default:
                    return simple(info, start);
            }
        }

        private Object integer(int major, long argument) {
            if (major == MAJOR_UNSIGNED) {
                return argument >= 0 ? (Object) argument : new BigInteger(Long.toUnsignedString(argument));
            }
            if (argument >= 0) {
                return -1 - argument;
            }
            return BigInteger.ONE.negate().subtract(new BigInteger(Long.toUnsignedString(argument)));
        }

        private byte[] bytes(int info, int start) {
            if (info != 31) {
                int n = length(info, start, 1, "byte string length");
                byte[] b = Arrays.copyOfRange(data, pos, pos + n);
                pos += n;
                return b;
            }
            int[] chunks = chunks(MAJOR_BYTES);
            byte[] out = new byte[chunks[chunks.length - 1]];
            int filled = 0;
            for (int i = 0; i < chunks.length - 1; i += 2) {
                System.arraycopy(data, chunks[i], out, filled, chunks[i + 1]);
                filled += chunks[i + 1];
            }
            return out;
        }

        /**
         * Scans the chunks of an indefinite-length string whose head was just read
         * and returns {@code [offset0, length0, offset1, length1, ..., totalLength]}, leaving
         * {@code pos} after the break. Each chunk must be a definite string of {@code major}.
         */
        private int[] chunks(int major) {
            int[] found = new int[9];
            int count = 0;
            long total = 0;
            while (true) {
                int chunkStart = pos;
                int initial = readByte();
                if (initial == BREAK) {
                    break;
                }
                if (initial >>> 5 != major || (initial & 0x1F) == 31) {
                    throw error("chunk of an indefinite-length string is not a definite-length string of the same type", chunkStart);
                }
                int n = length(initial & 0x1F, chunkStart, 1, "chunk length");
                if (count + 3 > found.length) {
                    found = Arrays.copyOf(found, found.length * 2 + 1);
                }
                found[count++] = pos;
                found[count++] = n;
                total += n;
                pos += n;
            }
            int[] result = Arrays.copyOf(found, count + 1);
            result[count] = (int) total;
            return result;
        }

        private String text(int info, int start) {
            if (info != 31) {
                int n = length(info, start, 1, "text string length");
                String s = Utf8.decode(data, pos, n, "CBOR");
                pos += n;
                return s;
            }
            int[] chunks = chunks(MAJOR_TEXT);
            StringBuilder sb = new StringBuilder(chunks[chunks.length - 1]);
            for (int i = 0; i < chunks.length - 1; i += 2) {
                sb.append(Utf8.decode(data, chunks[i], chunks[i + 1], "CBOR"));
            }
            return sb.toString();
        }

        private List<Object> array(int info, int start, int depth) {
            if (depth > maxDepth) {
                throw error("nesting deeper than " + maxDepth + " levels", start);
            }
            if (info == 31) {
                List<Object> list = new ArrayList<>();
                while (true) {
                    if (pos < limit && (data[pos] & 0xFF) == BREAK) {
                        pos++;
                        return list;
                    }
                    list.add(item(depth));
                }
            }
            int n = length(info, start, 1, "array length");
            // Capacity grows with items actually decoded, so a large declared count costs nothing up front.
            List<Object> list = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                list.add(item(depth));
            }
            return list;
        }

        private Map<String, Object> map(int info, int start, int depth) {
            if (depth > maxDepth) {
                throw error("nesting deeper than " + maxDepth + " levels", start);
            }
            boolean indefinite = info == 31;
            int n = indefinite ? -1 : length(info, start, 2, "map size");
            Map<String, Object> map = new LinkedHashMap<>(indefinite ? 16 : Math.min(n, 1024) * 4 / 3 + 1);
            for (int i = 0; indefinite || i < n; i++) {
                int keyStart = pos;
                if (indefinite && pos < limit && (data[pos] & 0xFF) == BREAK) {
                    pos++;
                    return map;
                }
                int keyInitial = pos < limit ? data[pos] & 0xFF : -1;
                if (keyInitial >= 0 && keyInitial >>> 5 != MAJOR_TEXT) {
                    throw error("map key is not a text string", keyStart);
                }
                String key = (String) item(depth);
                if (pos < limit && (data[pos] & 0xFF) == BREAK) {
                    throw error("break where a map value was expected", pos);
                }
                Object value = item(depth);
                if (map.containsKey(key)) {
                    throw error("duplicate map key \"" + ValuePath.abbreviate(key) + "\"", keyStart);
                }
                map.put(key, value);
            }
            return map;
        }

        private Object tagged(int info, int start, int depth) {
            if (info == 31) {
                throw error("indefinite length is not allowed for a tag", start);
            }
            long tag = argument(info, start);
            while (tag == TAG_SELF_DESCRIBE) {
                if (pos < limit && (data[pos] & 0xFF) >>> 5 == MAJOR_TAG) {
                    start = pos;
                    int initial = readByte();
                    if ((initial & 0x1F) == 31) {
                        throw error("indefinite length is not allowed for a tag", start);
                    }
                    tag = argument(initial & 0x1F, start);
                } else {
                    return item(depth);
                }
            }
            if (tag == TAG_POSITIVE_BIGNUM || tag == TAG_NEGATIVE_BIGNUM) {
                return bignum(tag == TAG_NEGATIVE_BIGNUM);
            }
            if (tag == TAG_DECIMAL_FRACTION) {
                return decimalFraction();
            }
            throw error("unsupported tag " + Long.toUnsignedString(tag), start);
        }

        private BigInteger bignumValue(boolean negative) {
            int start = pos;
            int initial = readByte();
            if (initial >>> 5 != MAJOR_BYTES) {
                throw error("bignum content is not a byte string", start);
            }
            byte[] magnitude = bytes(initial & 0x1F, start);
            BigInteger v = new BigInteger(1, magnitude);
            return negative ? v.not() : v;
        }

        private Object bignum(boolean negative) {
            BigInteger v = bignumValue(negative);
            return v.bitLength() <= 63 ? (Object) v.longValue() : v;
        }

        private BigDecimal decimalFraction() {
            int arrayStart = pos;
            int initial = readByte();
            if (initial != ((MAJOR_ARRAY << 5) | 2)) {
                throw error("decimal fraction is not an array of two integers", arrayStart);
            }
            int exponentStart = pos;
            Object exponent = integerItem(exponentStart);
            if (!(exponent instanceof Long) || (Long) exponent > -(long) Integer.MIN_VALUE
                    || (Long) exponent < -(long) Integer.MAX_VALUE) {
                throw error("decimal fraction exponent out of range", exponentStart);
            }
            int mantissaStart = pos;
            Object mantissa = integerItem(mantissaStart);
            BigInteger unscaled = mantissa instanceof BigInteger ? (BigInteger) mantissa : BigInteger.valueOf((Long) mantissa);
            return new BigDecimal(unscaled, (int) -(Long) exponent);
        }

        /** Reads an integer: major type 0 or 1, or a bignum tag; never recurses further. */
        private Object integerItem(int start) {
            int initial = readByte();
            int major = initial >>> 5;
            int info = initial & 0x1F;
            if ((major == MAJOR_UNSIGNED || major == MAJOR_NEGATIVE) && info != 31) {
                return integer(major, argument(info, start));
            }
            if (major == MAJOR_TAG && info != 31) {
                long tag = argument(info, start);
                if (tag == TAG_POSITIVE_BIGNUM || tag == TAG_NEGATIVE_BIGNUM) {
                    BigInteger v = bignumValue(tag == TAG_NEGATIVE_BIGNUM);
                    return v.bitLength() <= 63 ? (Object) v.longValue() : v;
                }
            }
            throw error("decimal fraction part is not an integer", start);
        }

        private Object simple(int info, int start) {
            switch (info) {
                case 20:
                    return Boolean.FALSE;
                case 21:
                    return Boolean.TRUE;
                case 22:
                    return null;
                case 23:
                    throw error("unsupported simple value undefined", start);
                case 24:
                    throw error("unsupported simple value " + (pos < limit ? data[pos] & 0xFF : -1), start);
                case 25:
                    return finite(halfToDouble((int) argument(info, start)), start);
                case 26:
                    return finite((double) Float.intBitsToFloat((int) argument(info, start)), start);
                case 27:
                    return finite(Double.longBitsToDouble(argument(info, start)), start);
                case 28:
                case 29:
                case 30:
                    throw error("reserved additional information " + info, start);
                case 31:
                    throw error("unexpected break", start);
                default:
                    throw error("unsupported simple value " + info, start);
            }
        }

        private Double finite(double d, int start) {
            if (!Double.isFinite(d)) {
                throw error("non-finite float " + d, start);
            }
            return d;
        }
    }
}
