package ditto.api.internal;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The location of a value while the codecs walk a value tree for writing, used only to make
 * error messages name where the bad value is ({@code $.a.b[3]}).
 *
 * <p>Segment {@code d} (1-based) holds the map key ({@code String}) or list index
 * ({@code Integer}) leading to the value at depth {@code d}; the root is depth 0. Setting a
 * segment is one array store, so tracking costs nothing measurable; the text is built only
 * when an error is thrown. One instance per write call; not thread-safe.
 */
final class ValuePath {
    private static final int MAX_KEY_CHARS = 64;

    private final Object[] segments;

    ValuePath(int maxDepth) {
        this.segments = new Object[maxDepth + 2];
    }

    void set(int depth, Object segment) {
        segments[depth] = segment;
    }

    String format(int depth) {
        StringBuilder sb = new StringBuilder("$");
        for (int d = 1; d <= depth; d++) {
            Object s = segments[d];
            if (s instanceof Integer) {
                sb.append('[').append(s).append(']');
            } else {
                String key = String.valueOf(s);
                if (isIdentifier(key)) {
                    sb.append('.').append(key);
                } else {
                    sb.append("[\"").append(abbreviate(key)).append("\"]");
                }
            }
        }
        return sb.toString();
    }

    DittoException error(String format, String what, int depth) {
        return new DittoException(ErrorCode.INVALID_ARGUMENTS,
                "cannot write " + format + ": " + what + " at " + format(depth));
    }

    /** Shortens untrusted text to a bounded, printable form for error messages. */
    static String abbreviate(String s) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), MAX_KEY_CHARS);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > MAX_KEY_CHARS) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static boolean isIdentifier(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
            return false;
        }
        char first = key.charAt(0);
        if (!(first == '_' || (first < 0x80 && Character.isLetter(first)))) {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c == '_' || (c < 0x80 && Character.isLetterOrDigit(c)))) {
                return false;
            }
        }
        return true;
    }
}
