package ditto.engine.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Reads CBOR from a byte range that may be hostile. Only what the protocol uses is accepted:
 * definite lengths, integers, text (strict UTF-8), byte strings, arrays, maps with text keys,
 * false/true/null, floats, and tags 2, 3 (bignums) and 4 (decimal fractions) inside argument
 * values. Every declared length or count is compared with the caller's limit and with the bytes
 * left before anything is allocated; nesting is bounded by the caller. Every problem throws
 * {@link DittoException} with {@link ErrorCode#PROTOCOL} naming {@code what} was decoded and the
 * offset. Not thread-safe.
 */
public final class CborReader {

    private final byte[] buf;
    private final String what;
    private int pos;
    private final int limit;

    /**
     * Reads {@code buf[offset, offset + length)}.
     *
     * @param what names the thing decoded, for error messages ("frame", "peer record")
     */
    public CborReader(byte[] buf, int offset, int length, String what) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        this.what = what;
    }

    /** Returns the current offset. */
    public int position() {
        return pos;
    }

    /** Returns whether every byte was read. */
    public boolean atEnd() {
        return pos >= limit;
    }

    /** Throws unless every byte was read. */
    public void requireEnd() {
        if (pos != limit) {
            throw error("trailing bytes after the message", pos);
        }
    }

    /**
     * Reads an array head.
     *
     * @param min the fewest items allowed
     * @param max the most items allowed
     * @return the item count
     */
    public int arrayHeader(int min, int max) {
        int at = pos;
        long n = head(4, "an array");
        if (n < min || n > max) {
            throw error("array of " + Long.toUnsignedString(n) + " items, expected " + min + " to " + max, at);
        }
        if (n > limit - pos) {
            throw error("array of " + n + " items in " + (limit - pos) + " remaining bytes", at);
        }
        return (int) n;
    }

    /**
     * Reads a map head.
     *
     * @param max the most entries allowed
     * @return the entry count
     */
    public int mapHeader(int max) {
        int at = pos;
        long n = head(5, "a map");
        if (n < 0 || n > max || n > (limit - pos) / 2) {
            throw error("map of " + Long.toUnsignedString(n) + " entries (at most " + max + ", " + (limit - pos)
                    + " bytes left)", at);
        }
        return (int) n;
    }

    /** Reads an unsigned integer (0 to {@link Long#MAX_VALUE}). */
    public long uint() {
        int at = pos;
        long v = head(0, "an unsigned integer");
        if (v < 0) {
            throw error("unsigned integer beyond 2^63-1", at);
        }
        return v;
    }

    /** Reads a signed 64-bit integer (major type 0 or 1, within the long range). */
    public long int64() {
        int at = pos;
        need(1, at);
        int major = (buf[pos] & 0xFF) >>> 5;
        if (major == 0) {
            return uint();
        }
        long v = head(1, "an integer");
        if (v < 0) {
            throw error("integer below -2^63", at);
        }
        return -1 - v;
    }

    /** Reads an unsigned integer no greater than {@code max}. */
    public long uint(long max) {
        int at = pos;
        long v = uint();
        if (v > max) {
            throw error("number " + v + " above " + max, at);
        }
        return v;
    }

    /** Reads a text string of at most {@code maxBytes} UTF-8 bytes. */
    public String text(int maxBytes) {
        int at = pos;
        long n = head(3, "a text string");
        checkLength(n, maxBytes, at, "text");
        String s = utf8(buf, pos, (int) n, at);
        pos += (int) n;
        return s;
    }

    /** Reads a byte string of at most {@code maxBytes} bytes into a new array. */
    public byte[] bytes(int maxBytes) {
        int at = pos;
        long n = head(2, "a byte string");
        checkLength(n, maxBytes, at, "byte string");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }

    /** Tells whether the next item is {@code null}. */
    public boolean peekNull() {
        return pos < limit && (buf[pos] & 0xFF) == 0xF6;
    }

    /** Reads {@code null}. */
    public void nil() {
        if (!peekNull()) {
            throw error("expected null", pos);
        }
        pos++;
    }

    /**
     * Skips one item of any supported kind.
     *
     * @param maxDepth how deep containers may nest inside it
     */
    public void skip(int maxDepth) {
        value(maxDepth, Integer.MAX_VALUE);
    }

    /**
     * Reads a JSON-model value: null, Boolean, Long (BigInteger beyond), Double, BigDecimal,
     * String, byte[], List, Map with String keys (in encoded order; duplicates rejected).
     *
     * @param maxDepth how deep containers may nest (a scalar is depth 0)
     * @param maxStringBytes the longest text or byte string allowed
     */
    public Object value(int maxDepth, int maxStringBytes) {
        int at = pos;
        if (pos >= limit) {
            throw error("unexpected end", at);
        }
        int ib = buf[pos] & 0xFF;
        int major = ib >>> 5;
        switch (major) {
            case 0 -> {
                long v = head(0, "an integer");
                return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            case 1 -> {
                long v = head(1, "an integer");
                return v >= 0 ? (Object) (-1 - v)
                        : BigInteger.valueOf(-1).subtract(new BigInteger(Long.toUnsignedString(v)));
            }
            case 2 -> {
                return bytes(maxStringBytes);
            }
            case 3 -> {
                return text(maxStringBytes);
            }
            case 4 -> {
                if (maxDepth <= 0) {
                    throw error("nesting deeper than allowed", at);
                }
                int n = arrayHeader(0, Integer.MAX_VALUE);
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(value(maxDepth - 1, maxStringBytes));
                }
                return list;
            }
            case 5 -> {
                if (maxDepth <= 0) {
                    throw error("nesting deeper than allowed", at);
                }
                int n = mapHeader(Integer.MAX_VALUE);
                Map<String, Object> map = new LinkedHashMap<>(Math.min(n, 1024) * 2);
                for (int i = 0; i < n; i++) {
                    int keyAt = pos;
                    String key = text(maxStringBytes);
                    if (map.containsKey(key)) {
                        throw error("duplicate map key '" + key + "'", keyAt);
                    }
                    map.put(key, value(maxDepth - 1, maxStringBytes));
                }
                return map;
            }
            case 6 -> {
                long tag = head(6, "a tag");
                if (tag == 2 || tag == 3) {
                    int bAt = pos;
                    long n = head(2, "a bignum's byte string");
                    checkLength(n, 1024, bAt, "bignum");
                    BigInteger magnitude = new BigInteger(1, Arrays.copyOfRange(buf, pos, pos + (int) n));
                    pos += (int) n;
                    return tag == 2 ? magnitude : magnitude.negate().subtract(BigInteger.ONE);
                }
                if (tag == 4) {
                    arrayHeader(2, 2);
                    int eAt = pos;
                    Object exponent = value(0, 0);
                    if (!(exponent instanceof Long e) || e < -100_000 || e > 100_000) {
                        throw error("decimal fraction with a bad exponent", eAt);
                    }
                    int mAt = pos;
                    Object mantissa = value(0, 1024);
                    BigInteger m;
                    if (mantissa instanceof Long l) {
                        m = BigInteger.valueOf(l);
                    } else if (mantissa instanceof BigInteger b) {
                        m = b;
                    } else {
                        throw error("decimal fraction with a bad mantissa", mAt);
                    }
                    return new BigDecimal(m, (int) -e);
                }
                throw error("unsupported tag " + tag, at);
            }
            default -> {
                pos++;
                int ai = ib & 31;
                switch (ai) {
                    case 20 -> {
                        return Boolean.FALSE;
                    }
                    case 21 -> {
                        return Boolean.TRUE;
                    }
                    case 22 -> {
                        return null;
                    }
                    case 25 -> {
                        need(2, at);
                        int h = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
                        pos += 2;
                        return finite(halfToDouble(h), at);
                    }
                    case 26 -> {
                        need(4, at);
                        int bits = (int) readBig(4);
                        return finite(Float.intBitsToFloat(bits), at);
                    }
                    case 27 -> {
                        need(8, at);
                        return finite(Double.longBitsToDouble(readBig(8)), at);
                    }
                    default -> throw error("unsupported simple value " + ai, at);
                }
            }
        }
    }

    /** Decodes strict UTF-8; malformed input is a protocol error. */
    private String utf8(byte[] b, int offset, int length, int at) {
        boolean ascii = true;
        for (int i = offset; i < offset + length; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, offset, length, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(b, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw error("malformed UTF-8 text", at);
        }
    }

    private Double finite(double d, int at) {
        if (!Double.isFinite(d)) {
            throw error("non-finite number", at);
        }
        return d;
    }

    private static double halfToDouble(int h) {
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        double v;
        if (exp == 0) {
            v = mant * Math.pow(2, -24);
        } else if (exp == 31) {
            v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = (mant + 1024) * Math.pow(2, exp - 25);
        }
        return (h & 0x8000) != 0 ? -v : v;
    }

    private void checkLength(long n, int max, int at, String kind) {
        if (n < 0 || n > max) {
            throw error(kind + " of " + Long.toUnsignedString(n) + " bytes, at most " + max + " allowed", at);
        }
        if (n > limit - pos) {
            throw error(kind + " of " + n + " bytes but only " + (limit - pos) + " remain", at);
        }
    }

    /**
     * Reads a head of the expected major type and returns its argument (for major 0/1 the raw
     * 64-bit value, negative when it exceeds {@link Long#MAX_VALUE}).
     */
    private long head(int major, String expected) {
        int at = pos;
        need(1, at);
        int ib = buf[pos] & 0xFF;
        if (ib >>> 5 != major) {
            throw error("expected " + expected + ", found initial byte 0x" + Integer.toHexString(ib), at);
        }
        pos++;
        int ai = ib & 31;
        if (ai < 24) {
            return ai;
        }
        int n = switch (ai) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw error(ai == 31 ? "indefinite length is not allowed" : "reserved length encoding " + ai,
                    at);
        };
        need(n, at);
        return readBig(n);
    }

    private long readBig(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    private void need(int n, int at) {
        if (limit - pos < n) {
            throw error("unexpected end", at);
        }
    }

    /**
     * Returns the protocol error for a problem at an offset.
     *
     * @param problem what is wrong
     * @param at the offset
     * @return the exception to throw
     */
    public DittoException error(String problem, int at) {
        return new DittoException(ErrorCode.PROTOCOL, "decode " + what + ": " + problem + " at offset " + at);
    }
}
