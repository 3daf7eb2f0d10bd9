package ditto.engine.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Writes CBOR (RFC 8949) into a growing byte array: definite lengths and the shortest argument
 * for every head, so equal input gives equal bytes. JSON-model values ({@link #value}) are
 * written with map keys in {@link String#compareTo} order (canonical). Not thread-safe; one
 * writer builds one frame or record.
 */
public final class CborWriter {

    private byte[] buf;
    private int size;

    /**
     * Creates a writer.
     *
     * @param initialCapacity the first buffer size, in bytes
     */
    public CborWriter(int initialCapacity) {
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Returns how many bytes were written. */
    public int size() {
        return size;
    }

    /** Returns a copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Returns the internal buffer (valid up to {@link #size()}); used to append a trailer in place. */
    byte[] buffer() {
        return buf;
    }

    /** Appends one raw byte. */
    public CborWriter rawByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /** Appends raw bytes. */
    public CborWriter raw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    /** Writes an array head of {@code count} items. */
    public CborWriter arrayHeader(int count) {
        return head(4, count);
    }

    /** Writes a map head of {@code count} entries. */
    public CborWriter mapHeader(int count) {
        return head(5, count);
    }

    /** Writes an unsigned integer (0 to {@link Long#MAX_VALUE}). */
    public CborWriter uint(long v) {
        if (v < 0) {
            throw new DittoException(ErrorCode.INTERNAL, "wire: cannot write negative " + v + " as unsigned");
        }
        return head(0, v);
    }

    /** Writes a signed integer. */
    public CborWriter integer(long v) {
        return v >= 0 ? head(0, v) : head(1, -1 - v);
    }

    /** Writes a text string. */
    public CborWriter text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        head(3, b.length);
        return raw(b, 0, b.length);
    }

    /** Writes a byte string. */
    public CborWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    /** Writes a byte string of a slice. */
    public CborWriter bytes(byte[] b, int offset, int length) {
        head(2, length);
        return raw(b, offset, length);
    }

    /** Writes {@code null}. */
    public CborWriter nil() {
        return rawByte(0xF6);
    }

    /** Writes a boolean. */
    public CborWriter bool(boolean v) {
        return rawByte(v ? 0xF5 : 0xF4);
    }

    /** Writes a 64-bit float. */
    public CborWriter float64(double d) {
        rawByte(0xFB);
        long bits = Double.doubleToLongBits(d);
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[size++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    /**
     * Writes a JSON-model value: null, Boolean, Long (and smaller integers), finite Double/Float,
     * BigInteger (tags 2/3 outside the long range), BigDecimal (tag 4), String, byte[], List, Map
     * with String keys (sorted).
     *
     * @param v the value
     * @param maxDepth how deep containers may nest (a scalar is depth 0)
     * @throws DittoException {@code INVALID_ARGUMENTS} for an unsupported or non-finite value or
     *         too deep nesting
     */
    public CborWriter value(Object v, int maxDepth) {
        if (v == null) {
            return nil();
        }
        if (v instanceof Boolean b) {
            return bool(b);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return integer(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "wire: cannot encode non-finite number " + d);
            }
            return float64(d);
        }
        if (v instanceof BigInteger bi) {
            if (bi.bitLength() < 64) {
                return integer(bi.longValue());
            }
            boolean negative = bi.signum() < 0;
            BigInteger magnitude = negative ? bi.negate().subtract(BigInteger.ONE) : bi;
            head(6, negative ? 3 : 2);
            byte[] m = magnitude.toByteArray();
            int skip = m.length > 1 && m[0] == 0 ? 1 : 0;
            return bytes(m, skip, m.length - skip);
        }
        if (v instanceof BigDecimal bd) {
            head(6, 4);
            arrayHeader(2);
            integer(-(long) bd.scale());
            return value(bd.unscaledValue(), maxDepth);
        }
        if (v instanceof String s) {
            return text(s);
        }
        if (v instanceof byte[] b) {
            return bytes(b);
        }
        if (maxDepth <= 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "wire: value nested too deeply");
        }
        if (v instanceof List<?> list) {
            arrayHeader(list.size());
            for (Object item : list) {
                value(item, maxDepth - 1);
            }
            return this;
        }
        if (v instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            for (Object k : map.keySet()) {
                if (!(k instanceof String s)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "wire: map key " + k + " is not a string");
                }
                keys.add(s);
            }
            Collections.sort(keys);
            mapHeader(keys.size());
            for (String k : keys) {
                text(k);
                value(map.get(k), maxDepth - 1);
            }
            return this;
        }
        throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "wire: cannot encode a " + v.getClass().getName());
    }

    private CborWriter head(int major, long value) {
        int m = major << 5;
        ensure(9);
        if (value < 24) {
            buf[size++] = (byte) (m | value);
        } else if (value < 0x100) {
            buf[size++] = (byte) (m | 24);
            buf[size++] = (byte) value;
        } else if (value < 0x10000) {
            buf[size++] = (byte) (m | 25);
            buf[size++] = (byte) (value >>> 8);
            buf[size++] = (byte) value;
        } else if (value < 0x1_0000_0000L) {
            buf[size++] = (byte) (m | 26);
            for (int i = 3; i >= 0; i--) {
                buf[size++] = (byte) (value >>> (8 * i));
            }
        } else {
            buf[size++] = (byte) (m | 27);
            for (int i = 7; i >= 0; i--) {
                buf[size++] = (byte) (value >>> (8 * i));
            }
        }
        return this;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new DittoException(ErrorCode.INTERNAL, "wire: encoding grew beyond 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
