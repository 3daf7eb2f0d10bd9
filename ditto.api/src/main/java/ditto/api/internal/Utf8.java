package ditto.api.internal;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Strict UTF-8 helpers shared by the JSON and CBOR codecs.
 *
 * <p>Decoding accepts exactly the well-formed sequences of RFC 3629 (no overlong forms, no
 * encoded surrogates, nothing above U+10FFFF). Encoding refuses strings with unpaired
 * surrogates, so every string the codecs write is valid Unicode. Stateless.
 */
final class Utf8 {
    private Utf8() {
    }

    /**
     * Decodes one code point starting at {@code i} and appends it to {@code out}.
     *
     * @return the index just after the sequence, or -1 if the bytes at {@code i} are not a
     *         well-formed UTF-8 sequence ending before {@code limit}
     */
    static int decodeCodePoint(byte[] b, int i, int limit, StringBuilder out) {
        int b0 = b[i] & 0xFF;
        if (b0 < 0x80) {
            out.append((char) b0);
            return i + 1;
        }
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            if (i + 1 >= limit) {
                return -1;
            }
            int b1 = b[i + 1] & 0xFF;
            if ((b1 & 0xC0) != 0x80) {
                return -1;
            }
            out.append((char) (((b0 & 0x1F) << 6) | (b1 & 0x3F)));
            return i + 2;
        }
        if (b0 >= 0xE0 && b0 <= 0xEF) {
            if (i + 2 >= limit) {
                return -1;
            }
            int b1 = b[i + 1] & 0xFF;
            int b2 = b[i + 2] & 0xFF;
            int lower = b0 == 0xE0 ? 0xA0 : 0x80;
            int upper = b0 == 0xED ? 0x9F : 0xBF;
            if (b1 < lower || b1 > upper || (b2 & 0xC0) != 0x80) {
                return -1;
            }
            out.append((char) (((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F)));
            return i + 3;
        }
        if (b0 >= 0xF0 && b0 <= 0xF4) {
            if (i + 3 >= limit) {
                return -1;
            }
            int b1 = b[i + 1] & 0xFF;
            int b2 = b[i + 2] & 0xFF;
            int b3 = b[i + 3] & 0xFF;
            int lower = b0 == 0xF0 ? 0x90 : 0x80;
            int upper = b0 == 0xF4 ? 0x8F : 0xBF;
            if (b1 < lower || b1 > upper || (b2 & 0xC0) != 0x80 || (b3 & 0xC0) != 0x80) {
                return -1;
            }
            out.appendCodePoint(((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F));
            return i + 4;
        }
        return -1;
    }

    /**
     * Decodes {@code length} bytes at {@code offset} as a strict UTF-8 string.
     *
     * @param format "JSON" or "CBOR", used in the error message
     * @throws DittoException INVALID_ARGUMENTS naming the offset of the first malformed sequence
     */
    static String decode(byte[] b, int offset, int length, String format) {
        int limit = offset + length;
        int i = offset;
        while (i < limit && b[i] >= 0) {
            i++;
        }
        if (i == limit) {
            return new String(b, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        StringBuilder out = new StringBuilder(length);
        for (int j = offset; j < i; j++) {
            out.append((char) b[j]);
        }
        while (i < limit) {
            int next = decodeCodePoint(b, i, limit, out);
            if (next < 0) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                        "invalid " + format + ": malformed UTF-8 at offset " + i);
            }
            i = next;
        }
        return out.toString();
    }

    /**
     * Returns the UTF-8 length of {@code s}, or {@code -1 - index} of the first unpaired
     * surrogate if {@code s} is not valid Unicode.
     */
    static int encodedLength(String s) {
        int n = s.length();
        int length = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                length += 1;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return -1 - i;
                }
                length += 2;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1 - i;
            } else {
                length += 2;
            }
        }
        return length;
    }

    /**
     * Writes the UTF-8 encoding of {@code s} into {@code out} at {@code pos}; {@code s} must
     * have passed {@link #encodedLength(String)} and {@code out} must have room.
     *
     * @return the index just after the written bytes
     */
    static int encode(String s, byte[] out, int pos) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[pos++] = (byte) c;
            } else if (c < 0x800) {
                out[pos++] = (byte) (0xC0 | (c >> 6));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[pos++] = (byte) (0xF0 | (cp >> 18));
                out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[pos++] = (byte) (0xE0 | (c >> 12));
                out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }
}
